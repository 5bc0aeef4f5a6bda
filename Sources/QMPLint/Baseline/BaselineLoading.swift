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

    /// Reads baseline JSON; `path` only names it in errors.
    public static func parse(_ data: Data, path: String) throws(BaselineError) -> Baseline {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw syntaxError(error, data: data, path: path)
        }
        func fail(_ pointer: String, _ message: String) -> BaselineError {
            BaselineError(path: path, pointer: pointer, message: message)
        }
        guard let root = object as? [String: Any] else {
            throw fail("", "not a qmp-lint baseline: the top level must be an object")
        }
        guard let versionValue = root["baselineVersion"] else {
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
        if let tool = root["tool"], (tool as? String) != Baseline.toolName {
            throw fail("/tool", "'tool' must be \"\(Baseline.toolName)\"")
        }
        for key in root.keys.sorted() where !["baselineVersion", "tool", "entries"].contains(key) {
            throw fail("/" + escapePointer(key), "unknown member '\(key)'")
        }
        guard let entriesValue = root["entries"] else { throw fail("", "no 'entries'") }
        guard let items = entriesValue as? [Any] else { throw fail("/entries", "'entries' must be an array") }
        var entries: [Entry] = []
        entries.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let at = "/entries/\(i)"
            guard let e = item as? [String: Any] else { throw fail(at, "an entry must be an object") }
            for key in e.keys.sorted() where !["file", "rule", "event", "eventHash", "pointer", "count"].contains(key) {
                throw fail(at + "/" + escapePointer(key), "unknown member '\(key)'")
            }
            func string(_ name: String, nullable: Bool = false) throws(BaselineError) -> String? {
                guard let v = e[name] else { throw fail(at, "missing '\(name)'") }
                if nullable && v is NSNull { return nil }
                guard let s = v as? String else {
                    throw fail(at + "/" + name, "'\(name)' must be a string\(nullable ? " or null" : "")")
                }
                return s
            }
            let file = try string("file")!
            let rule = try string("rule")!
            let event = try string("event", nullable: true)
            let hash = try string("eventHash")!
            let pointer = try string("pointer")!
            if file.isEmpty { throw fail(at + "/file", "'file' must not be empty") }
            if rule.isEmpty { throw fail(at + "/rule", "'rule' must not be empty") }
            let count: Int
            if let c = e["count"] {
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

    /// An integral JSON number (not a boolean, not 1.5).
    static func integer(_ value: Any) -> Int? {
        guard let n = value as? NSNumber else { return nil }
        let type = String(cString: n.objCType)
        if type == "c" || type == "B" { return nil }  // booleans
        if type == "d" || type == "f" {
            let d = n.doubleValue
            return d.rounded() == d && abs(d) < 1e15 ? Int(d) : nil
        }
        return n.intValue
    }

    static func escapePointer(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Foundation says "… around character N." (a 0-based byte offset); that becomes a line and a
    /// column (1-based, in bytes). "Unexpected end of file" is placed at the end.
    static func syntaxError(_ error: any Error, data: Data, path: String) -> BaselineError {
        let description =
            ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String)
            ?? (error as NSError).localizedDescription
        var reason = description
        if reason.hasSuffix(".") { reason.removeLast() }
        if let r = reason.range(of: " around character ") { reason = String(reason[..<r.lowerBound]) }
        reason = "invalid JSON: " + reason.prefix(1).lowercased() + reason.dropFirst()
        var offset: Int?
        if let r = description.range(of: "around character ") {
            offset = Int(description[r.upperBound...].prefix { $0.isNumber })
        } else if description.localizedCaseInsensitiveContains("end of file") || data.isEmpty {
            offset = data.count
        }
        guard let offset else { return BaselineError(path: path, message: reason) }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return BaselineError(path: path, line: line, column: column, message: reason)
    }
}
