/// JSON string quoting for text built as a `String` (the baseline file): the escaping of
/// `JSONWriter`, the one JSON serializer, so every JSON-ish output escapes alike.
enum JSONEscaping {
    /// Appends `string` as a quoted JSON string: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`, and DEL, C1 controls, bidirectional controls,
    /// U+2028, U+2029 as `\u` escapes so the text is safe on terminals, in viewers and in JavaScript
    /// too. Everything else is raw UTF-8.
    static func appendQuoted(_ string: String, to output: inout String) {
        var bytes: [UInt8] = []
        JSONWriter.appendQuoted(string, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// `string` as a quoted JSON string.
    static func quoted(_ string: String) -> String {
        var out = ""
        appendQuoted(string, to: &out)
        return out
    }
}

/// The reports' JSON writer: `JSONWriter` (the one JSON serializer) with the report-side
/// conveniences (optional strings as null, sorted count maps).
struct ReportJSONWriter {
    private var w: JSONWriter
    init(pretty: Bool) { w = JSONWriter(pretty: pretty) }
    var output: String { w.text }
    var bytes: [UInt8] { w.bytes }
    mutating func reserveCapacity(_ n: Int) { w.reserveCapacity(n) }
    /// Bytes written and not yet drained.
    var count: Int { w.bytes.count }
    /// Hands the bytes written so far to `emit` and forgets them (the structure stays open).
    mutating func drain(_ emit: (UnsafeRawBufferPointer) -> Void) {
        w.bytes.withUnsafeBytes(emit)
        w.bytes.removeAll(keepingCapacity: true)
    }
    /// A raw newline after the document.
    mutating func newline() { w.bytes.append(0x0A) }

    mutating func key(_ name: String) { w.key(name) }
    mutating func beginObject() { w.beginObject() }
    mutating func endObject() { w.endObject() }
    mutating func beginArray() { w.beginArray() }
    mutating func endArray() { w.endArray() }
    mutating func string(_ value: String) { w.string(value) }
    mutating func string(_ value: String?) { if let value { w.string(value) } else { w.null() } }
    mutating func int(_ value: Int) { w.integer(value) }
    mutating func bool(_ value: Bool) { w.bool(value) }
    mutating func null() { w.null() }
    mutating func member(_ name: String, _ value: String) { key(name); string(value) }
    mutating func member(_ name: String, _ value: String?) { key(name); string(value) }
    mutating func member(_ name: String, _ value: Int) { key(name); int(value) }
    mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }
    mutating func member(_ name: String, sortedCounts: [String: Int]) {
        key(name)
        beginObject()
        for k in sortedCounts.keys.sorted() { member(k, sortedCounts[k]!) }
        endObject()
    }
}
