/// JSON Lines (`--format jsonl`): one compact finding object per line, with the same members as
/// the `json` format's findings, then one `{"summary": {...}}` line. Suited to streaming:
/// `line(for:)` renders a finding as soon as it is known.
public enum JSONLReporter: Reporter {
    public static let identifier = "jsonl"
    public static let description = "JSON Lines: one finding per line, then a summary line"
    public static let fileExtension = "jsonl"

    public static func render(_ report: LintReport, options: ReportOptions) -> String {
        var out = ""
        for finding in report.findings { out += line(for: finding) }
        out += summaryLine(for: report.summary)
        return out
    }

    /// One finding as a compact JSON object, newline included.
    public static func line(for finding: ReportFinding) -> String {
        var w = ReportJSONWriter(pretty: false)
        JSONReporter.writeFinding(finding, to: &w)
        return w.output + "\n"
    }

    /// The closing `{"summary": {...}}` line, newline included.
    public static func summaryLine(for summary: ReportSummary) -> String {
        var w = ReportJSONWriter(pretty: false)
        w.beginObject()
        w.key("summary")
        JSONReporter.writeSummary(summary, to: &w)
        w.endObject()
        return w.output + "\n"
    }
}
