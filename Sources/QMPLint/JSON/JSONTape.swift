/// The kind of one JSON value on a `JSONTape`.
public enum JSONKind: UInt8, Sendable {
    case object, array, string, integer, number, bool, null
    /// A filtered value written by QEMU's test suite where a value belongs
    /// (`TIMESTAMP`, `LEN`, `(filtered)`, a bare `QMP_VERSION` member): not JSON, not an error.
    case placeholder
}

/// One value of a parsed document. Containers are followed on the tape by their content:
/// an object by `key, value, key, value, ...` (each key a `.string` node), an array by its
/// elements. `next` is the index just past this value's whole subtree, so siblings are
/// reached without walking children.
public struct JSONNode: Sendable {
    public var kind: JSONKind
    /// `.string`: `JSONNode.hasEscapes`, `.singleQuoted`; `.integer`: `.negative`, `.overflow`;
    /// `.bool`: `.isTrue`.
    public var flags: UInt8
    /// Children (`.object`: members, `.array`: elements); 0 for scalars.
    public var count: Int32
    /// Index of the node after this value's subtree.
    public var next: Int32
    /// Byte offset (in the parsed buffer) of the value's first byte: `{`, `[`, the opening quote, ...
    public var start: Int
    /// Byte offset one past the value's last byte.
    public var end: Int
    /// `.integer`: the magnitude (exact when `.overflow` is not set); `.bool`: 1 or 0.
    public var magnitude: UInt64

    public static let hasEscapes: UInt8 = 1
    public static let singleQuoted: UInt8 = 2
    public static let negative: UInt8 = 1
    public static let overflow: UInt8 = 2  // magnitude does not fit in UInt64
    public static let isTrue: UInt8 = 1

    public init(kind: JSONKind, flags: UInt8 = 0, count: Int32 = 0, next: Int32 = 0,
                start: Int, end: Int, magnitude: UInt64 = 0) {
        self.kind = kind; self.flags = flags; self.count = count; self.next = next
        self.start = start; self.end = end; self.magnitude = magnitude
    }
}

/// A key that occurs twice in one object.
public struct JSONDuplicateKey: Sendable {
    /// Tape index of the object node.
    public var object: Int
    /// Tape index of the repeated key node (the second or later occurrence).
    public var key: Int
}

/// A parsed JSON document as a flat array of nodes over the caller's bytes: no allocation per
/// value, every value's byte position known. The tape is reused across parses
/// (`JSONParser.parseValue` and `parseDocument` clear it, keeping capacity). Node 0 is the root.
///
/// The bytes are not owned: `bytes` must stay valid while the tape is read.
public struct JSONTape {
    public var nodes = JSONNodes()
    public var duplicates: [JSONDuplicateKey] = []
    public var bytes: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)

    public init() {}

    public mutating func reset(bytes: UnsafeRawBufferPointer) {
        nodes.clear()
        if !duplicates.isEmpty { duplicates.removeAll(keepingCapacity: true) }
        self.bytes = bytes
    }

    @inline(__always) public subscript(i: Int) -> JSONNode { nodes[i] }

    /// Index of the first child of container `i` (meaningless when `count == 0`).
    @inline(__always) public func firstChild(_ i: Int) -> Int { i + 1 }

    /// Calls `body(keyIndex, valueIndex)` for each member of object `i`, in text order.
    @inline(__always)
    public func forEachMember(_ i: Int, _ body: (Int, Int) throws -> Void) rethrows {
        var k = i + 1
        for _ in 0..<Int(nodes[i].count) {
            let v = k + 1
            try body(k, v)
            k = Int(nodes[v].next)
        }
    }

    /// Calls `body(index, elementIndex)` for each element of array `i`.
    @inline(__always)
    public func forEachElement(_ i: Int, _ body: (Int, Int) throws -> Void) rethrows {
        var e = i + 1
        for n in 0..<Int(nodes[i].count) {
            try body(n, e)
            e = Int(nodes[e].next)
        }
    }

    /// Tape index of the value of member `name` of object `i` (the first one if duplicated).
    public func member(_ i: Int, _ name: String) -> Int? {
        var found: Int?
        var name = name
        name.withUTF8 { want in
            var k = i + 1
            for _ in 0..<Int(nodes[i].count) {
                if stringEquals(k, want) { found = k + 1; return }
                k = Int(nodes[k + 1].next)
            }
        }
        return found
    }

    /// The raw bytes of node `i` as written (for strings: including quotes).
    public func rawBytes(_ i: Int) -> UnsafeRawBufferPointer {
        let n = nodes[i]
        return UnsafeRawBufferPointer(rebasing: bytes[n.start..<n.end])
    }

    /// The raw text of node `i` as written.
    public func rawText(_ i: Int) -> String {
        String(decoding: rawBytes(i), as: UTF8.self)
    }

    /// True when string node `i` decodes to exactly `want` (UTF-8).
    public func stringEquals(_ i: Int, _ want: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = nodes[i]
        guard n.kind == .string else { return false }
        if n.flags & JSONNode.hasEscapes == 0 {
            let len = n.end - n.start - 2
            guard len == want.count else { return false }
            if len == 0 { return true }
            return memcmp(bytes.baseAddress! + n.start + 1, want.baseAddress!, len) == 0
        }
        let s = string(i)
        var s2 = s
        return s2.withUTF8 { $0.count == want.count && (want.count == 0 || memcmp($0.baseAddress!, want.baseAddress!, want.count) == 0) }
    }

    public func stringEquals(_ i: Int, _ want: String) -> Bool {
        var w = want
        return w.withUTF8 { stringEquals(i, $0) }
    }

    /// The decoded value of string node `i` (escapes resolved; invalid UTF-8 repaired);
    /// for a placeholder node, its text as written.
    public func string(_ i: Int) -> String {
        if nodes[i].kind == .placeholder { return rawText(i) }
        return JSONStringDecoder.decode(rawBytes(i), singleQuoted: nodes[i].flags & JSONNode.singleQuoted != 0)
    }

    /// The value of integer node `i` as an Int64 when it fits.
    public func int64(_ i: Int) -> Int64? {
        let n = nodes[i]
        guard n.kind == .integer, n.flags & JSONNode.overflow == 0 else { return nil }
        if n.flags & JSONNode.negative != 0 {
            if n.magnitude <= UInt64(Int64.max) { return -Int64(n.magnitude) }
            if n.magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return n.magnitude <= UInt64(Int64.max) ? Int64(n.magnitude) : nil
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The nodes of a tape: the parser's own buffer, read in place (a document of a million values
/// is not copied). Copies of a tape share it until the next parse, which then starts a buffer of
/// its own; after a huge document the buffer is given back.
public struct JSONNodes: RandomAccessCollection {
    var storage = JSONNodeScratch()
    public private(set) var count = 0

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always) public subscript(i: Int) -> JSONNode {
        precondition(i >= 0 && i < count, "JSONNodes: index out of range")
        return storage.base[i]
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<JSONNode>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Buffers larger than this (in nodes) are given back after use.
    static let keep = 1 << 16

    mutating func clear() {
        count = 0
        if storage.capacity > Self.keep { storage = JSONNodeScratch() }
    }

    /// The buffer the parser may write: this tape's alone.
    mutating func writable() -> JSONNodeScratch {
        if !isKnownUniquelyReferenced(&storage) { storage = JSONNodeScratch() }
        return storage
    }

    mutating func setCount(_ n: Int) { count = n }
}
