/// Deterministic JSON text for reports: the same calls always give the same bytes.
///
/// Compact output uses `,` and `:` with no spaces; pretty output puts each member or element
/// on its own line with a 2-space indent and `": "` after keys (empty containers stay `{}`/`[]`).
/// Strings are escaped per RFC 8259: `"` and `\` with a backslash, `\b \f \n \r \t` by their short
/// forms, other control characters as `\u00XX` (lowercase hex), U+2028/U+2029 as `\u2028`/`\u2029`
/// so the text is also valid JavaScript, and DEL, C1 controls (U+0080-U+009F) and bidirectional
/// controls (U+202A-U+202E, U+2066-U+2069) as `\u` escapes so that text copied from logs cannot act
/// on a terminal or reorder what a viewer shows. Nothing else is escaped (`/` and other non-ASCII
/// stay raw).
public struct JSONWriter: Sendable {
    /// The text written so far (UTF-8). Callers may append their own separators (e.g. `\n`
    /// between JSON Lines records) between top-level values.
    public var bytes: [UInt8] = []
    /// Whether to indent.
    public let pretty: Bool

    /// One entry per open container: whether it has content yet.
    private var open: [Bool] = []
    /// A key was just written; the next value belongs to it.
    private var afterKey = false

    /// A writer producing compact text, or indented text when `pretty`.
    public init(pretty: Bool = false) {
        self.pretty = pretty
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Reserves room for `n` bytes of output (large documents grow once instead of doubling).
    public mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(n) }

    /// Clears the output (keeping capacity) for the next document.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        afterKey = false
    }

    // MARK: Structure

    /// Opens an object; write members with `key(_:)` + a value, then `endObject()`.
    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        open.append(false)
    }

    /// Closes the innermost open object.
    public mutating func endObject() { end(UInt8(ascii: "}")) }

    /// Opens an array; write its elements, then `endArray()`.
    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        open.append(false)
    }

    /// Closes the innermost open array.
    public mutating func endArray() { end(UInt8(ascii: "]")) }

    /// Writes a member name; the next value written is that member's value.
    public mutating func key(_ name: String) {
        assert(!afterKey, "JSONWriter: key after key")
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    // MARK: Scalars

    /// Writes a string value, escaped.
    public mutating func string(_ value: String) {
        beforeValue()
        appendString(value)
    }

    /// Writes a string from UTF-8 bytes (invalid sequences become U+FFFD).
    public mutating func string(utf8 value: UnsafeRawBufferPointer) {
        beforeValue()
        appendString(String(decoding: value, as: UTF8.self))
    }

    /// Writes an integer exactly.
    public mutating func integer(_ value: Int) { integer(Int64(value)) }

    /// Writes an integer exactly.
    public mutating func integer(_ value: Int64) {
        beforeValue()
        appendInteger(value.magnitude, negative: value < 0)
    }

    /// Writes an unsigned integer exactly.
    public mutating func integer(_ value: UInt64) {
        beforeValue()
        appendInteger(value, negative: false)
    }

    /// Writes a finite Double in Swift's shortest round-trip form (`1.5`, `1e-05`);
    /// non-finite values are written as `null`.
    public mutating func number(_ value: Double) {
        beforeValue()
        if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes `null`.
    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    // MARK: Members

    /// Writes a member: its name, then the value.
    public mutating func member(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func member(_ name: String, _ value: Int) { key(name); integer(value) }
    public mutating func member(_ name: String, _ value: Int64) { key(name); integer(value) }
    public mutating func member(_ name: String, _ value: UInt64) { key(name); integer(value) }
    public mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }
    /// A string member, or `null` when absent.
    public mutating func member(_ name: String, _ value: String?) { key(name); if let value { string(value) } else { null() } }
    /// Writes the member with `value`, or nothing at all when `value` is nil.
    public mutating func member(_ name: String, ifPresent value: String?) {
        if let value { member(name, value) }
    }

    /// Writes `name` and an object whose members `body` writes.
    public mutating func object(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name); object(body)
    }

    /// Writes an object whose members `body` writes.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        beginObject(); body(&self); endObject()
    }

    /// Writes `name` and an array whose elements `body` writes.
    public mutating func array(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name); array(body)
    }

    /// Writes an array whose elements `body` writes.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        beginArray(); body(&self); endArray()
    }

    // MARK: Tape values

    /// Re-serialises the value at tape index `index` (with its whole subtree): strings decoded and
    /// re-escaped, integers exactly, numbers as written, Python literals as JSON literals, and
    /// placeholders (not JSON) as strings of their text.
    public mutating func value(_ tape: JSONTape, _ index: Int) {
        // Per open container: members/elements still to write, and whether it is an object.
        var remaining: [(count: Int, object: Bool)] = []
        var j = index
        while true {
            if let top = remaining.last, top.object {
                let k = tape[j]
                key(k.kind == .placeholder ? tape.rawText(j) : tape.string(j))
                j += 1
            }
            let n = tape[j]
            switch n.kind {
            case .object, .array:
                if n.kind == .object { beginObject() } else { beginArray() }
                j += 1
                if n.count > 0 {
                    remaining.append((Int(n.count), n.kind == .object))
                    continue
                }
                if n.kind == .object { endObject() } else { endArray() }
            case .string:
                string(tape.string(j))
                j += 1
            case .integer:
                beforeValue()
                if n.flags & JSONNode.overflow != 0 {
                    bytes.append(contentsOf: tape.rawBytes(j))
                } else {
                    appendInteger(n.magnitude, negative: n.flags & JSONNode.negative != 0)
                }
                j += 1
            case .number:
                beforeValue()
                bytes.append(contentsOf: tape.rawBytes(j))
                j += 1
            case .bool:
                bool(n.flags & JSONNode.isTrue != 0)
                j += 1
            case .null:
                null()
                j += 1
            case .placeholder:
                string(tape.rawText(j))
                j += 1
            }
            // Close every container whose last child was just written.
            while let top = remaining.last {
                if top.count > 1 {
                    remaining[remaining.count - 1].count -= 1
                    break
                }
                remaining.removeLast()
                if top.object { endObject() } else { endArray() }
            }
            if remaining.isEmpty { return }
        }
    }

    // MARK: Escaping

    /// Appends `value` as a quoted, escaped JSON string to `out`.
    public static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    /// Appends valid UTF-8 `value` as a quoted, escaped JSON string to `out`.
    public static func appendQuoted(utf8 value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var run = 0  // start of the pending run of bytes copied as they are
        var i = 0
        let n = value.count
        while i < n {
            let c = value[i]
            var escape: StaticString? = nil
            var width = 1
            switch c {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x7F: escape = "\\u007f"
            case 0xE2 where i + 2 < n && value[i + 1] == 0x80 && (value[i + 2] == 0xA8 || value[i + 2] == 0xA9):
                escape = value[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                width = 3
            case 0xC2 where i + 1 < n && value[i + 1] >= 0x80 && value[i + 1] <= 0x9F,
                0xE2 where i + 2 < n && (value[i + 1] == 0x80 && value[i + 2] >= 0xAA && value[i + 2] <= 0xAE
                    || value[i + 1] == 0x81 && value[i + 2] >= 0xA6 && value[i + 2] <= 0xA9):
                // C1 controls and bidirectional embeddings, overrides and isolates: as \u escapes,
                // so a terminal or a viewer never acts on them.
                if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<i])) }
                let scalar: UInt32 = c == 0xC2 ? UInt32(value[i + 1]) : 0x2000 | UInt32(value[i + 1] & 0x3F) << 6 | UInt32(value[i + 2] & 0x3F)
                let hex: StaticString = "0123456789abcdef"
                out.append(contentsOf: "\\u".utf8)
                for shift in [12, 8, 4, 0] { out.append(hex.utf8Start[Int(scalar >> UInt32(shift) & 0xF)]) }
                i += c == 0xC2 ? 2 : 3
                run = i
                continue
            default:
                if c < 0x20 {
                    if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<i])) }
                    let hex: StaticString = "0123456789abcdef"
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex.utf8Start[Int(c >> 4)])
                    out.append(hex.utf8Start[Int(c & 0xF)])
                    i += 1
                    run = i
                    continue
                }
            }
            if let escape {
                if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<i])) }
                out.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
                i += width
                run = i
            } else {
                i += 1
            }
        }
        if run < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<n])) }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Internals

    private mutating func appendString(_ value: String) {
        JSONWriter.appendQuoted(value, to: &bytes)
    }

    private mutating func appendInteger(_ magnitude: UInt64, negative: Bool) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var v = magnitude
            var k = 20
            repeat {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    /// Separator and indentation before a member or element of the innermost container.
    private mutating func separate() {
        guard let hasContent = open.last else { return }
        if hasContent { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1] = true
        if pretty { newline(depth: open.count) }
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else {
            separate()
        }
    }

    private mutating func end(_ bracket: UInt8) {
        assert(!afterKey, "JSONWriter: container closed after a key")
        let hadContent = open.removeLast()
        if pretty && hadContent { newline(depth: open.count) }
        bytes.append(bracket)
    }

    private mutating func newline(depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }
}
