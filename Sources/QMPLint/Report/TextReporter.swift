/// The default, human-readable report (`--format text`).
///
/// Findings come file by file as `path:line:col: severity: message [rule]`, each followed by
/// the source line and a caret under the column, then a summary: events per name, findings per
/// rule, files with problems, the time span of the events, the schema used, and a totals line.
/// Everything copied from logs is shown through `DisplayText.escaped`, so a log cannot send
/// escape sequences to the terminal. ANSI colour only with `ReportOptions.color`.
public enum TextReporter: Reporter {
    public static let identifier = "text"
    public static let description = "human-readable findings with source excerpts and a summary (default)"
    public static let fileExtension = "txt"

    public static func render(_ report: LintReport, options: ReportOptions) -> String {
        let style = Style(enabled: options.color)
        var out = ""
        if !options.summaryOnly {
            for group in report.findingsByFile {
                if let reason = group.summary?.readError {
                    out += style.bold(DisplayText.escaped(group.path)) + ": "
                    out += style.severity(.error, "error") + ": cannot read: "
                    out += DisplayText.escaped(reason) + "\n"
                }
                for f in group.findings {
                    appendFinding(f, style: style, excerpt: !options.quiet, to: &out)
                }
            }
        }
        if options.quiet { return out }
        if !out.isEmpty { out += "\n" }
        appendSummary(report, style: style, to: &out)
        return out
    }

    static func appendFinding(_ f: ReportFinding, style: Style, excerpt: Bool, to out: inout String) {
        out += style.bold("\(DisplayText.escaped(f.file)):\(f.line):\(f.column):") + " "
        out += style.severity(f.severity, f.severity.rawValue) + ": "
        out += DisplayText.escaped(f.message) + " [\(DisplayText.escaped(f.rule))]\n"
        guard excerpt, !f.sourceLine.isEmpty else { return }
        let (text, caret) = DisplayText.sourceExcerpt(f.sourceLine, column: f.column)
        out += "    " + text + "\n"
        if let caret {
            out += "    " + String(repeating: " ", count: caret) + style.severity(f.severity, "^") + "\n"
        }
    }

    static func appendSummary(_ report: LintReport, style: Style, to out: inout String) {
        let s = report.summary
        if !s.eventsByName.isEmpty {
            out += style.bold("Events by name") + "\n"
            var rows = [["event", "total", "invalid"]]
            for (name, count) in report.sortedEventCounts {
                rows.append([DisplayText.escaped(name), String(count.total), String(count.invalid)])
            }
            out += table(rows)
            out += "\n"
        }
        if !s.findingsByRule.isEmpty {
            out += style.bold("Findings by rule") + "\n"
            var rows = [["rule", "findings"]]
            for (rule, n) in report.sortedRuleCounts { rows.append([DisplayText.escaped(rule), String(n)]) }
            out += table(rows)
            out += "\n"
        }
        let problems = report.files.filter {
            $0.readError != nil || $0.errors + $0.warnings + $0.notes + $0.malformed > 0
        }
        if !problems.isEmpty {
            out += style.bold("Files with problems") + "\n"
            for f in problems {
                out += "  " + DisplayText.escaped(f.path) + ": "
                if let reason = f.readError {
                    out += "unreadable: " + DisplayText.escaped(reason)
                    if f.events > 0 { out += "; " }
                }
                if f.readError == nil || f.events > 0 {
                    var parts = [counted(f.errors, "error"), counted(f.warnings, "warning"), counted(f.notes, "note")]
                    if f.invalidEvents > 0 {
                        parts.append("\(f.invalidEvents) of \(counted(f.events, "event")) invalid")
                    }
                    if f.malformed > 0 { parts.append("\(f.malformed) malformed") }
                    out += parts.joined(separator: ", ")
                }
                out += "\n"
            }
            out += "\n"
        }
        if let first = s.firstEvent, let last = s.lastEvent {
            out += style.bold("Events from") + " \(first.iso8601) to \(last.iso8601) (UTC)\n"
        }
        let schemas = report.files.compactMap { f in f.schema.map { (f.path, $0) } }
        if schemas.allSatisfy({ $0.1 == report.schema }) {
            out += style.bold("Schema") + " " + describe(report.schema) + "\n"
        } else {
            out += style.bold("Schema") + "\n"
            for (path, choice) in schemas {
                out += "  " + DisplayText.escaped(path) + ": " + describe(choice) + "\n"
            }
        }
        var totals = "\(counted(s.files, "file")), \(counted(s.bytes, "byte")), \(counted(s.lines, "line")), "
        totals += "\(counted(s.events, "event")) (\(s.invalidEvents) invalid, \(s.malformed) malformed): "
        totals += [
            style.severity(.error, counted(s.errors, "error")),
            style.severity(.warning, counted(s.warnings, "warning")),
            style.severity(.note, counted(s.notes, "note")),
        ].joined(separator: ", ")
        if s.unreadableFiles > 0 { totals += ", " + counted(s.unreadableFiles, "unreadable file") }
        out += totals + "\n"
    }

    static func describe(_ choice: SchemaChoice) -> String {
        DisplayText.escaped(choice.name) + " (" + DisplayText.escaped(choice.reason) + ")"
    }

    /// Left-aligned first column, right-aligned numbers, two-space indent, header row first.
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        var out = ""
        for row in rows {
            var line = " "
            for (i, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[i] - displayWidth(cell))
                line += " " + (i == 0 ? cell + padding : padding + cell)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + DisplayText.width(of: $1) }
    }

    /// ANSI styling that is the identity when colour is off.
    struct Style {
        var enabled: Bool

        func bold(_ s: String) -> String { enabled ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }

        func severity(_ severity: Severity, _ s: String) -> String {
            guard enabled else { return s }
            let code: String
            switch severity {
            case .error: code = "1;31"
            case .warning: code = "1;33"
            case .note: code = "1;36"
            }
            return "\u{1B}[\(code)m" + s + "\u{1B}[0m"
        }
    }
}
