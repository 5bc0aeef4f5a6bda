import ArgumentParser
import Foundation
import QMPLint

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JSON reports of parts of a fleet's logs into one report.",
        discussion: """
            The reports must cover disjoint sets of files (a file in two reports is an error, exit \
            status 64). The exit status follows the merged report as for a lint run: 1 for error-level \
            findings (warnings too with --strict or --fail-on warning), 2 when an input of a part could \
            not be read, 74 when the merged report cannot be written.
            """)

    @Argument(help: "JSON reports written by --format json.", completion: .file(extensions: ["json"]))
    var reports: [String]

    @Option(name: [.customShort("f"), .long], help: "Format of the merged report.")
    var format: ReportFormat = .json

    @Option(
        name: .shortAndLong, help: "Write the merged report here instead of standard output (- : standard output).",
        completion: .file())
    var output: String?

    @Flag(help: "Warnings fail the merge too (--fail-on warning).")
    var strict = false

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp("Findings that fail the merge.", valueName: "error|warning|never"))
    var failOn: LintSettings.FailLevel?

    func validate() throws {
        if strict && failOn != nil { throw ValidationError("--strict and --fail-on exclude each other") }
    }

    func run() throws {
        var parts: [LintReport] = []
        for path in reports {
            guard let data = FileManager.default.contents(atPath: path) else {
                Terminal.error("cannot read report \(path)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            do { parts.append(try ReportMerging.read(Array(data), path: path)) } catch {
                Terminal.error("\(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        do { try ReportMerging.checkTotals(parts, paths: reports) } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        do { try ReportMerging.checkDisjoint(parts, paths: reports) } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let merged = ReportMerging.merge(parts)
        let options = ReportOptions(rules: RuleCatalog.all, ruleDocs: .standard)
        let destination = ReportOutput(format: format, path: output)
        do {
            if destination.isStandardOutput {
                try Terminal.checkOpen()
                var w = Terminal.standardOutput()
                format.reporter.write(merged, options: options) { w.write($0) }
                try w.finish()
            } else {
                try ReportFile.write(merged, format, options: options, to: destination.path!)
            }
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitStatus.outputError.rawValue)
        }
        let fail = failOn ?? (strict ? .warning : .error)
        if merged.summary.unreadableFiles > 0 { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        if (fail.fails(.error) && merged.summary.errors > 0) || (fail.fails(.warning) && merged.summary.warnings > 0) {
            throw ExitCode(ExitStatus.findings.rawValue)
        }
    }
}
