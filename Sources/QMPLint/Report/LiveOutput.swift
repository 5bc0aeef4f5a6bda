import Foundation

/// Where a live run shows its findings while it reads (a pipe that stays open, `--follow`):
/// a `LiveReporter` format, the options its report is written with, and `emit`, which writes
/// text where the report goes (the front end's standard output; nothing here touches a
/// descriptor).
///
/// Each input's findings are shown as they become final (`FileReducer.takeFinal`), one event's
/// at a time (`liveFindings`), the ones `--min-severity` or the baseline leave out of the report
/// left out here too; at the end `end` writes what the format says about each input and the
/// summary (`liveInput`, `liveEnd`) of the final report: the same lines as `write` of that
/// report, findings in the order they were found.
public final class LiveOutput: @unchecked Sendable {
    public let reporter: any LiveReporter.Type
    public let options: ReportOptions
    private let emit: (String) -> Void
    private let lock = NSLock()
    /// Whether a finding is shown (`LintRunner` sets it from `--min-severity` and the baseline).
    var shows: (ReportFinding) -> Bool = { _ in true }

    public init(reporter: any LiveReporter.Type, options: ReportOptions, emit: @escaping (String) -> Void) {
        self.reporter = reporter
        self.options = options
        self.emit = emit
    }

    /// Findings that became final, in the order they did (any thread).
    func show(_ findings: [ReportFinding]) {
        if findings.isEmpty { return }
        lock.lock()
        defer { lock.unlock() }
        let shown = findings.filter(shows)[...]
        var text = ""
        for range in ReportFinding.eventGroups(shown) {
            text += reporter.liveFindings(shown[range], options: options)
        }
        if !text.isEmpty { emit(text) }
    }

    /// The end of the run: what the format says about each input, then the summary of `report`
    /// (the final report, its findings shown already).
    public func end(_ report: LintReport) {
        lock.lock()
        defer { lock.unlock() }
        var text = ""
        for group in report.findingsByFile {
            if let summary = group.summary { text += reporter.liveInput(summary, options: options) }
        }
        text += reporter.liveEnd(report, options: options)
        if !text.isEmpty { emit(text) }
    }
}
