/// The schemas (events, commands, error classes) of QEMU releases, built in: derived from each
/// release's QAPI source by `qmp-lint schema export --catalogs` (see `SchemaCatalogGenerator`)
/// and committed as catalogs (see `SchemaCatalogCodec`), so the tool needs no schema files at
/// run time.
public enum BuiltinCatalogs {
    /// Release versions with a catalog, oldest first (`X.Y.Z`; micro >= 50 is a development build
    /// of the next release).
    public static var versions: [String] { catalogIndex.map(\.version) }

    /// The catalog text of a release.
    public static func text(for version: String) -> String? {
        catalogIndex.first { $0.version == version }?.text
    }

    /// The default: the newest release (development snapshots, micro >= 50, only when asked for).
    public static var defaultVersion: String {
        versions.last { (VersionNumber($0)?.micro ?? 0) < 50 } ?? versions.last ?? ""
    }

    /// The schema of a release, named `qemu-<version>`.
    public static func load(version: String) throws(SchemaReadError) -> Schema {
        guard let text = text(for: version) else {
            throw SchemaReadError(path: "qemu-\(version)", line: 1, column: 1, message: "no built-in catalog for QEMU \(version)")
        }
        var s = try SchemaCatalogCodec.decode(text, name: "qemu-\(version)", origin: SchemaOrigin(kind: .builtin))
        s.version = version
        return s
    }

    /// The release to use for a requested `X.Y[.Z]`: the nearest release not newer than it.
    /// Micro >= 50 counts as the next minor release's development build (8.2.50 > 8.2.x, and
    /// selects 8.2.50 itself when that catalog exists). Nil when every release is newer or the
    /// request is not a version.
    public static func select(requested: String) -> String? {
        guard let want = VersionNumber(requested) else { return nil }
        return versions.filter { VersionNumber($0).map { $0 <= want } ?? false }.last
    }
}

extension BuiltinCatalogs {
    /// The built-in release of the same major.minor as `version` (a development build, micro
    /// >= 50, matches only the development catalog of that number), nil when there is none.
    public static func sameRelease(as version: String) -> String? {
        guard let want = VersionNumber(version) else { return nil }
        let candidates = versions.filter {
            guard let v = VersionNumber($0) else { return false }
            return v.major == want.major && v.minor == want.minor && (v.micro >= 50) == (want.micro >= 50)
        }
        return candidates.last { VersionNumber($0)! <= want } ?? candidates.first
    }
}

/// A QEMU version `major.minor.micro`, ordered numerically.
public struct VersionNumber: Comparable, Sendable, CustomStringConvertible {
    public var major: Int, minor: Int, micro: Int
    public init?(_ s: String) {
        let digits = s.prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        major = parts[0]!; minor = parts[1]!; micro = parts.count == 3 ? parts[2]! : 0
    }
    public static func < (a: VersionNumber, b: VersionNumber) -> Bool {
        (a.major, a.minor, a.micro) < (b.major, b.minor, b.micro)
    }
    public var description: String { "\(major).\(minor).\(micro)" }
}
