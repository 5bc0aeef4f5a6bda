/// A Markdown post-mortem (`--format markdown`) to paste into a ticket or a CI job summary:
/// totals, events per name, commands per name (when there are any), findings per rule, files
/// (with the QEMU release inferred per stream, where it was), the schema used and the first
/// findings (errors first, then warnings, then notes, capped by `ReportOptions.markdownFindingLimit`).
///
/// Text copied from logs is escaped so it cannot break a table or inject markup: `\`, `` ` ``,
/// `*`, `_`, `[`, `]`, `|` are backslash-escaped, `<`, `>`, `&` become entities, line breaks
/// become `<br>` and other control characters visible escapes.
public enum MarkdownReporter: DocumentReporter {
    public static let identifier = "markdown"
    public static let description = "Markdown summary for tickets and job summaries"
    public static let fileExtension = "md"

    public static func renderDocument(_ report: LintReport, options: ReportOptions) -> String {
        let s = report.summary
        var out = "# qmp-lint report\n\n"
        out += "\(counted(s.files, "file")), \(counted(s.bytes, "byte")), \(counted(s.lines, "line")): "
        out += "**\(counted(s.events, "event"))**, \(s.invalidEvents) invalid, \(s.malformed) malformed"
        let messages = s.commands + s.replies > 0
        if messages { out += ", " + TextReporter.messageCounts(s) }
        out += "; "
        out += "**\(counted(s.errors, "error"))**"
        if options.minimumSeverity <= .warning { out += ", \(counted(s.warnings, "warning"))" }
        if options.minimumSeverity <= .note { out += ", \(counted(s.notes, "note"))" }
        if s.unreadableFiles > 0 { out += "; **\(counted(s.unreadableFiles, "unreadable file"))**" }
        out += ".\n\n"
        if let first = s.firstEvent, let last = s.lastEvent {
            out += "Events from \(first.iso8601) to \(last.iso8601) (UTC).\n\n"
        }
        if s.markers.total != s.markers.events {
            let m = s.markers
            out += "Event markers: \(m.events) parsed events, \(m.malformed) in malformed text, \(m.echoes) in echoes, "
            out += "\(m.notEvents) not events, \(m.unparsed) unparsed.\n\n"
        }
        let schemas = report.schemasUsed
        if schemas.count == 1 {
            out += "Schema: \(escape(schemas[0].choice.name)) (\(escape(schemas[0].choice.reason))).\n"
        } else {
            out += "Schemas (they differ by file): "
            out += schemas.map { "\(escape($0.choice.name)) (\(escape($0.choice.reason))): \(counted($0.files, "file"))" }
                .joined(separator: "; ") + ".\n"
        }

        out += "\n## Events by name\n\n"
        if s.eventsByName.isEmpty {
            out += "No events.\n"
        } else {
            out += "| Event | Total | Valid | Invalid |\n|---|---:|---:|---:|\n"
            for (name, count) in report.sortedEventCounts {
                out += "| \(escape(name)) | \(count.total) | \(count.total - count.invalid) | \(count.invalid) |\n"
            }
        }

        if !s.commandsByName.isEmpty {
            out += "\n## Commands by name\n\n"
            out += "| Command | Total | Error replies | Invalid |\n|---|---:|---:|---:|\n"
            for (name, count) in report.sortedCommandCounts {
                out += "| \(escape(name)) | \(count.total) | \(count.errors) | \(count.invalid) |\n"
            }
        }

        out += "\n## Findings by rule\n\n"
        if s.findingsByRule.isEmpty {
            out += "No findings.\n"
        } else {
            out += "| Rule | Findings |\n|---|---:|\n"
            for (rule, n) in report.sortedRuleCounts { out += "| \(escape(rule)) | \(n) |\n" }
        }

        out += "\n## Files\n\n"
        if report.files.isEmpty {
            out += "No files.\n"
        } else {
            // Commands and replies get columns when the report has any.
            out += "| File | Events | Invalid | Malformed |" + (messages ? " Commands | Replies |" : "")
            out += " Errors | Warnings | Notes | Schema |\n"
            out += "|---|---:|---:|---:|" + (messages ? "---:|---:|" : "") + "---:|---:|---:|---|\n"
            for f in report.files {
                var schema: String
                if let reason = f.readError {
                    schema = "unreadable: " + escape(reason)
                } else if let choice = f.schema {
                    schema = "\(escape(choice.name)) (\(escape(choice.reason)))"
                } else {
                    schema = ""
                }
                for v in f.versions { schema += "<br>" + escape(v.summary + " (stream " + v.stream + ")") }
                out += "| \(escape(f.path)) | \(f.events) | \(f.invalidEvents) | \(f.malformed) | "
                if messages { out += "\(f.commands) | \(f.replies) | " }
                out += "\(f.errors) | \(f.warnings) | \(f.notes) | \(schema) |\n"
            }
        }

        if !options.summaryOnly && !report.findings.isEmpty {
            let limit = max(0, options.markdownFindingLimit)
            out += "\n## Findings\n\n"
            // Most severe first; report order within a severity.
            let ranked = Severity.allCases.reversed().flatMap { severity in
                report.findings.lazy.filter { $0.severity == severity }
            }
            for f in ranked.prefix(limit) {
                out += "- \(escape(f.file)):\(f.line):\(f.column) **\(f.severity.rawValue)** "
                out += "[\(escape(f.rule))] "
                if let event = f.event { out += "\(escape(event)): " }
                out += escape(f.message)
                if !f.pointer.isEmpty { out += " (at \(escape(f.pointer)))" }
                out += "\n"
            }
            if report.findings.count > limit {
                out += "\nAnd \(counted(report.findings.count - limit, "more finding")).\n"
            }
        }
        return out
    }

    /// Log text made inert in Markdown, for table cells and list items alike.
    static func escape(_ s: String) -> String {
        var out = ""
        var previousCR = false
        appendReplacing(s, to: &out) { scalar in
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "|": return "\\" + String(scalar)
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "&": return "&amp;"
            case "\r": return "<br>"
            case "\n": return previousCR ? "" : "<br>"
            default: return DisplayText.needsEscape(scalar) ? DisplayText.visibleEscape(scalar) : nil
            }
        }
        return out
    }
}
