/// A JSON Pointer (RFC 6901) naming a place inside a document, e.g. `/data/info/slot-type`;
/// findings use it to say which member of an event is wrong.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first (member names or array indices).
    public private(set) var tokens: [String]

    /// The pointer to the whole document (`""`).
    public static let root = JSONPointer()

    /// A pointer made of unescaped tokens: `JSONPointer(["data", "a/b"])` is `/data/a~1b`.
    public init(_ tokens: [String] = []) { self.tokens = tokens }

    /// Parses pointer text such as `/data/a~1b/0`; nil when it is neither empty nor starts
    /// with `/`, or has a `~` not followed by `0` or `1`.
    public init?(parsing text: String) {
        if text.isEmpty { self.init(); return }
        guard text.utf8.first == UInt8(ascii: "/") else { return nil }
        var tokens: [String] = []
        for raw in text.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            var token: [UInt8] = []
            var tilde = false
            for c in raw {
                if tilde {
                    guard c == UInt8(ascii: "0") || c == UInt8(ascii: "1") else { return nil }
                    token.append(c == UInt8(ascii: "0") ? UInt8(ascii: "~") : UInt8(ascii: "/"))
                    tilde = false
                } else if c == UInt8(ascii: "~") {
                    tilde = true
                } else {
                    token.append(c)
                }
            }
            if tilde { return nil }
            tokens.append(String(decoding: token, as: UTF8.self))
        }
        self.init(tokens)
    }

    /// This pointer extended by a member name.
    public func appending(_ member: String) -> JSONPointer {
        var p = self; p.tokens.append(member); return p
    }

    /// This pointer extended by an array index.
    public func appending(index: Int) -> JSONPointer {
        var p = self; p.tokens.append(String(index)); return p
    }

    /// Extends this pointer by a member name.
    public mutating func append(_ member: String) { tokens.append(member) }

    /// Extends this pointer by an array index.
    public mutating func append(index: Int) { tokens.append(String(index)) }

    /// The pointer without its last token (the root stays the root).
    public var parent: JSONPointer {
        var p = self; if !p.tokens.isEmpty { p.tokens.removeLast() }; return p
    }

    /// The pointer text, e.g. `/data/info/slot-type`; `""` for the root.
    public var description: String {
        var out = ""
        for token in tokens {
            out += "/"
            out += JSONPointer.escape(token)
        }
        return out
    }

    /// A member name escaped as a reference token: `~` becomes `~0`, `/` becomes `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return token
        }
        var out = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The tape index this pointer names, starting from node `start` (default: the root);
    /// nil when a member or index does not exist. A duplicated member resolves to its first
    /// occurrence.
    public func resolve(in tape: JSONTape, from start: Int = 0) -> Int? {
        var node = start
        for token in tokens {
            guard node < tape.nodes.count else { return nil }
            switch tape[node].kind {
            case .object:
                guard let value = tape.member(node, token) else { return nil }
                node = value
            case .array:
                guard let index = Int(token), index >= 0, index < Int(tape[node].count),
                      token == String(index) else { return nil }
                var e = node + 1
                for _ in 0..<index { e = Int(tape[e].next) }
                node = e
            default:
                return nil
            }
        }
        return node
    }

    /// The pointer to tape node `target` relative to container `root` (default: the document),
    /// found by descending through the subtrees that contain it; nil when `target` is not a
    /// value inside `root` (a key node, or outside its subtree).
    public init?(tape: JSONTape, node target: Int, root: Int = 0) {
        var tokens: [String] = []
        var node = root
        guard root < tape.nodes.count, target >= root, target < Int(tape[root].next) else { return nil }
        while node != target {
            let container = tape[node]
            var found = false
            switch container.kind {
            case .object:
                var k = node + 1
                for _ in 0..<Int(container.count) {
                    let v = k + 1
                    if target == k { return nil }
                    if target >= v && target < Int(tape[v].next) {
                        tokens.append(tape[k].kind == .placeholder ? tape.rawText(k) : tape.string(k))
                        node = v; found = true; break
                    }
                    k = Int(tape[v].next)
                }
            case .array:
                var e = node + 1
                for n in 0..<Int(container.count) {
                    if target >= e && target < Int(tape[e].next) {
                        tokens.append(String(n))
                        node = e; found = true; break
                    }
                    e = Int(tape[e].next)
                }
            default:
                break
            }
            if !found { return nil }
        }
        self.init(tokens)
    }
}
