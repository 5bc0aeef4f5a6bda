import Foundation

/// The schema a run was told to use, if any: `--qemu-version` or `--schema` (or the same keys
/// of the configuration file).
public enum SchemaResolution {
    /// nil when neither was given (each input then chooses its own).
    public static func fixed(_ settings: LintSettings) throws -> (schema: Schema, choice: SchemaChoice)? {
        let origin = settings.schemaOrigin
        func named(_ key: String, _ value: String) -> String {
            origin.map { "\(key) \(value) in \($0)" } ?? "--\(key) \(value)"
        }
        var builtin: (schema: Schema, choice: SchemaChoice)?
        if let v = settings.qemuVersion {
            let release: String
            switch QEMUVersionRequest.resolve(v) {
            case .success(let r): release = r
            case .failure(let e):
                throw SchemaSelectionError(message: (origin.map { "qemu-version in \($0)" } ?? "--qemu-version") + ": \(e)")
            }
            let s = try BuiltinCatalogs.load(version: release)
            let reason = release == v ? named("qemu-version", v) : named("qemu-version", v) + " (nearest release not newer: \(release))"
            builtin = (s, SchemaChoice(name: s.name, reason: reason))
        }
        if let path = settings.schemaPath {
            // With both, the built-in schema resolves the types a text document only names.
            if builtin != nil && SchemaFiles.format(path) != .textDoc {
                throw SchemaSelectionError(
                    message: "--schema and --qemu-version exclude each other, unless the schema is text documentation (the release then defines the types it names)")
            }
            let s = try SchemaFiles.load(path: path, resolvingAgainst: builtin?.schema)
            var reason = named("schema", path)
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

/// A schema choice that cannot be made (a version with no built-in release, two sources).
public struct SchemaSelectionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A requested QEMU version (`--qemu-version`, `qemu-version:`) checked against the built-in
/// releases, with a message that says what is wrong with it.
public enum QEMUVersionRequest {
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The built-in release to use for `text`: the nearest not newer.
    public static func resolve(_ text: String) -> Result<String, Problem> {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let numeric = !text.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        if numeric && parts.count == 1 {
            let major = String(parts[0])
            let same = BuiltinCatalogs.versions.filter { $0.hasPrefix(major + ".") }
            let hint = same.isEmpty ? "" : "; built-in releases of QEMU \(major): \(same.joined(separator: ", "))"
            return .failure(Problem(description: "'\(text)' names a major version only: give X.Y or X.Y.Z, e.g. \(major).0\(hint)"))
        }
        guard numeric, (2...3).contains(parts.count), VersionNumber(text) != nil else {
            return .failure(Problem(description: "'\(text)' is not a QEMU version: give X.Y or X.Y.Z, e.g. 8.2 (see qmp-lint schema list)"))
        }
        guard let release = BuiltinCatalogs.select(requested: text) else {
            return .failure(Problem(description:
                "no built-in schema is as old as QEMU \(text) (the oldest is \(BuiltinCatalogs.versions.first ?? "none"))"))
        }
        return .success(release)
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
            "\(s.name):\($0.line): note: \($0.event) \($0.pointer) names type \($0.typeName), which it does not define: accepted as any value (add --qemu-version to resolve it)"
        }
    }
}
