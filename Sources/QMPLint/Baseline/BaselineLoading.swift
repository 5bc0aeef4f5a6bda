import Foundation

/// A baseline file that cannot be used. Printed as `path:line:column: message` for JSON syntax
/// errors, `path: /entries/3/count: message` for a bad member, `path: message` otherwise.
public struct BaselineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based position of a JSON syntax error.
    public var line: Int?
    public var column: Int?
    /// JSON Pointer to the offending member, "" when none.
    public var pointer: String
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, pointer: String = "", message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.pointer = pointer
        self.message = message
    }

    public var description: String {
        if let line, let column { return "\(path):\(line):\(column): \(message)" }
        if !pointer.isEmpty { return "\(path): \(pointer): \(message)" }
        return "\(path): \(message)"
    }
}

extension Baseline {
    /// Reads a baseline file written by `write(to:)` (or edited by hand: entries may come in any
    /// order and repeat, they are merged).
    public static func load(path: String) throws(BaselineError) -> Baseline {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BaselineError(path: path, message: "cannot read: \(QMPLintConfiguration.readReason(error))")
        }
        return try parse(data, path: path)
    }

    /// Reads baseline JSON (with the project's own exact parser); `path` only names it in errors.
    public static func parse(_ data: Data, path: String) throws(BaselineError) -> Baseline {
        let bytes = [UInt8](data)
        var tape = JSONTape()
        let parsed = bytes.withUnsafeBytes { JSONParser.parseDocument($0, options: .strict, into: &tape) }
        if case .failure(let e) = parsed {
            var line = 1, column = 1
            for byte in bytes.prefix(e.offset) {
                if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
            }
            let reason = e.kind == .unexpectedEnd ? "the text ends inside a value" : e.message
            throw BaselineError(path: path, line: line, column: column, message: "invalid JSON: \(reason)")
        }
        let result: Result<Baseline, BaselineError> = bytes.withUnsafeBytes { b in
            tape.bytes = b
            do throws(BaselineError) { return .success(try read(tape, path: path)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func read(_ tape: JSONTape, path: String) throws(BaselineError) -> Baseline {
        func fail(_ pointer: String, _ message: String) -> BaselineError {
            BaselineError(path: path, pointer: pointer, message: message)
        }
        func integer(_ i: Int) -> Int? { tape.nodes[i].kind == .integer ? tape.int64(i).map(Int.init) : nil }
        guard tape.nodes[0].kind == .object else {
            throw fail("", "not a qmp-lint baseline: the top level must be an object")
        }
        guard let versionValue = tape.member(0, "baselineVersion") else {
            throw fail("", "not a qmp-lint baseline: no 'baselineVersion'")
        }
        guard let version = integer(versionValue) else {
            throw fail("/baselineVersion", "'baselineVersion' must be an integer")
        }
        if version != Baseline.version {
            throw fail(
                "/baselineVersion",
                "baseline version \(version) is not supported (this qmp-lint reads version \(Baseline.version))")
        }
        if let tool = tape.member(0, "tool"), tape.nodes[tool].kind != .string || tape.string(tool) != Baseline.toolName {
            throw fail("/tool", "'tool' must be \"\(Baseline.toolName)\"")
        }
        var rootKeys: [String] = []
        tape.forEachMember(0) { k, _ in rootKeys.append(tape.string(k)) }
        for key in rootKeys.sorted() where !["baselineVersion", "tool", "entries"].contains(key) {
            throw fail("/" + escapePointer(key), "unknown member '\(key)'")
        }
        guard let items = tape.member(0, "entries") else { throw fail("", "no 'entries'") }
        guard tape.nodes[items].kind == .array else { throw fail("/entries", "'entries' must be an array") }
        var itemIndices: [Int] = []
        tape.forEachElement(items) { _, e in itemIndices.append(e) }
        var entries: [Entry] = []
        entries.reserveCapacity(itemIndices.count)
        for (i, e) in itemIndices.enumerated() {
            let at = "/entries/\(i)"
            guard tape.nodes[e].kind == .object else { throw fail(at, "an entry must be an object") }
            var keys: [String] = []
            tape.forEachMember(e) { k, _ in keys.append(tape.string(k)) }
            for key in keys.sorted() where !["file", "rule", "event", "eventHash", "pointer", "count"].contains(key) {
                throw fail(at + "/" + escapePointer(key), "unknown member '\(key)'")
            }
            func string(_ name: String, nullable: Bool = false) throws(BaselineError) -> String? {
                guard let v = tape.member(e, name) else { throw fail(at, "missing '\(name)'") }
                if nullable && tape.nodes[v].kind == .null { return nil }
                guard tape.nodes[v].kind == .string else {
                    throw fail(at + "/" + name, "'\(name)' must be a string\(nullable ? " or null" : "")")
                }
                return tape.string(v)
            }
            let file = try string("file")!
            let rule = try string("rule")!
            let event = try string("event", nullable: true)
            let hash = try string("eventHash")!
            let pointer = try string("pointer")!
            if file.isEmpty { throw fail(at + "/file", "'file' must not be empty") }
            if rule.isEmpty { throw fail(at + "/rule", "'rule' must not be empty") }
            let count: Int
            if let c = tape.member(e, "count") {
                guard let n = integer(c), n >= 1 else {
                    throw fail(at + "/count", "'count' must be an integer of at least 1")
                }
                count = n
            } else {
                count = 1
            }
            entries.append(
                Entry(key: Key(file: file, rule: rule, event: event, eventHash: hash, pointer: pointer), count: count))
        }
        return Baseline(entries: entries)
    }

    static func escapePointer(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
