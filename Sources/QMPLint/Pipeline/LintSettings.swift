/// Everything a lint run is told, from flags and the configuration file. The CLI fills it in;
/// `LintRunner` carries it out.
public struct LintSettings: Sendable {
    public enum ColorChoice: String, Sendable, CaseIterable { case auto, always, never }

    /// `--fail-on`: the least severe finding that fails the run (exit status 1).
    public enum FailLevel: String, Sendable, CaseIterable {
        /// Error-level findings fail the run (the default).
        case error
        /// Warnings too (`--strict`).
        case warning
        /// Nothing does (`--exit-zero`); unreadable inputs still give exit status 2.
        case never

        /// Whether a finding of `severity` fails the run.
        public func fails(_ severity: Severity) -> Bool {
            switch self {
            case .error: severity == .error
            case .warning: severity >= .warning
            case .never: false
            }
        }
    }

    public var paths: [String] = []
    /// `--stdin-filename NAME`: report standard input as this file (e.g. an object-storage URI).
    public var stdinName: String?
    /// Main report format and where it goes (nil or `-`: standard output).
    public var format = ReportFormat.text
    public var output: String?
    /// Further reports: `--report FORMAT=PATH` (`-`: standard output).
    public var reports: [(format: ReportFormat, path: String)] = []
    /// csv: one row per event name instead of per finding.
    public var summaryOnly = false
    /// `--schema PATH` (QAPI source file or folder, introspection reply, text documentation).
    public var schemaPath: String?
    /// `--qemu-version X.Y[.Z]`: a built-in catalog.
    public var qemuVersion: String?
    /// Where `schemaPath` / `qemuVersion` came from when not the command line, e.g.
    /// `.qmp-lint.yml` (named in messages and in the report's schema reason).
    public var schemaOrigin: String?
    public var jobs: Int = 0
    public var color: ColorChoice = .auto
    /// `--fail-on`: which findings fail the run.
    public var failOn = FailLevel.error
    /// `--min-severity`: the least severe finding the reports show; nil: every finding, the text
    /// format summarising notes per rule instead of listing them.
    public var minSeverity: Severity?
    /// Only findings; no summary or status lines.
    public var quiet = false
    /// `--follow-links` (`-L`): follow symbolic links to directories while walking.
    public var followLinks = false
    /// `--follow` (`-F`): read regular files like `tail -F` (appended data, truncation, rotation)
    /// until the run is stopped (SIGINT, SIGTERM).
    public var follow = false
    /// `--hidden`: walk hidden files and folders too.
    public var includeHidden = false
    public var include: [String] = []
    public var exclude: [String] = []
    public var disabledRules: Set<String> = []
    /// `--enable RULE`: rules on whatever the configuration file says.
    public var enabledRules: Set<String> = []
    public var severities: [String: Severity] = [:]
    public var baseline: String?
    public var writeBaseline: String?
    /// Findings listed per input at most (the rest are counted): bounds memory on crafted input.
    public var maxFindings = 100_000
    /// Events recorded at most for the timeline formats (`timeline`, `html`); the rest are counted.
    public var maxTimelineEvents = EventTimeline.defaultCap
    /// Count progress (for a progress bar the front end draws).
    public var progress = true
    /// Where inputs are cut into chunks read in parallel (tests make the chunks small).
    public var chunkGeometry = ChunkGeometry()

    /// Warnings fail the run too: `failOn` is `.warning`.
    public var strict: Bool {
        get { failOn == .warning }
        set { failOn = newValue ? .warning : .error }
    }

    /// Rules turned off: disabled ones that `--enable` does not turn back on.
    public var effectiveDisabledRules: Set<String> { disabledRules.subtracting(enabledRules) }

    /// Every report of the run: the main one, then the `--report` ones.
    public var outputs: [ReportOutput] {
        [ReportOutput(format: format, path: output)] + reports.map { ReportOutput(format: $0.format, path: $0.path) }
    }

    public init() {}
}

/// One report a run writes: its format and where (`path` nil or `-`: standard output).
public struct ReportOutput: Sendable, Equatable {
    public var format: ReportFormat
    public var path: String?
    public init(format: ReportFormat, path: String?) {
        self.format = format
        self.path = path
    }

    /// Whether the report goes to standard output.
    public var isStandardOutput: Bool { path == nil || path == "-" }
    /// How messages name the destination.
    public var name: String { isStandardOutput ? "standard output" : path! }
}

/// Exit statuses, as documented in the README.
public enum ExitStatus: Int32, Sendable {
    case clean = 0
    /// Findings at or above `--fail-on`.
    case findings = 1
    /// An input could not be read (wholly or partly); the others were checked.
    case unreadableInput = 2
    /// A bad flag, configuration, schema or baseline: nothing was checked.
    case usage = 64
    /// A report or baseline could not be written (EX_IOERR).
    case outputError = 74
}
