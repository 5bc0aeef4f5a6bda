/// GitHub Actions workflow commands (`--format github`): one `::error`, `::warning` or
/// `::notice` line per finding, which the runner turns into annotations on the file, then a
/// plain totals line (events, and commands and replies when there are any).
///
/// Escaping follows the Actions toolkit: in the message `%`, CR and LF become `%25`, `%0D`,
/// `%0A`; property values also encode `:` and `,`. Other control characters from the log are
/// shown as visible escapes (`\x1b`) so they cannot colour or rewrite the job log.
public enum GitHubActionsReporter: LiveReporter {
    public static let identifier = "github"
    public static let description = "GitHub Actions workflow commands (annotations)"
    public static let fileExtension = "txt"

    public static func liveInput(_ file: FileSummary, options: ReportOptions) -> String {
        guard let reason = file.readError else { return "" }
        return "::error file=\(property(file.path)),title=unreadable-file::"
            + data("cannot read \(file.path): \(TextReporter.readReason(reason, path: file.path))") + "\n"
    }

    public static func liveFindings(_ findings: ArraySlice<ReportFinding>, options: ReportOptions) -> String {
        var out = ""
        for f in findings {
            out += "::\(command(f.severity)) file=\(property(f.file))"
            if f.line >= 1 { out += ",line=\(f.line)" }
            if f.line >= 1 && f.column >= 1 { out += ",col=\(f.column)" }
            out += ",title=\(property(f.rule))::\(data(f.message))\n"
        }
        return out
    }

    public static func liveEnd(_ report: LintReport, options: ReportOptions) -> String {
        let s = report.summary
        var out = "qmp-lint: \(counted(s.events, "event"))"
        if s.commands + s.replies > 0 { out += ", " + TextReporter.messageCounts(s) }
        out += " in \(counted(s.files, "file")): "
        var severities = [counted(s.errors, "error")]
        if options.minimumSeverity <= .warning { severities.append(counted(s.warnings, "warning")) }
        if options.minimumSeverity <= .note { severities.append(counted(s.notes, "note")) }
        out += severities.joined(separator: ", ")
        if s.unreadableFiles > 0 { out += ", \(counted(s.unreadableFiles, "unreadable file"))" }
        return out + "\n"
    }

    static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    /// A command's message (the text after `::`).
    static func data(_ s: String) -> String {
        var out = ""
        appendReplacing(s, to: &out) { scalar in
            switch scalar {
            case "%": return "%25"
            case "\r": return "%0D"
            case "\n": return "%0A"
            default: return DisplayText.needsEscape(scalar) ? DisplayText.visibleEscape(scalar) : nil
            }
        }
        return out
    }

    /// A property value (`file=`, `title=`).
    static func property(_ s: String) -> String {
        var out = ""
        appendReplacing(s, to: &out) { scalar in
            switch scalar {
            case "%": return "%25"
            case "\r": return "%0D"
            case "\n": return "%0A"
            case ":": return "%3A"
            case ",": return "%2C"
            default: return DisplayText.needsEscape(scalar) ? DisplayText.visibleEscape(scalar) : nil
            }
        }
        return out
    }
}
