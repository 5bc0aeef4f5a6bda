import ArgumentParser
import QMPLint

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check logs and transcripts (the default command).")

    @Argument(help: "Files and directories to check (directories recursively; - for standard input; .gz read transparently).")
    var paths: [String] = []

    @Option(name: [.customShort("f"), .long], help: "Report format: \(LintRunner.formatNames.joined(separator: ", ")).")
    var format: String?

    @Option(name: .shortAndLong, help: "Write the main report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write FORMAT to PATH (repeatable).", valueName: "FORMAT=PATH"))
    var reports: [String] = []

    @Flag(help: "csv: one row per event name instead of one per finding.")
    var summary = false

    @Option(help: ArgumentHelp("Schema to validate against: a QAPI source file or folder, a query-qmp-schema reply, or text documentation.", valueName: "PATH"))
    var schema: String?

    @Option(name: .customLong("qemu-version"), help: ArgumentHelp("Validate against the built-in schema of this QEMU release (nearest not newer).", valueName: "X.Y[.Z]"))
    var qemuVersion: String?

    @Option(name: [.customShort("j"), .long], help: "Worker threads (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Colour: auto, always, never (auto: a terminal, TERM not dumb, NO_COLOR unset).")
    var color: LintSettings.ColorChoice = .auto

    @Flag(help: "Warnings fail the run too (exit status 1).")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only findings: no summary, no status lines.")
    var quiet = false

    @Flag(name: [.customShort("L"), .long], help: "Follow symbolic links to directories while walking.")
    var follow = false

    @Option(name: .customLong("include"), help: ArgumentHelp("Only check walked files matching this glob (repeatable).", valueName: "GLOB"))
    var include: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip walked files matching this glob (repeatable).", valueName: "GLOB"))
    var exclude: [String] = []

    @Option(name: .customLong("disable"), help: ArgumentHelp("Turn a rule off (repeatable).", valueName: "RULE"))
    var disable: [String] = []

    @Flag(name: .customLong("no-progress"), help: "Never show the progress bar.")
    var noProgress = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        for r in reports where !r.contains("=") { throw ValidationError("--report takes FORMAT=PATH, got '\(r)'") }
    }

    func run() throws {
        var s = LintSettings()
        s.paths = paths
        if let format { s.format = format }
        s.output = output
        s.reports = reports.map { r in
            let i = r.firstIndex(of: "=")!
            return (String(r[..<i]), String(r[r.index(after: i)...]))
        }
        s.summaryOnly = summary
        s.schemaPath = schema
        s.qemuVersion = qemuVersion
        if let jobs { s.jobs = jobs }
        s.color = color
        s.strict = strict
        s.quiet = quiet
        s.followLinks = follow
        s.include = include
        s.exclude = exclude
        s.disabledRules = Set(disable)
        s.progress = !noProgress
        let status = LintRunner.run(s)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

extension LintSettings.ColorChoice: ExpressibleByArgument {}
