/// JSON Lines (`--format jsonl`): one compact finding object per line, with the same members as
/// the `json` format's findings, then one `{"summary": {...}}` line. Each line stands alone
/// (a `LiveReporter`): a live run (a pipe that stays open, `--follow`) prints a finding's line
/// as soon as it is known and the summary line at the end (`LiveOutput`); otherwise the report is
/// written after the run, like every format.
public enum JSONLReporter: LiveReporter {
    public static let identifier = "jsonl"
    public static let description = "JSON Lines: one finding per line, then a summary line"
    public static let fileExtension = "jsonl"

    public static func liveFindings(_ findings: ArraySlice<ReportFinding>, options: ReportOptions) -> String {
        var out = ""
        for finding in findings { out += line(for: finding, url: options.ruleURL(finding.rule)) }
        return out
    }

    public static func liveInput(_ file: FileSummary, options: ReportOptions) -> String { "" }

    public static func liveEnd(_ report: LintReport, options: ReportOptions) -> String {
        summaryLine(for: report.summary)
    }

    /// One finding as a compact JSON object, newline included.
    public static func line(for finding: ReportFinding, url: String? = nil) -> String {
        var w = ReportJSONWriter(pretty: false)
        JSONReporter.writeFinding(finding, url: url, to: &w)
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
