import Foundation

/// Loads a schema given as a path (`--schema`), recognising its form from its first bytes:
/// QAPI source (a folder, or text starting with a `#` comment or a single-quoted
/// `{ 'include': ...}` style dict), introspection data (JSON: starts with `[` or `{"`, or holds
/// a `"meta-type"`), or else the old text documentation of events.
public enum SchemaFileLoader {
    /// The forms a schema file comes in.
    public enum Format: String, Sendable, Equatable {
        case qapiSource = "qapi-source"
        case introspection
        case textDoc = "text-doc"
    }

    /// Reads the schema at `path` with the reader for its form. `resolvingAgainst` resolves the
    /// QAPI types a text document only names (see `TextDocSchemaReader`); other forms ignore it.
    public static func load(path: String, resolvingAgainst other: Schema? = nil) throws(SchemaReadError) -> Schema {
        switch try format(path: path) {
        case .qapiSource:
            return try QAPISchemaReader.read(path: path)
        case .introspection:
            return try IntrospectionReader.read(path: path)
        case .textDoc:
            return try TextDocSchemaReader.read(path: path, resolvingAgainst: other)
        }
    }

    /// The form of the schema at `path`.
    public static func format(path: String) throws(SchemaReadError) -> Format {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SchemaReadError(path: path, message: "no such file or directory")
        }
        if isDirectory.boolValue { return .qapiSource }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchemaReadError(path: path, message: "cannot read file")
        }
        return data.withUnsafeBytes { format(of: $0) }
    }

    /// The form of a schema file's contents.
    public static func format(of bytes: UnsafeRawBufferPointer) -> Format {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        func skipSpace() { while i < bytes.count, JSONScanner.isWhitespace(bytes[i]) { i += 1 } }
        skipSpace()
        if i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "#"):
                return .qapiSource
            case UInt8(ascii: "["):
                return .introspection
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "'") { return .qapiSource }
                if i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "}") { return .introspection }
            default:
                break
            }
        }
        let meta: StaticString = "\"meta-type\""
        let needle = UnsafeRawBufferPointer(start: meta.utf8Start, count: meta.utf8CodeUnitCount)
        if ByteScan.find(needle, in: bytes, from: 0, to: bytes.count) != nil { return .introspection }
        return .textDoc
    }
}
