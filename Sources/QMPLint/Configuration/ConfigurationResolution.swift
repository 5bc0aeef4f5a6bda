import Foundation

/// A run's settings once its configuration file is applied: the file found upward from the
/// current directory (or named with `--config`), merged under the command line's flags.
public enum ConfigurationResolution {
    /// Where the configuration came from, for `qmp-lint config` and status lines.
    public struct Source: Sendable, Equatable {
        /// The file applied, nil when none.
        public var path: String?
        public var description: String { path.map { "configuration file \($0)" } ?? "no configuration file" }
    }

    /// `settings` (the command line's values) with the configuration file applied. `configPath`
    /// names a file (it must exist); otherwise one is looked for upward from the current
    /// directory unless `useFile` is false.
    public static func apply(to settings: LintSettings, explicit: ExplicitFlags, configPath: String?,
                             useFile: Bool = true) throws(ConfigurationError) -> (LintSettings, Source) {
        let path: String?
        if let configPath { path = configPath } else if useFile { path = QMPLintConfiguration.discover(from: ".") } else { path = nil }
        guard let path else { return (settings, Source(path: nil)) }
        let configuration = try QMPLintConfiguration.load(path: path, knownRules: Set(RuleCatalog.all.map(\.id)))
        var s = settings
        configuration.apply(to: &s, explicit: explicit)
        return (s, Source(path: path))
    }
}
