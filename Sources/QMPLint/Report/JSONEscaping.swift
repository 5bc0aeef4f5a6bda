/// The one place report text becomes JSON: string escaping (RFC 8259) and a small writer that
/// emits objects and arrays in call order, so every JSON-ish format is deterministic.
enum JSONEscaping {
    /// Appends `string` as a quoted JSON string: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`, and DEL, U+2028, U+2029 as `\u` escapes so the
    /// text is safe on terminals and in JavaScript too. Everything else is raw UTF-8.
    static func appendQuoted(_ string: String, to output: inout String) {
        output.append("\"")
        if !needsEscaping(string) {
            output.append(string)
        } else {
            appendReplacing(string, to: &output) { scalar in
                switch scalar.value {
                case 0x22: return "\\\""
                case 0x5C: return "\\\\"
                case 0x0A: return "\\n"
                case 0x0D: return "\\r"
                case 0x09: return "\\t"
                case 0x08: return "\\b"
                case 0x0C: return "\\f"
                case 0x00..<0x20, 0x7F, 0x2028, 0x2029: return "\\u" + hex4(scalar.value)
                default: return nil
                }
            }
        }
        output.append("\"")
    }

    /// `string` as a quoted JSON string.
    static func quoted(_ string: String) -> String {
        var out = ""
        appendQuoted(string, to: &out)
        return out
    }

    private static func needsEscaping(_ string: String) -> Bool {
        for byte in string.utf8 {
            // 0xE2 starts U+2028/U+2029 (E2 80 A8/A9); checking the lead byte is cheap and safe.
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 {
                return true
            }
        }
        return false
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// Writes JSON text in the order of the calls: pretty (2-space indent, `": "`, one member per
/// line, empty containers as `{}`/`[]`) or compact (no whitespace at all).
struct ReportJSONWriter {
    private(set) var output = ""
    let pretty: Bool
    /// One entry per open container: whether it has an element yet.
    private var hasElements: [Bool] = []
    private var afterKey = false
    /// "\n" plus the indentation of each depth, built once.
    private var indents: [String] = []

    init(pretty: Bool) { self.pretty = pretty }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasElements.last else { return }
        if last { output.append(",") }
        hasElements[hasElements.count - 1] = true
        newline()
    }

    private mutating func newline() {
        guard pretty else { return }
        let depth = hasElements.count
        while indents.count <= depth { indents.append("\n" + String(repeating: "  ", count: indents.count)) }
        output.append(indents[depth])
    }

    /// Starts a member of the enclosing object; the next call writes its value.
    mutating func key(_ name: String) {
        beforeValue()
        JSONEscaping.appendQuoted(name, to: &output)
        output.append(pretty ? ": " : ":")
        afterKey = true
    }

    mutating func beginObject() {
        beforeValue()
        output.append("{")
        hasElements.append(false)
    }

    mutating func endObject() {
        if hasElements.removeLast() { newline() }
        output.append("}")
    }

    mutating func beginArray() {
        beforeValue()
        output.append("[")
        hasElements.append(false)
    }

    mutating func endArray() {
        if hasElements.removeLast() { newline() }
        output.append("]")
    }

    mutating func string(_ value: String) {
        beforeValue()
        JSONEscaping.appendQuoted(value, to: &output)
    }

    /// A string, or `null` when nil.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func int(_ value: Int) {
        beforeValue()
        output.append(String(value))
    }

    mutating func bool(_ value: Bool) {
        beforeValue()
        output.append(value ? "true" : "false")
    }

    mutating func null() {
        beforeValue()
        output.append("null")
    }

    // Members, for brevity at call sites.
    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }
    mutating func member(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }
    mutating func member(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }
    mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// `{"k": n, ...}` with keys sorted, for count maps.
    mutating func member(_ name: String, sortedCounts: [String: Int]) {
        key(name)
        beginObject()
        for k in sortedCounts.keys.sorted() { member(k, sortedCounts[k]!) }
        endObject()
    }
}
