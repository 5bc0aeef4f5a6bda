/// The default, human-readable report (`--format text`).
///
/// Findings come file by file as `path:line:col: severity: message [rule]`. The findings of one
/// event are shown together: their lines first, then the source lines they point into, each cut
/// to fit the terminal (`ReportOptions.width`) around the findings' columns, with a caret under
/// each value. Notes are summarised per rule unless `ReportOptions.listNotes`. A summary
/// follows: events per name, findings per rule, files with problems, the time span of the
/// events, the schema used (with the QEMU release inferred per stream, where it was), and a
/// totals line (commands, replies and error replies too, when there are any). Everything
/// copied from logs is shown through `DisplayText.escaped`, so a log cannot send escape
/// sequences to the terminal. ANSI colour only with `ReportOptions.color`.
public enum TextReporter: LiveReporter {
    public static let identifier = "text"
    public static let description = "human-readable findings with source excerpts and a summary (default)"
    public static let fileExtension = "txt"
    public static let needsSourceLines = true

    public static func liveInput(_ file: FileSummary, options: ReportOptions) -> String {
        guard let reason = file.readError, !options.summaryOnly else { return "" }
        let style = Style(enabled: options.color)
        return style.bold(DisplayText.escaped(file.path)) + ": " + style.severity(.error, "error") + ": cannot read: "
            + DisplayText.escaped(readReason(reason, path: file.path)) + "\n"
    }

    public static func liveFindings(_ findings: ArraySlice<ReportFinding>, options: ReportOptions) -> String {
        if options.summaryOnly { return "" }
        let listed = options.listNotes ? Array(findings) : findings.filter { $0.severity != .note }
        if listed.isEmpty { return "" }
        let style = Style(enabled: options.color)
        var out = ""
        for f in listed {
            out += style.bold("\(DisplayText.escaped(f.file)):\(f.line):\(f.column):") + " "
            out += style.severity(f.severity, f.severity.rawValue) + ": "
            out += DisplayText.escaped(f.message) + " [\(DisplayText.escaped(f.rule))]\n"
        }
        if !options.quiet { appendExcerpts(listed, style: style, width: options.width, to: &out) }
        return out
    }

    public static func liveEnd(_ report: LintReport, options: ReportOptions) -> String {
        if options.quiet { return "" }
        let style = Style(enabled: options.color)
        var out = ""
        let listedAny =
            !options.summaryOnly
            && (report.files.contains { $0.readError != nil }
                || report.findings.contains { options.listNotes || $0.severity != .note })
        if listedAny { out += "\n" }
        if !options.listNotes && !options.summaryOnly {
            let noteRules = Set(report.findings.lazy.filter { $0.severity == .note }.map(\.rule)).sorted()
            if !noteRules.isEmpty {
                let counts = noteRules.map { "\(DisplayText.escaped($0)) \(report.summary.findingsByRule[$0] ?? 0)" }
                out += style.severity(.note, counted(report.summary.notes, "note")) + " not listed ("
                out += counts.joined(separator: ", ") + "; --min-severity note lists them)\n\n"
            }
        }
        appendSummary(
            report, style: style, readErrorsShown: !options.summaryOnly, minimumSeverity: options.minimumSeverity,
            to: &out)
        return out
    }

    /// A read error as shown after its path: without the path again when it starts with it.
    static func readReason(_ reason: String, path: String) -> String {
        reason.hasPrefix(path + ": ") ? String(reason.dropFirst(path.count + 2)) : reason
    }

    /// The source lines of one event's findings: one block per line (a window of it per group
    /// of carets that fit the width), line numbers in a gutter.
    static func appendExcerpts(_ findings: [ReportFinding], style: Style, width: Int, to out: inout String) {
        let shown = findings.filter { !$0.sourceLine.isEmpty }
        guard let maxLine = shown.map(\.line).max() else { return }
        let digits = String(maxLine).count
        let pad = String(repeating: " ", count: digits)
        var i = 0
        while i < shown.count {
            // The findings on one line that share one captured text.
            var j = i + 1
            while j < shown.count && shown[j].line == shown[i].line && shown[j].sourceLine == shown[i].sourceLine
                && shown[j].sourceLineStart == shown[i].sourceLineStart
            {
                j += 1
            }
            let first = shown[i]
            let excerpt = SourceExcerpt(
                first.sourceLine, cutBefore: first.sourceLineStart > 1, cutAfter: first.sourceLineTruncated)
            // The most severe caret wins a column.
            let ranked = shown[i..<j].enumerated().sorted { a, b in
                a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
            }.map(\.element)
            let carets = ranked.compactMap { f in
                excerpt.column(ofByte: f.column - f.sourceLineStart).map { ($0, style.severity(f.severity, "^")) }
            }
            let number = String(first.line)
            let label = String(repeating: " ", count: digits - number.count) + number
            for row in excerpt.rows(carets: carets, width: max(20, width - digits - 4)) {
                out += " " + label + " | " + row.text + "\n"
                if !row.marks.isEmpty { out += " " + pad + " | " + row.marks + "\n" }
            }
            i = j
        }
    }

    /// The summary shared with the timeline format. `readErrorsShown`: the reasons an input
    /// could not be read were printed above (they are then not repeated);
    /// `minimumSeverity`: the lowest severity the report shows (counts below it are left out).
    static func appendSummary(
        _ report: LintReport, style: Style, readErrorsShown: Bool = false, minimumSeverity: Severity = .note,
        to out: inout String
    ) {
        let s = report.summary
        if !s.eventsByName.isEmpty {
            out += style.bold("Events by name") + "\n"
            var rows = [["event", "total", "invalid", "malformed"]]
            for (name, count) in report.sortedEventCounts {
                rows.append([
                    DisplayText.escaped(name), String(count.total - count.malformed),
                    String(count.invalid - count.malformed), String(count.malformed),
                ])
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
        // Files with notes only are not files with problems.
        let problems = report.files.filter {
            $0.readError != nil || $0.errors + $0.warnings + $0.malformed > 0
        }
        if !problems.isEmpty {
            out += style.bold("Files with problems") + "\n"
            for f in problems {
                out += "  " + DisplayText.escaped(f.path) + ": "
                if let reason = f.readError {
                    out +=
                        readErrorsShown
                        ? "unreadable" : "unreadable: " + DisplayText.escaped(readReason(reason, path: f.path))
                    if f.events > 0 { out += "; " }
                }
                if f.readError == nil || f.events > 0 {
                    var parts = [counted(f.errors, "error"), counted(f.warnings, "warning")]
                    if minimumSeverity <= .note { parts.append(counted(f.notes, "note")) }
                    if minimumSeverity > .warning { parts.removeLast() }
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
        if s.events == 0 && s.malformed == 0 {
            let readable = s.files - s.unreadableFiles
            if s.files == 0 {
                out += "No files to check.\n"
            } else if readable > 0 {
                out += "No QMP events found in \(counted(readable, "file")).\n"
            }
        }
        if let first = s.firstEvent, let last = s.lastEvent {
            out += style.bold("Events from") + " \(first.iso8601) to \(last.iso8601) (UTC)\n"
        }
        let schemas = report.files.compactMap { f in f.schema.map { (f, $0) } }
        if schemas.allSatisfy({ $0.1 == report.schema }) {
            out += style.bold("Schema") + " " + describe(report.schema) + "\n"
            // Each file's inferred releases: on its line, or below it when it has several streams.
            for f in report.files where !f.versions.isEmpty {
                out += "  " + DisplayText.escaped(f.path) + ":"
                if f.versions.count == 1 {
                    out += " " + describe(f.versions[0]) + "\n"
                } else {
                    out += "\n" + f.versions.map { "    " + describe($0) + "\n" }.joined()
                }
            }
        } else {
            out += style.bold("Schema") + "\n"
            for (f, choice) in schemas {
                out += "  " + DisplayText.escaped(f.path) + ": " + describe(choice) + "\n"
                for v in f.versions { out += "    " + describe(v) + "\n" }
            }
        }
        var totals = "\(counted(s.files, "file")), \(counted(s.bytes, "byte")), \(counted(s.lines, "line")), "
        totals += "\(counted(s.events, "event")) (\(s.invalidEvents) invalid, \(s.malformed) malformed)"
        if s.commands + s.replies > 0 { totals += ", " + messageCounts(s) }
        totals += ": "
        var severities = [style.severity(.error, counted(s.errors, "error"))]
        if minimumSeverity <= .warning { severities.append(style.severity(.warning, counted(s.warnings, "warning"))) }
        if minimumSeverity <= .note { severities.append(style.severity(.note, counted(s.notes, "note"))) }
        totals += severities.joined(separator: ", ")
        if s.unreadableFiles > 0 { totals += ", " + counted(s.unreadableFiles, "unreadable file") }
        out += totals + "\n"
    }

    static func describe(_ choice: SchemaChoice) -> String {
        DisplayText.escaped(choice.name) + " (" + DisplayText.escaped(choice.reason) + ")"
    }

    /// `inferred QEMU 7.2.0-8.2.0 (stream mon=0x7f2a)`.
    static func describe(_ v: StreamVersion) -> String {
        DisplayText.escaped(v.summary + " (stream " + v.stream + ")")
    }

    /// `12 commands, 12 replies, 1 error reply` (the formats' totals lines).
    static func messageCounts(_ s: ReportSummary) -> String {
        "\(counted(s.commands, "command")), \(counted(s.replies, "reply", "replies")), "
            + counted(s.errorReplies, "error reply", "error replies")
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
