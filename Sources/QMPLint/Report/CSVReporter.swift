/// Comma-separated values (`--format csv`, RFC 4180): a header row, then one row per finding;
/// with `summaryOnly`, one row per event name instead. Records end with CRLF; a field is quoted
/// when it holds a comma, a quote, CR or LF (quotes doubled).
///
/// Text copied from logs cannot act on a spreadsheet or a terminal: control characters other
/// than tab, CR and LF, DEL, C1 controls and bidirectional controls are written as visible
/// escapes (`\x1b`, `\u{202e}`), and a field that a spreadsheet would read as a formula (its
/// first character after any spaces and tabs is `=`, `+`, `-` or `@`, or it starts with a tab or
/// CR) gets a leading `'`, as OWASP recommends against CSV injection.
public enum CSVReporter: DocumentReporter {
    public static let identifier = "csv"
    public static let description = "CSV (RFC 4180): one row per finding, or per event name with --summary"
    public static let fileExtension = "csv"

    /// The columns of the per-finding table.
    public static let findingColumns = [
        "file", "line", "column", "eventLine", "event", "rule", "severity", "message", "pointer",
    ]
    /// The columns of the per-event-name table (`summaryOnly`).
    public static let summaryColumns = ["event", "total", "valid", "invalid"]

    public static func renderDocument(_ report: LintReport, options: ReportOptions) -> String {
        var out = ""
        if options.summaryOnly {
            appendRecord(summaryColumns, to: &out)
            for (name, count) in report.sortedEventCounts {
                appendRecord(
                    [
                        name, String(count.total), String(count.total - count.invalid),
                        String(count.invalid),
                    ], to: &out)
            }
        } else {
            appendRecord(findingColumns, to: &out)
            for f in report.findings {
                appendRecord(
                    [
                        f.file, String(f.line), String(f.column), String(f.eventLine),
                        f.event ?? "", f.rule, f.severity.rawValue, f.message, f.pointer,
                    ],
                    to: &out)
            }
        }
        return out
    }

    static func appendRecord(_ fields: [String], to out: inout String) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(",") }
            appendField(field, to: &out)
        }
        out.append("\r\n")
    }

    static func appendField(_ field: String, to out: inout String) {
        let field = neutralised(field)
        let special = field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        guard special else { return out.append(field) }
        out.append("\"")
        appendReplacing(field, to: &out) { $0 == "\"" ? "\"\"" : nil }
        out.append("\"")
    }

    /// `field` with controls escaped and a formula turned into text.
    static func neutralised(_ field: String) -> String {
        var field = field
        if field.unicodeScalars.contains(where: needsEscape) {
            var escaped = ""
            appendReplacing(field, to: &escaped) { needsEscape($0) ? DisplayText.visibleEscape($0) : nil }
            field = escaped
        }
        let first = field.utf8.first { $0 != 0x20 && $0 != 0x09 }
        let formula = first.map { [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@")].contains($0) } ?? false
        if formula || field.utf8.first == 0x09 || field.utf8.first == 0x0D { field = "'" + field }
        return field
    }

    /// Controls a spreadsheet or terminal could act on (tab, CR and LF are CSV's business).
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
