import Foundation
import QMPLint

/// Runs a lint on the terminal: asks the library to prepare and run it, prints what it says on
/// standard error, draws the progress bar, writes the reports (standard output and files) and
/// decides the exit status (a report that cannot be written: 74).
///
/// A live run (findings printed while a pipe is still being read) fits here: for a
/// `LiveReporter` format on standard output, hand `LintRunner.run` a callback that writes
/// `liveFindings` of each event's findings as they arrive and `liveInput` of each finished
/// input, then write `liveEnd` of the final report instead of `write`.
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
        var bar: ProgressBar?
        var counter: ProgressCounter?
        if settings.progress && ProgressBar.wanted {
            counter = ProgressCounter(totalBytes: plan.inputBytes, totalFiles: plan.discovery.inputs.count)
            bar = ProgressBar(counter: counter!)
            bar?.begin()
        }
        let outcome = LintRunner.run(plan, progress: counter)
        bar?.end()
        for d in outcome.diagnostics where show(d) { Terminal.error(d.message) }
        var status = outcome.status
        for (i, output) in settings.outputs.enumerated() {
            do {
                try write(outcome, output, main: i == 0)
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
            let color: Bool
            switch outcome.settings.color {
            case .always: color = true
            case .never: color = false
            case .auto: color = Terminal.colorByDefault
            }
            let options = outcome.options(for: output.format, color: color, width: Terminal.width)
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
