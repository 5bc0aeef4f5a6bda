#if canImport(Glibc)
import Glibc
#endif

/// An error in a schema file, with its place.
public struct SchemaReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path; self.line = line; self.column = column; self.message = message
    }
    public var description: String { "\(path):\(line):\(column): \(message)" }
}

/// A value of QAPI's schema syntax: not JSON (single-quoted strings, `#` comments, no numbers
/// or null), only what QAPI uses.
public indirect enum QAPIValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case list([QAPIValue])
    /// Members in source order.
    case dict([(key: String, value: QAPIValue)])

    public static func == (a: QAPIValue, b: QAPIValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.dict(let x), .dict(let y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    public subscript(key: String) -> QAPIValue? {
        if case .dict(let ms) = self { return ms.first { $0.key == key }?.value }
        return nil
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
}

/// One top-level expression of a schema file, with the doc comment block before it.
public struct QAPIExpression: Sendable {
    public var value: QAPIValue
    public var doc: String
    public var path: String
    public var line: Int
    public var column: Int
}

/// Reads QAPI schema files: comments, single-quoted strings, dicts and lists, `include`
/// (relative to the including file, each file once; a cycle or a missing file is an error).
public struct QAPISourceParser {
    /// Reads a file's text; tests pass an in-memory provider.
    public typealias FileProvider = (_ path: String) -> String?

    let provider: FileProvider
    public private(set) var expressions: [QAPIExpression] = []
    var included: Set<String> = []
    var stack: [String] = []

    public init(provider: @escaping FileProvider = QAPISourceParser.readFile) { self.provider = provider }

    public static func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `path` and everything it includes.
    public mutating func parse(path: String) throws(SchemaReadError) {
        let key = Self.normalize(path)
        if stack.contains(key) {
            throw SchemaReadError(path: stack.last ?? path, line: 1, column: 1,
                                  message: "include cycle: " + (stack + [key]).joined(separator: " -> "))
        }
        if included.contains(key) { return }
        guard let text = provider(path) else {
            throw SchemaReadError(path: path, line: 1, column: 1, message: "cannot read schema file")
        }
        included.insert(key)
        stack.append(key)
        defer { stack.removeLast() }
        var lexer = Lexer(text: Array(text.utf8), path: path)
        while true {
            let doc = lexer.skipTrivia()
            if lexer.atEnd { break }
            let (line, col) = (lexer.line, lexer.column)
            let value = try lexer.value()
            guard case .dict = value else {
                throw SchemaReadError(path: path, line: line, column: col, message: "a top-level expression must be a dict")
            }
            if let inc = value["include"] {
                guard let name = inc.string else {
                    throw SchemaReadError(path: path, line: line, column: col, message: "'include' needs a file name")
                }
                let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) + "/" : ""
                let target = Self.normalize(dir + name)
                if stack.contains(target) {
                    // Said at the include that closes the cycle.
                    throw SchemaReadError(path: path, line: line, column: col,
                                          message: "include cycle: " + (stack + [target]).joined(separator: " -> "))
                }
                do { try parse(path: dir + name) } catch {
                    if error.message == "cannot read schema file" && error.path == dir + name {
                        throw SchemaReadError(path: path, line: line, column: col, message: "included file '\(name)' cannot be read")
                    }
                    throw error
                }
                continue
            }
            expressions.append(QAPIExpression(value: value, doc: doc, path: path, line: line, column: col))
        }
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(p)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    struct Lexer {
        let text: [UInt8]
        let path: String
        var i = 0
        var line = 1
        var lineStart = 0
        var column: Int { i - lineStart + 1 }
        var atEnd: Bool { i >= text.count }

        init(text: [UInt8], path: String) { self.text = text; self.path = path }

        func error(_ m: String) -> SchemaReadError { SchemaReadError(path: path, line: line, column: column, message: m) }

        /// Skips white space and comments; returns the last doc comment block (`##` ... ) text.
        mutating func skipTrivia() -> String {
            var doc = ""
            var inDoc = false
            while i < text.count {
                let c = text[i]
                if c == 0x0A { i += 1; line += 1; lineStart = i; continue }
                if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
                if c == 0x23 {  // '#'
                    let start = i
                    while i < text.count && text[i] != 0x0A { i += 1 }
                    let lineText = String(decoding: text[start..<i], as: UTF8.self)
                    if lineText.hasPrefix("##") {
                        if inDoc { inDoc = false } else { inDoc = true; doc = "" }
                    } else if inDoc {
                        doc += String(lineText.dropFirst(lineText.hasPrefix("# ") ? 2 : 1)) + "\n"
                    }
                    continue
                }
                break
            }
            return doc
        }

        mutating func value() throws(SchemaReadError) -> QAPIValue {
            _ = skipTrivia()
            guard i < text.count else { throw error("unexpected end of file") }
            switch text[i] {
            case 0x7B:  // {
                i += 1
                var members: [(key: String, value: QAPIValue)] = []
                _ = skipTrivia()
                if i < text.count && text[i] == 0x7D { i += 1; return .dict(members) }
                while true {
                    _ = skipTrivia()
                    guard i < text.count, text[i] == 0x27 else { throw error("expected a string key") }
                    let key = try string()
                    if members.contains(where: { $0.key == key }) { throw error("duplicate key '\(key)'") }
                    _ = skipTrivia()
                    guard i < text.count, text[i] == 0x3A else { throw error("expected ':'") }
                    i += 1
                    members.append((key, try value()))
                    _ = skipTrivia()
                    guard i < text.count else { throw error("unexpected end of file in a dict") }
                    if text[i] == 0x2C { i += 1; continue }
                    if text[i] == 0x7D { i += 1; return .dict(members) }
                    throw error("expected ',' or '}'")
                }
            case 0x5B:  // [
                i += 1
                var items: [QAPIValue] = []
                _ = skipTrivia()
                if i < text.count && text[i] == 0x5D { i += 1; return .list(items) }
                while true {
                    items.append(try value())
                    _ = skipTrivia()
                    guard i < text.count else { throw error("unexpected end of file in a list") }
                    if text[i] == 0x2C { i += 1; continue }
                    if text[i] == 0x5D { i += 1; return .list(items) }
                    throw error("expected ',' or ']'")
                }
            case 0x27:
                return .string(try string())
            case 0x74 where matches("true"): i += 4; return .bool(true)
            case 0x66 where matches("false"): i += 5; return .bool(false)
            default:
                throw error("expected a dict, list, string, true or false")
            }
        }

        func matches(_ word: String) -> Bool {
            let w = Array(word.utf8)
            return i + w.count <= text.count && Array(text[i..<(i + w.count)]) == w
        }

        mutating func string() throws(SchemaReadError) -> String {
            i += 1
            var out: [UInt8] = []
            while i < text.count {
                let c = text[i]
                if c == 0x27 { i += 1; return String(decoding: out, as: UTF8.self) }
                if c == 0x0A { throw error("end of line inside a string") }
                if c == 0x5C {
                    i += 1
                    guard i < text.count else { break }
                    out.append(text[i]); i += 1; continue
                }
                out.append(c); i += 1
            }
            throw error("unterminated string")
        }
    }
}
