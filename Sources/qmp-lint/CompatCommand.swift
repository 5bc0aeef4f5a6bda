import ArgumentParser
import Foundation
import QMPLint

struct CompatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Which QEMU releases could have produced these logs? Checks every message against every built-in schema.")

    @Argument(help: "Files and directories to check.") var paths: [String]
    enum Format: String, CaseIterable, ExpressibleByArgument { case text, json }

    @Option(name: [.customShort("f"), .long], help: "Output format.") var format = Format.text
    @Option(name: [.customShort("j"), .long], help: "Worker threads.") var jobs: Int?

    func run() throws {
        let discovery = InputDiscovery().discover(paths)
        for e in discovery.errors { Terminal.error("\(e)") }
        let verdicts = Compatibility.check(discovery, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        try Terminal.show(Compatibility.render(verdicts, json: format == .json))
        if !discovery.errors.isEmpty { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        if !verdicts.isEmpty && !verdicts.contains(where: \.accepted) { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
