import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Carries out a lint run and returns what it found as values: the report, what to tell the
/// user besides it (`Diagnostic`s), and the exit status the findings and inputs call for. The
/// front end (the `qmp-lint` executable) prints and exits; nothing here touches a terminal.
///
/// A run has two steps so that the front end can speak between them: `prepare` checks the
/// settings, loads the schema and the baseline and finds the inputs (a `UsageError` means
/// nothing was checked), `run` reads them.
public enum LintRunner {
    /// Checks `settings` and finds the inputs.
    public static func prepare(_ settings: LintSettings) throws(UsageError) -> LintPlan {
        var notices: [Diagnostic] = []
        let fixed: (schema: Schema, choice: SchemaChoice)?
        do {
            fixed = try SchemaResolution.fixed(settings)
        } catch {
            throw UsageError(message: "\(error)")
        }
        if let fixed {
            for note in SchemaFiles.notes(fixed.schema) { notices.append(Diagnostic(.note, note)) }
        }
        let named = settings.disabledRules.union(settings.enabledRules).union(settings.severities.keys)
        for id in named.sorted() where RuleCatalog.rule(id: id) == nil {
            throw UsageError(
                message: "unknown rule '\(id)'\(didYouMean(id, among: RuleCatalog.ids)) (see qmp-lint rules)")
        }
        let toStandardOutput = settings.outputs.filter(\.isStandardOutput)
        if toStandardOutput.count > 1 {
            throw UsageError(
                message: "only one report can go to standard output: "
                    + toStandardOutput.map(\.format.rawValue).joined(separator: " and "))
        }
        var baseline: Baseline?
        if let path = settings.baseline {
            do { baseline = try Baseline.load(path: path) } catch { throw UsageError(message: "\(error)") }
        }
        // Never read what this run writes.
        let outputs = settings.outputs.compactMap { $0.isStandardOutput ? nil : $0.path }
            + [settings.writeBaseline].compactMap { $0 }
        let discovery = InputDiscovery(
            followLinks: settings.followLinks, include: settings.include, exclude: settings.exclude,
            includeHidden: settings.includeHidden, outputs: outputs
        ).discover(settings.paths)
        for s in discovery.skipped { notices.append(Diagnostic(.note, "skipped \(s.description)")) }
        if discovery.inputs.isEmpty && discovery.errors.isEmpty {
            let named = settings.paths.map { "'\($0)'" }.joined(separator: ", ")
            notices.append(Diagnostic(.warning, "no files to check in \(named)", topic: .noInput))
        }
        var total = 0
        var known = true
        var mayStayOpen = false
        for p in discovery.names {
            var st = stat()
            if !p.isStandardInput, p.withCString({ stat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFREG {
                total += Int(st.st_size)
            } else {
                known = false
            }
            if !Linter.isRegularFile(p) { mayStayOpen = true }
        }
        return LintPlan(
            settings: settings, fixed: fixed, baseline: baseline, discovery: discovery, notices: notices,
            inputBytes: known ? total : nil, mayStayOpen: mayStayOpen || (settings.follow && !discovery.names.isEmpty))
    }

    /// Reads the plan's inputs; `progress` (when given) is told of every byte read, `stop` ends
    /// every input where it is when requested (the report is of what was read), and `live`
    /// (when given) is shown each finding as soon as it is final - the baseline and
    /// `--min-severity` leave out the same findings as from the report - and its `end` is left
    /// to the caller.
    public static func run(
        _ plan: LintPlan, progress: ProgressCounter? = nil, stop: StopFlag? = nil, live: LiveOutput? = nil
    ) -> LintOutcome {
        let settings = plan.settings
        var diagnostics: [Diagnostic] = []
        let jobs = settings.jobs > 0 ? settings.jobs : ProcessInfo.processInfo.activeProcessorCount
        let provider = SchemaSelectingProvider(
            fixed: plan.fixed,
            rules: RuleSet(severities: settings.severities, disabled: settings.effectiveDisabledRules))
        let choice = provider.defaultChoice
        var linter = Linter(jobs: jobs, selector: provider)
        let reporters = settings.outputs.map(\.format.reporter)
        linter.captureSourceLines = reporters.contains { $0.needsSourceLines }
        linter.maxFindings = settings.maxFindings
        // Per-event records only for the formats that show events (bounded; counts otherwise).
        if reporters.contains(where: { $0.needsEvents }) {
            linter.eventBudget = EventBudget(cap: settings.maxTimelineEvents)
        }
        linter.progress = progress
        linter.geometry = settings.chunkGeometry
        linter.stdinName = settings.stdinName
        linter.stop = stop
        linter.follow = settings.follow
        if let live {
            let minimum = settings.minSeverity ?? .note
            let baselineShows = plan.baseline?.liveFilter()
            live.shows = { f in f.severity >= minimum && (baselineShows?(f) ?? true) }
            linter.live = live
        }
        var (report, results) = linter.run(plan.discovery)
        for r in results where r.omittedFindings > 0 {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "\(r.summary.path): \(r.omittedFindings) further findings counted but not listed (at most \(Walk.listLimit) per message and \(settings.maxFindings) per input)"
                ))

        }
        for i in report.files.indices where report.files[i].schema == nil { report.files[i].schema = choice }
        for f in report.files {
            if let reason = f.readError { diagnostics.append(Diagnostic(.error, reason, topic: .readError)) }
        }
        for n in report.files.flatMap(\.notices) where n.level == .warning || !settings.quiet {
            diagnostics.append(Diagnostic(n.level == .warning ? .warning : .note, n.description))
        }
        var status = ExitStatus.clean
        // Baselines: written from every finding, then known findings left out of the reports.
        if let path = settings.writeBaseline {
            do {
                let b = Baseline.make(from: report)
                try b.write(to: path)
                diagnostics.append(Diagnostic(.note, "wrote \(b.findingCount) findings to baseline \(path)"))
            } catch {
                diagnostics.append(Diagnostic(.error, "\(error)", topic: .output))
                status = .outputError
            }
        }
        if let baseline = plan.baseline, let path = settings.baseline {
            let (filtered, suppressed) = baseline.filter(report)
            report = filtered
            if suppressed > 0 {
                diagnostics.append(Diagnostic(.note, "\(suppressed) findings suppressed by baseline \(path)"))
            }
        }
        if status == .clean {
            if report.summary.unreadableFiles > 0 {
                status = .unreadableInput
            } else if (settings.failOn.fails(.error) && report.summary.errors > 0)
                || (settings.failOn.fails(.warning) && report.summary.warnings > 0)
            {
                status = .findings
            }
        }
        // What is shown: findings below --min-severity are left out (they still fail the run).
        if let minimum = settings.minSeverity, minimum > .note {
            let (shown, hidden) = report.showing(minimum: minimum) { rule in
                settings.severities[rule] ?? RuleCatalog.rule(id: rule)?.severity ?? .error
            }
            report = shown
            if hidden > 0 {
                diagnostics.append(
                    Diagnostic(
                        .note,
                        "\(counted(hidden, "finding")) below \(minimum.rawValue) level not shown (--min-severity \(minimum.rawValue))"
                    ))
            }
        }
        if report.summary.events == 0 && report.summary.malformed == 0
            && report.summary.files > report.summary.unreadableFiles
        {
            let readable = report.summary.files - report.summary.unreadableFiles
            diagnostics.append(
                Diagnostic(.note, "no QMP events found in \(counted(readable, "file"))", topic: .noInput))
        }
        return LintOutcome(settings: settings, report: report, diagnostics: diagnostics, status: status)
    }

    /// `prepare` then `run`, without progress.
    public static func run(_ settings: LintSettings) throws(UsageError) -> LintOutcome {
        run(try prepare(settings))
    }
}

/// A run ready to read its inputs (`LintRunner.prepare`).
public struct LintPlan {
    public let settings: LintSettings
    let fixed: (schema: Schema, choice: SchemaChoice)?
    let baseline: Baseline?
    /// The inputs, in report order, and what could not be listed.
    public let discovery: InputDiscovery.Result
    /// What to tell the user before the run (schema notes, skipped entries, nothing to check).
    public var notices: [Diagnostic]
    /// Total bytes of the inputs when all are regular files (for a progress bar), else nil.
    public var inputBytes: Int?
    /// Whether some input may stay open: a pipe, FIFO, terminal or device, or any input with
    /// `--follow` (a run that can show findings live, `LiveOutput`).
    public var mayStayOpen = false
}

/// What a run found: the report as its reports show it, what to say besides, and the exit
/// status its findings and inputs call for (a report that cannot be written adds
/// `ExitStatus.outputError`, decided by whoever writes it).
public struct LintOutcome {
    public var settings: LintSettings
    /// The report after the baseline and `--min-severity`.
    public var report: LintReport
    /// Messages for standard error, in order.
    public var diagnostics: [Diagnostic]
    public var status: ExitStatus

    /// The options `format` is rendered with; `color` and `width` are the terminal's business.
    public func options(for format: ReportFormat, color: Bool = false, width: Int = 80) -> ReportOptions {
        settings.reportOptions(for: format, color: color, width: width)
    }

    /// Writes every report that goes to a file (not standard output); an error for each that
    /// could not be written.
    public func writeReportFiles() -> [OutputError] {
        var errors: [OutputError] = []
        for output in settings.outputs where !output.isStandardOutput {
            do {
                try ReportFile.write(report, output.format, options: options(for: output.format), to: output.path!)
            } catch {
                errors.append(error)
            }
        }
        return errors
    }
}

extension LintSettings {
    /// The options `format` is rendered with; `color` and `width` are the terminal's business.
    public func reportOptions(for format: ReportFormat, color: Bool = false, width: Int = 80) -> ReportOptions {
        ReportOptions(
            color: color, summaryOnly: summaryOnly, quiet: quiet, rules: RuleCatalog.all,
            workingDirectory: FileManager.default.currentDirectoryPath, listNotes: minSeverity != nil,
            width: width, minimumSeverity: minSeverity ?? .note, ruleDocs: .standard)
    }
}

/// Settings that cannot be used (an unknown rule, a schema or baseline that cannot be read):
/// nothing was checked (exit status 64).
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Something to tell the user besides the reports (the front end prints it on standard error).
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Level: String, Sendable { case error, warning, note }
    /// What it is about, so a front end can leave out what a report already says.
    public enum Topic: Sendable { case other, readError, noInput, output }

    public var level: Level
    public var message: String
    public var topic: Topic
    public init(_ level: Level, _ message: String, topic: Topic = .other) {
        self.level = level
        self.message = message
        self.topic = topic
    }
    public var description: String { message }
}
