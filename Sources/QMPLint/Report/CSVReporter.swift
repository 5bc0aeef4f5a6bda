/// Comma-separated values (`--format csv`, RFC 4180): a header row, then one row per finding;
/// with `summaryOnly`, one row per event name instead. Records end with CRLF; a field is quoted
/// when it holds a comma, a quote, CR or LF (quotes doubled), and kept byte-for-byte otherwise.
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
        let special = field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        guard special else { return out.append(field) }
        out.append("\"")
        appendReplacing(field, to: &out) { $0 == "\"" ? "\"\"" : nil }
        out.append("\"")
    }
}
