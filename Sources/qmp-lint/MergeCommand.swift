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
            findings (warnings too with --strict), 2 when an input of a part could not be read.
            """)

    @Argument(help: "JSON reports written by --format json.")
    var reports: [String]

    @Option(
        name: [.customShort("f"), .long],
        help: "Format of the merged report: \(LintRunner.formatNames.joined(separator: ", ")).")
    var format: String = "json"

    @Option(name: .shortAndLong, help: "Write the merged report here instead of standard output.")
    var output: String?

    @Flag(help: "Warnings fail the merge too (exit status 1).")
    var strict = false

    func run() throws {
        guard let reporter = Reporters.named(format) else {
            throw ValidationError(
                "unknown format '\(format)' (known: \(LintRunner.formatNames.joined(separator: ", ")))")
        }
        var parts: [LintReport] = []
        for path in reports {
            guard let data = FileManager.default.contents(atPath: path) else {
                Console.error("qmp-lint: cannot read report \(path)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            do { parts.append(try ReportMerging.read(Array(data), path: path)) } catch {
                Console.error("qmp-lint: \(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        do { try ReportMerging.checkTotals(parts, paths: reports) } catch {
            Console.error("qmp-lint: \(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        do { try ReportMerging.checkDisjoint(parts, paths: reports) } catch {
            Console.error("qmp-lint: \(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let merged = ReportMerging.merge(parts)
        let text = reporter.render(merged, options: ReportOptions(rules: RuleCatalog.all))
        if let output {
            if !Console.write(text, toFile: output) { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        } else {
            Console.out(text)
        }
        if merged.summary.unreadableFiles > 0 { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        if merged.summary.errors > 0 || (strict && merged.summary.warnings > 0) {
            throw ExitCode(ExitStatus.findings.rawValue)
        }
    }
}
