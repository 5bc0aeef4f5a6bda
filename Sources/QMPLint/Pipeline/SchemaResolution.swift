import Foundation

/// The schema a run was told to use, if any: `--qemu-version` or `--schema`.
public enum SchemaResolution {
    /// nil when neither was given (each input then chooses its own).
    public static func fixed(_ settings: LintSettings) throws -> (schema: Schema, choice: SchemaChoice)? {
        var builtin: (schema: Schema, choice: SchemaChoice)?
        if let v = settings.qemuVersion {
            guard let release = BuiltinCatalogs.select(requested: v) else {
                throw SchemaReadError(path: "--qemu-version", line: 1, column: 1,
                                      message: "no built-in schema for QEMU \(v) (oldest is \(BuiltinCatalogs.versions.first ?? "none"))")
            }
            let s = try BuiltinCatalogs.load(version: release)
            let reason = release == v ? "--qemu-version \(v)" : "--qemu-version \(v) (nearest release not newer: \(release))"
            builtin = (s, SchemaChoice(name: s.name, reason: reason))
        }
        if let path = settings.schemaPath {
            // With both, the built-in schema resolves the types a text document only names.
            if builtin != nil && SchemaFiles.format(path) != .textDoc {
                throw SchemaReadError(path: "--qemu-version", line: 1, column: 1,
                                      message: "--schema and --qemu-version exclude each other, unless the schema is text documentation (the release then defines the types it names)")
            }
            let s = try SchemaFiles.load(path: path, resolvingAgainst: builtin?.schema)
            var reason = "--schema \(path)"
            if let b = builtin, SchemaFiles.format(path) == .textDoc { reason += " (types it names from \(b.choice.name))" }
            return (s, SchemaChoice(name: s.name, reason: reason))
        }
        return builtin
    }

    /// The schema for `schema` subcommands: the fixed one, else the newest built-in.
    public static func resolve(_ settings: LintSettings) throws -> (Schema, SchemaChoice) {
        if let f = try fixed(settings) { return f }
        let v = BuiltinCatalogs.defaultVersion
        let s = try BuiltinCatalogs.load(version: v)
        return (s, SchemaChoice(name: s.name, reason: "default (newest built-in release)"))
    }
}

/// Loads a schema named on the command line, whatever its form (QAPI source, a
/// query-qmp-schema reply or transcript holding one, text documentation).
enum SchemaFiles {
    static func load(path: String, resolvingAgainst other: Schema? = nil) throws -> Schema {
        var s = try SchemaFileLoader.load(path: path, resolvingAgainst: other)
        s.name = DisplayPath.make(path)
        return s
    }

    static func format(_ path: String) -> SchemaFileLoader.Format? { try? SchemaFileLoader.format(path: path) }

    /// One line per type the schema names without defining (accepted as any value), for stderr.
    static func notes(_ s: Schema) -> [String] {
        s.unresolvedReferences.map {
            "qmp-lint: \(s.name):\($0.line): note: \($0.event) \($0.pointer) names type \($0.typeName), which it does not define: accepted as any value (add --qemu-version to resolve it)"
        }
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

    /// Writes the report to a file descriptor as it is made; false on a write error.
    static func write(_ report: LintReport, format: String, settings: LintSettings, color: Bool, to fd: Int32) -> Bool {
        guard let reporter = Reporters.named(format) else { return false }
        let options = ReportOptions(color: color, summaryOnly: settings.summaryOnly, quiet: settings.quiet,
                                    rules: RuleCatalog.all, workingDirectory: FileManager.default.currentDirectoryPath)
        var ok = true
        reporter.write(report, options: options) { piece in if ok { ok = Console.writeAll(fd, piece) } }
        return ok
    }
}
