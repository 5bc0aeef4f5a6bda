import ArgumentParser
import QMPLint

/// The flags of a lint run, shared by `lint` (the default command) and `config` (which prints
/// what they add up to).
struct LintOptions: ParsableArguments {
    @Argument(
        help: "Files and directories to check (directories recursively; - for standard input; .gz read transparently).",
        completion: .file())
    var paths: [String] = []

    @Option(
        name: .customLong("stdin-filename"),
        help: ArgumentHelp("Report standard input (-) under this name, as if it were that file.", valueName: "NAME"))
    var stdinFilename: String?

    @Option(name: [.customShort("f"), .long], help: "Report format (default: text).")
    var format: ReportFormat?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the main report to this file instead of standard output (- : standard output).", valueName: "PATH"),
        completion: .file())
    var output: String?

    @Option(
        name: .customLong("report"),
        help: ArgumentHelp(
            "Also write FORMAT to PATH (repeatable; PATH - : standard output).", valueName: "FORMAT=PATH"))
    var reports: [ReportDestination] = []

    @Flag(help: "csv: one row per event name instead of one per finding.")
    var summary = false

    @Option(
        help: ArgumentHelp(
            "Schema to validate against: a QAPI source file or folder, a query-qmp-schema reply, or text documentation.",
            valueName: "PATH"),
        completion: .file())
    var schema: String?

    @Option(
        name: .customLong("qemu-version"),
        help: ArgumentHelp(
            "Validate against the built-in schema of this QEMU release (nearest not newer).", valueName: "X.Y[.Z]"),
        completion: .list(BuiltinCatalogs.versions))
    var qemuVersion: String?

    @Option(name: [.customShort("j"), .long], help: "Worker threads (default: the number of cores).")
    var jobs: Int?

    /// Where inputs are cut for parallel reading (bytes); the report must not change with it.
    @Option(name: .customLong("chunk-size"), help: .hidden)
    var chunkSize: Int?

    @Option(help: "Colour: auto, always, never (auto: a terminal, TERM not dumb, NO_COLOR unset or empty).")
    var color: LintSettings.ColorChoice?

    @Option(
        name: .customLong("min-severity"),
        help: ArgumentHelp(
            "Show findings of this severity and above (default: all; text lists notes only with --min-severity note, otherwise it counts them per rule).",
            valueName: "error|warning|note"))
    var minSeverity: Severity?

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Findings of this severity and above fail the run, exit status 1 (default: error).",
            valueName: "error|warning|never"))
    var failOn: LintSettings.FailLevel?

    @Flag(
        inversion: .prefixedNo,
        help:
            "Warnings fail the run too: --fail-on warning (--no-strict: --fail-on error, whatever the configuration says)."
    )
    var strict: Bool?

    @Flag(name: .customLong("exit-zero"), help: "No finding fails the run: --fail-on never.")
    var exitZero = false

    @Flag(name: .shortAndLong, help: "Print only findings: no summary, no status lines.")
    var quiet = false

    @Flag(name: [.customShort("L"), .customLong("follow-links")], help: "Follow symbolic links to directories while walking.")
    var followLinks = false

    @Flag(
        name: [.customShort("F"), .customLong("follow")],
        help:
            "Read files like tail -F: keep reading what is appended (a truncated file from its start, a rotated one then its successor) until Ctrl-C or SIGTERM, then report."
    )
    var follow = false

    @Flag(help: "Walk hidden files and folders too (names starting with a dot; named ones are always read).")
    var hidden = false

    @Option(
        name: .customLong("include"),
        help: ArgumentHelp("Only check walked files matching this glob (repeatable).", valueName: "GLOB"))
    var include: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp("Skip walked files matching this glob (repeatable).", valueName: "GLOB"))
    var exclude: [String] = []

    @Option(
        name: .customLong("disable"), help: ArgumentHelp("Turn a rule off (repeatable).", valueName: "RULE"),
        completion: .list(RuleCatalog.ids))
    var disable: [String] = []

    @Option(
        name: .customLong("enable"),
        help: ArgumentHelp(
            "Turn a rule on, even if the configuration file turns it off (repeatable).", valueName: "RULE"),
        completion: .list(RuleCatalog.ids))
    var enable: [String] = []

    @Flag(name: .customLong("no-progress"), help: "Never show the progress bar.")
    var noProgress = false

    @Option(
        help: ArgumentHelp(
            "Read this configuration file instead of the .qmp-lint.yml found upward from the current directory.",
            valueName: "PATH"),
        completion: .file(extensions: ["yml", "yaml"]))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Do not read a configuration file.")
    var noConfig = false

    @Option(
        help: ArgumentHelp(
            "Do not report the findings this baseline file lists (see --write-baseline).", valueName: "FILE"),
        completion: .file(extensions: ["json"]))
    var baseline: String?

    @Option(
        name: .customLong("write-baseline"),
        help: ArgumentHelp(
            "Write every finding of this run to a baseline file (then exit as usual).", valueName: "FILE"),
        completion: .file(extensions: ["json"]))
    var writeBaseline: String?

    @Option(
        name: .customLong("max-findings"),
        help: ArgumentHelp("List at most N findings per input (the rest are counted); 0: no limit.", valueName: "N"))
    var maxFindings: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let chunkSize, chunkSize < 1024 { throw ValidationError("--chunk-size must be at least 1024") }
        if let maxFindings, maxFindings < 0 { throw ValidationError("--max-findings must be 0 or more") }
        if let stdinFilename {
            if stdinFilename.isEmpty { throw ValidationError("--stdin-filename must not be empty") }
            if !paths.contains("-") && !paths.isEmpty {
                throw ValidationError("--stdin-filename names standard input: add - to the inputs")
            }
        }
        if config != nil && noConfig { throw ValidationError("--config and --no-config exclude each other") }
        let failFlags = [
            strict == true ? "--strict" : nil, strict == false ? "--no-strict" : nil, exitZero ? "--exit-zero" : nil,
            failOn != nil ? "--fail-on" : nil,
        ].compactMap { $0 }
        if failFlags.count > 1 { throw ValidationError("\(failFlags.joined(separator: " and ")) exclude each other") }
        for rule in Set(enable).intersection(disable).sorted() {
            throw ValidationError("--enable \(rule) and --disable \(rule) contradict each other")
        }
    }

    /// The command line's settings and which of them were given (a configuration file fills in the rest).
    func commandLine() -> (LintSettings, ExplicitFlags) {
        var s = LintSettings()
        var explicit: ExplicitFlags = []
        s.paths = paths
        s.stdinName = stdinFilename
        if let format {
            s.format = format
            explicit.insert(.format)
        }
        s.output = output
        s.reports = reports.map { ($0.format, $0.path) }
        if !reports.isEmpty { explicit.insert(.reports) }
        s.summaryOnly = summary
        if let schema {
            s.schemaPath = schema
            explicit.insert(.schema)
        }
        if let qemuVersion {
            s.qemuVersion = qemuVersion
            explicit.insert(.qemuVersion)
        }
        if let chunkSize {
            s.chunkGeometry = ChunkGeometry(size: chunkSize)
        }
        if let jobs {
            s.jobs = jobs
            explicit.insert(.jobs)
        }
        if let color {
            s.color = color
            explicit.insert(.color)
        }
        if let strict { s.strict = strict }
        if exitZero { s.failOn = .never }
        if let failOn { s.failOn = failOn }
        if strict != nil || exitZero || failOn != nil { explicit.insert(.failOn) }
        if let minSeverity {
            s.minSeverity = minSeverity
            explicit.insert(.minSeverity)
        }
        s.quiet = quiet
        s.followLinks = followLinks
        s.follow = follow
        s.includeHidden = hidden
        if !include.isEmpty {
            s.include = include
            explicit.insert(.include)
        }
        if !exclude.isEmpty {
            s.exclude = exclude
            explicit.insert(.exclude)
        }
        s.disabledRules = Set(disable)
        s.enabledRules = Set(enable)
        s.progress = !noProgress
        if let baseline {
            s.baseline = baseline
            explicit.insert(.baseline)
        }
        s.writeBaseline = writeBaseline
        if let maxFindings { s.maxFindings = maxFindings == 0 ? Int.max : maxFindings }
        return (s, explicit)
    }

    /// The settings with the configuration file applied; exits 64 with its positioned error.
    func effectiveSettings() throws -> (LintSettings, ConfigurationResolution.Source) {
        let (s, explicit) = commandLine()
        do {
            return try ConfigurationResolution.apply(to: s, explicit: explicit, configPath: config, useFile: !noConfig)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check logs and transcripts (the default command).")

    @OptionGroup var options: LintOptions

    func run() throws {
        let (settings, _) = try options.effectiveSettings()
        let status = LintFrontend.run(settings)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration (defaults, then .qmp-lint.yml, then flags) as YAML.")

    @OptionGroup var options: LintOptions

    func run() throws {
        let (settings, source) = try options.effectiveSettings()
        try Terminal.show(
            "# qmp-lint configuration: \(source.description)\n" + QMPLintConfiguration.render(effective: settings))
    }
}
