/// Everything a lint run is told, from flags and the configuration file. The CLI fills it in;
/// `LintRunner` carries it out.
public struct LintSettings: Sendable {
    public enum ColorChoice: String, Sendable, CaseIterable { case auto, always, never }

    public var paths: [String] = []
    /// `--stdin-filename NAME`: report standard input as this file (e.g. an object-storage URI).
    public var stdinName: String?
    /// Main report format and where it goes (nil: standard output).
    public var format = "text"
    public var output: String?
    /// Further reports: `--report FORMAT=PATH`.
    public var reports: [(format: String, path: String)] = []
    /// csv: one row per event name instead of per finding.
    public var summaryOnly = false
    /// `--schema PATH` (QAPI source file or folder, introspection reply, text documentation).
    public var schemaPath: String?
    /// `--qemu-version X.Y[.Z]`: a built-in catalog.
    public var qemuVersion: String?
    public var jobs: Int = 0
    public var color: ColorChoice = .auto
    /// Warnings fail the run too.
    public var strict = false
    /// Only findings; no summary or status lines.
    public var quiet = false
    public var followLinks = false
    /// `--hidden`: walk hidden files and folders too.
    public var includeHidden = false
    public var include: [String] = []
    public var exclude: [String] = []
    public var disabledRules: Set<String> = []
    public var severities: [String: Severity] = [:]
    public var baseline: String?
    public var writeBaseline: String?
    /// Findings listed per input at most (the rest are counted): bounds memory on crafted input.
    public var maxFindings = 100_000
    /// Events recorded at most for the timeline formats (`timeline`, `html`); the rest are counted.
    public var maxTimelineEvents = EventTimeline.defaultCap
    /// Show a progress bar on standard error (only when it is a terminal and the run is long).
    public var progress = true
    /// Files larger than this are split into ranges checked in parallel (tests lower it).
    public var splitThreshold = 8 << 20

    public init() {}
}

/// Exit statuses, as documented in the README.
public enum ExitStatus: Int32, Sendable {
    case clean = 0
    case findings = 1
    case unreadableInput = 2
    case usage = 64
}
