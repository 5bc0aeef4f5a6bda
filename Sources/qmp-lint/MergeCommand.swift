import ArgumentParser
import Foundation
import QMPLint

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JSON reports of parts of a fleet's logs into one report.")

    @Argument(help: "JSON reports written by --format json.")
    var reports: [String]

    @Option(name: [.customShort("f"), .long], help: "Format of the merged report.")
    var format: String = "json"

    @Option(name: .shortAndLong, help: "Write the merged report here instead of standard output.")
    var output: String?

    func run() throws {
        guard let reporter = Reporters.named(format) else { throw ValidationError("unknown format '\(format)'") }
        var parts: [LintReport] = []
        for path in reports {
            guard let data = FileManager.default.contents(atPath: path) else {
                Console.error("qmp-lint: cannot read \(path)")
                throw ExitCode(ExitStatus.unreadableInput.rawValue)
            }
            do { parts.append(try ReportMerging.read(Array(data), path: path)) } catch {
                Console.error("qmp-lint: \(error)")
                throw ExitCode(ExitStatus.unreadableInput.rawValue)
            }
        }
        let merged = ReportMerging.merge(parts)
        let text = reporter.render(merged, options: ReportOptions(rules: RuleCatalog.all))
        if let output { _ = Console.write(text, toFile: output) } else { Console.out(text) }
        if merged.summary.unreadableFiles > 0 { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        if merged.summary.errors > 0 { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
