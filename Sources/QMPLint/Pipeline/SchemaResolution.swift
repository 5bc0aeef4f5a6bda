import Foundation

/// The schema a run was told to use, if any: `--qemu-version` or `--schema`.
public enum SchemaResolution {
    /// nil when neither was given (each input then chooses its own).
    public static func fixed(_ settings: LintSettings) throws -> (schema: Schema, choice: SchemaChoice)? {
        if let v = settings.qemuVersion {
            guard let release = BuiltinCatalogs.select(requested: v) else {
                throw SchemaReadError(path: "--qemu-version", line: 1, column: 1,
                                      message: "no built-in schema for QEMU \(v) (oldest is \(BuiltinCatalogs.versions.first ?? "none"))")
            }
            let s = try BuiltinCatalogs.load(version: release)
            let reason = release == v ? "--qemu-version \(v)" : "--qemu-version \(v) (nearest release not newer: \(release))"
            return (s, SchemaChoice(name: s.name, reason: reason))
        }
        if let path = settings.schemaPath {
            let s = try SchemaFiles.load(path: path)
            return (s, SchemaChoice(name: s.name, reason: "--schema \(path)"))
        }
        return nil
    }

    /// The schema for `schema` subcommands: the fixed one, else the newest built-in.
    public static func resolve(_ settings: LintSettings) throws -> (Schema, SchemaChoice) {
        if let f = try fixed(settings) { return f }
        let v = BuiltinCatalogs.defaultVersion
        let s = try BuiltinCatalogs.load(version: v)
        return (s, SchemaChoice(name: s.name, reason: "default (newest built-in release)"))
    }
}

/// Loads a schema named on the command line, whatever its form.
enum SchemaFiles {
    static func load(path: String) throws -> Schema {
        var s = try QAPISchemaReader.read(path: path, name: DisplayPath.make(path))
        s.name = DisplayPath.make(path)
        return s
    }
}

/// Renders a report in a named format with the run's settings.
enum ReportRendering {
    static var formatNames: [String] { Reporters.identifiers }
    static func render(_ report: LintReport, format: String, settings: LintSettings, color: Bool) -> [UInt8] {
        guard let reporter = Reporters.named(format) else { return [] }
        let options = ReportOptions(color: color, summaryOnly: settings.summaryOnly, quiet: settings.quiet,
                                    rules: RuleCatalog.all, workingDirectory: FileManager.default.currentDirectoryPath)
        return reporter.renderBytes(report, options: options)
    }
}
