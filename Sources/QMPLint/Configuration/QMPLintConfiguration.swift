/// What a `.qmp-lint.yml` file says. Every key is optional: an absent key leaves the setting to
/// the command line or the default. Loaded by `load(path:knownRules:)`, merged into a
/// run's `LintSettings` by `apply(to:explicit:)`, where command-line flags win.
public struct QMPLintConfiguration: Sendable, Equatable {
    /// The names searched for by `discover(from:)`, in order of preference.
    public static let fileNames = [".qmp-lint.yml", ".qmp-lint.yaml"]

    /// The keys a configuration file may hold, in the order `render()` writes them.
    public static let keys = [
        "schema", "qemu-version", "format", "reports", "disabled-rules", "severity", "include", "exclude",
        "min-severity", "fail-on", "strict", "jobs", "color", "baseline",
    ]

    /// A rule's level as a configuration file sets it: a `Severity`, or `off` (the rule is disabled).
    public enum RuleLevel: String, Sendable, Equatable, CaseIterable {
        case error, warning, note, off

        /// The severity, nil for `off`.
        public var severity: Severity? { Severity(rawValue: rawValue) }
    }

    /// A further report: `{format: sarif, path: out.sarif}` or `"sarif=out.sarif"` in the file.
    public struct Report: Sendable, Equatable {
        public var format: ReportFormat
        public var path: String
        public init(format: ReportFormat, path: String) {
            self.format = format
            self.path = path
        }
    }

    /// `schema`: a QAPI source file or folder, an introspection reply, or text documentation.
    public var schema: String?
    /// `qemu-version`: a built-in catalog, `X.Y[.Z]`. Excludes `schema`.
    public var qemuVersion: String?
    /// `format`: the main report's format.
    public var format: ReportFormat?
    /// `reports`: further reports, each written to its path.
    public var reports: [Report]?
    /// `disabled-rules`: rules turned off, in file order without repeats.
    public var disabledRules: [String] = []
    /// `severity`: per-rule level overrides.
    public var severity: [String: RuleLevel] = [:]
    /// `include` / `exclude`: globs for walked files (matched like `--include` / `--exclude`).
    public var include: [String]?
    public var exclude: [String]?
    /// `min-severity`: the least severe finding the reports show.
    public var minSeverity: Severity?
    /// `fail-on`: which findings fail the run (error, warning, never).
    public var failOn: LintSettings.FailLevel?
    /// `strict`: warnings fail the run too (`fail-on: warning`; excludes `fail-on`).
    public var strict: Bool?
    /// `jobs`: worker threads, at least 1.
    public var jobs: Int?
    /// `color`: auto, always or never.
    public var color: LintSettings.ColorChoice?
    /// `baseline`: a baseline file whose findings are not reported (see `Baseline`).
    public var baseline: String?

    /// The folder relative paths in the file (`schema`, report paths, `baseline`) are resolved
    /// against: the configuration file's folder, "" for the current directory.
    public var baseDirectory: String = ""
    /// The file as named in messages (`.qmp-lint.yml`), "" when parsed from text without one.
    public var source: String = ""

    public init() {}

    /// True when the file set nothing.
    public var isEmpty: Bool {
        var empty = QMPLintConfiguration()
        empty.baseDirectory = baseDirectory
        empty.source = source
        return self == empty
    }

    /// `path` as the run should open it: relative paths are taken from `baseDirectory`.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty || baseDirectory == "." { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }
}

/// Which settings were given on the command line, so that the configuration file does not
/// override them. The CLI inserts one member per flag the user actually passed.
public struct ExplicitFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `-f/--format`.
    public static let format = ExplicitFlags(rawValue: 1 << 0)
    /// `--report` (any): the file's `reports` are then ignored.
    public static let reports = ExplicitFlags(rawValue: 1 << 1)
    /// `--schema`: the file's `schema` and `qemu-version` are both ignored (they exclude each other).
    public static let schema = ExplicitFlags(rawValue: 1 << 2)
    /// `--qemu-version`: the file's `schema` and `qemu-version` are both ignored.
    public static let qemuVersion = ExplicitFlags(rawValue: 1 << 3)
    /// `--include` (any).
    public static let include = ExplicitFlags(rawValue: 1 << 4)
    /// `--exclude` (any).
    public static let exclude = ExplicitFlags(rawValue: 1 << 5)
    /// `--strict`, `--no-strict`, `--exit-zero` or `--fail-on`: the file's `strict` and `fail-on`
    /// are both ignored.
    public static let failOn = ExplicitFlags(rawValue: 1 << 6)
    /// The same as `failOn`.
    public static let strict = failOn
    /// `-j/--jobs`.
    public static let jobs = ExplicitFlags(rawValue: 1 << 7)
    /// `--color`.
    public static let color = ExplicitFlags(rawValue: 1 << 8)
    /// `--baseline`.
    public static let baseline = ExplicitFlags(rawValue: 1 << 9)
    /// `--min-severity`.
    public static let minSeverity = ExplicitFlags(rawValue: 1 << 10)
}

extension QMPLintConfiguration {
    /// Merges the file into `settings`, which already holds the command line's values: a setting
    /// named in `explicit` keeps its command-line value; otherwise the file's value, when it has
    /// one, replaces the default. Lists replace rather than extend, except rules: the file's
    /// disabled rules (`disabled-rules` and `severity: off`) are added to `--disable`'s, and the
    /// file's per-rule severities apply to the rules `settings.severities` does not already name.
    /// A rule the command line gives a severity is never disabled by the file, nor one it turns
    /// on with `--enable` (`LintSettings.enabledRules`).
    public func apply(to settings: inout LintSettings, explicit: ExplicitFlags) {
        if explicit.isDisjoint(with: [.schema, .qemuVersion]) && (schema != nil || qemuVersion != nil) {
            settings.schemaPath = schema.map(resolve)
            settings.qemuVersion = qemuVersion
            settings.schemaOrigin = source.isEmpty ? "configuration file" : source
        }
        if !explicit.contains(.format), let format { settings.format = format }
        if !explicit.contains(.reports), let reports {
            settings.reports = reports.map { (format: $0.format, path: resolve($0.path)) }
        }
        let commandLineSeverities = settings.severities
        for rule in disabledRules where commandLineSeverities[rule] == nil {
            settings.disabledRules.insert(rule)
        }
        for (rule, level) in severity where commandLineSeverities[rule] == nil {
            if let s = level.severity { settings.severities[rule] = s } else { settings.disabledRules.insert(rule) }
        }
        if !explicit.contains(.include), let include { settings.include = include }
        if !explicit.contains(.exclude), let exclude { settings.exclude = exclude }
        if !explicit.contains(.failOn) {
            if let strict { settings.strict = strict }
            if let failOn { settings.failOn = failOn }
        }
        if !explicit.contains(.minSeverity), let minSeverity { settings.minSeverity = minSeverity }
        if !explicit.contains(.jobs), let jobs { settings.jobs = jobs }
        if !explicit.contains(.color), let color { settings.color = color }
        if !explicit.contains(.baseline), let baseline { settings.baseline = resolve(baseline) }
    }
}
