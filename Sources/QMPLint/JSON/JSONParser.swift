/// What a parse failed on, with the byte offset of the fault.
public struct JSONParseError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input ended inside a value (text cut mid-object).
        case unexpectedEnd
        /// A byte that cannot stand here.
        case syntax
        /// Nesting deeper than `JSONParser.Options.maxDepth`.
        case tooDeep
    }
    public var kind: Kind
    /// Byte offset (in the parsed buffer) of the fault.
    public var offset: Int
    /// A short human-readable reason, e.g. "expected ',' or '}' after object member".
    public var message: String
    public init(kind: Kind, offset: Int, message: String) {
        self.kind = kind; self.offset = offset; self.message = message
    }
}

/// Exact JSON parser (RFC 8259) writing onto a `JSONTape`; integers kept exactly, every value
/// located by byte offset, duplicate keys recorded, depth bounded without recursion.
public enum JSONParser {
    public struct Options: Sendable {
        /// Strings in single quotes (QEMU's JSON dialect, Python repr).
        public var allowSingleQuotes = false
        /// `True`, `False`, `None` (Python repr).
        public var allowPythonLiterals = false
        /// QEMU test-suite placeholders where a value belongs: a bare upper-case word
        /// (`TIMESTAMP`, `LEN`), a parenthesised word (`(filtered)`), and a bare upper-case word
        /// standing alone as an object member (`{ QMP_VERSION }`).
        public var allowPlaceholders = false
        public var maxDepth = 512
        public init() {}
        /// RFC 8259 only.
        public static let strict = Options()
        /// Everything logs contain: single quotes, Python literals, placeholders.
        public static let lenient: Options = {
            var o = Options(); o.allowSingleQuotes = true; o.allowPythonLiterals = true
            o.allowPlaceholders = true; return o
        }()
    }

    /// Parses one value starting at `offset` (leading whitespace skipped) and stops right after
    /// it; returns the offset one past the value. Bytes after the value are not looked at.
    public static func parseValue(_ bytes: UnsafeRawBufferPointer, from offset: Int, limit: Int? = nil,
                                  options: Options, into tape: inout JSONTape) -> Result<Int, JSONParseError> {
        fatalError("not implemented")
    }

    /// Parses a whole document: one value with only whitespace around it.
    public static func parseDocument(_ bytes: UnsafeRawBufferPointer, options: Options = .strict,
                                     into tape: inout JSONTape) -> Result<Int, JSONParseError> {
        fatalError("not implemented")
    }
}

/// Decodes a JSON string literal's raw bytes (with its quotes) to a Swift String.
public enum JSONStringDecoder {
    public static func decode(_ raw: UnsafeRawBufferPointer, singleQuoted: Bool) -> String {
        fatalError("not implemented")
    }
}
