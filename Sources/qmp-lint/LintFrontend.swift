import Foundation
import QMPLint

/// Runs a lint on the terminal: asks the library to prepare and run it, prints what it says on
/// standard error, draws the progress bar, writes the reports (standard output and files) and
/// decides the exit status (a report that cannot be written: 74).
///
/// A live run: when some input may stay open (a pipe, FIFO or terminal, or `--follow`) and the
/// main report is a `LiveReporter` format on standard output, `LintRunner.run` is handed a
/// `LiveOutput` that writes each event's findings to standard output as soon as they are final;
/// at the end only its `end` (what it says of each input, the summary) is written, not the
/// report again. SIGINT and SIGTERM stop a run early (`Interruption`): the reports are of what
/// was read.
enum LintFrontend {
    static func run(_ settings: LintSettings) -> ExitStatus {
        var settings = settings
        if settings.paths.isEmpty {
            if Terminal.isTerminal(0) {
                Terminal.error("no input: name files or directories, or - for standard input (see --help)")
                return .usage
            }
            settings.paths = ["-"]
        }
        let plan: LintPlan
        do {
            plan = try LintRunner.prepare(settings)
        } catch {
            Terminal.error("\(error)")
            return .usage
        }
        let main = settings.outputs[0]
        // What the text report on standard output says itself is not repeated on standard error.
        let textOnTerminal = main.format == .text && main.isStandardOutput
        func show(_ d: Diagnostic) -> Bool {
            if settings.quiet && d.level == .note { return false }
            switch d.topic {
            case .readError: return !textOnTerminal
            case .noInput: return !textOnTerminal || settings.quiet
            case .other, .output: return true
            }
        }
        for n in plan.notices where show(n) { Terminal.error(n.message) }
        var live: LiveOutput?
        if plan.mayStayOpen, main.isStandardOutput, let reporter = main.format.reporter as? any LiveReporter.Type {
            live = LiveOutput(reporter: reporter, options: standardOutputOptions(settings, main.format)) { text in
                var w = Terminal.standardOutput()
                w.write(text)
            }
        }
        var bar: ProgressBar?
        var counter: ProgressCounter?
        if settings.progress && ProgressBar.wanted && live == nil {
            counter = ProgressCounter(totalBytes: plan.inputBytes, totalFiles: plan.discovery.inputs.count)
            bar = ProgressBar(counter: counter!)
            bar?.begin()
        }
        Interruption.install()
        let outcome = LintRunner.run(plan, progress: counter, stop: Interruption.stop, live: live)
        bar?.end()
        for d in outcome.diagnostics where show(d) { Terminal.error(d.message) }
        var status = outcome.status
        for (i, output) in settings.outputs.enumerated() {
            do {
                if i == 0, let live {
                    // The findings are out already: what is said of each input, and the summary.
                    try Terminal.checkOpen()
                    live.end(outcome.report)
                } else {
                    try write(outcome, output, main: i == 0)
                }
            } catch {
                Terminal.error("\(error)")
                status = .outputError
            }
        }
        return status
    }

    /// Writes one report where it goes: colour and width from the terminal for standard output.
    static func write(_ outcome: LintOutcome, _ output: ReportOutput, main: Bool) throws(OutputError) {
        let reporter = output.format.reporter
        if output.isStandardOutput {
            let options = standardOutputOptions(outcome.settings, output.format)
            try Terminal.checkOpen()
            var w = Terminal.standardOutput()
            reporter.write(outcome.report, options: options) { w.write($0) }
            try w.finish()
        } else {
            // Files get colour only when asked for, and only the main report.
            let color = main && outcome.settings.color == .always
            let options = outcome.options(for: output.format, color: color, width: Terminal.fileWidth)
            try ReportFile.write(outcome.report, output.format, options: options, to: output.path!)
        }
    }
}

extension LintFrontend {
    /// The options of a report on standard output: colour and width from the terminal.
    static func standardOutputOptions(_ settings: LintSettings, _ format: ReportFormat) -> ReportOptions {
        let color: Bool
        switch settings.color {
        case .always: color = true
        case .never: color = false
        case .auto: color = Terminal.colorByDefault
        }
        return settings.reportOptions(for: format, color: color, width: Terminal.width)
    }
}
