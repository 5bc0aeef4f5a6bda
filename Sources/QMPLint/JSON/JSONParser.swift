#if canImport(Glibc)
import Glibc
#endif

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
///
/// Strict mode accepts exactly RFC 8259 text: raw bytes in strings must be valid UTF-8 and not
/// control characters; `\uXXXX` escapes of lone surrogates are accepted, as the grammar allows,
/// and decode to U+FFFD. Raw control characters (a string cut by a logger's newline) are
/// rejected in every mode.
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
        /// Raw bytes that are not valid UTF-8 inside strings (log wrappers emit them); they are
        /// kept as written and replaced by U+FFFD when decoded. Strict mode rejects them.
        public var allowInvalidUTF8 = false
        /// Deepest nesting of arrays and objects accepted; deeper input fails with `.tooDeep`.
        public var maxDepth = 512
        public init() {}
        /// RFC 8259 only.
        public static let strict = Options()
        /// Everything logs contain: single quotes, Python literals, placeholders.
        public static let lenient: Options = {
            var o = Options(); o.allowSingleQuotes = true; o.allowPythonLiterals = true
            o.allowPlaceholders = true; o.allowInvalidUTF8 = true; return o
        }()
    }

    /// Parses one value starting at `offset` (leading whitespace skipped) and stops right after
    /// it; returns the offset one past the value. Bytes after the value are not looked at.
    ///
    /// Nothing at or beyond `limit` (default `bytes.count`) is read. The tape is reset first;
    /// after a failure it holds no nodes (duplicates found before the fault may remain).
    public static func parseValue(_ bytes: UnsafeRawBufferPointer, from offset: Int, limit: Int? = nil,
                                  options: Options, into tape: inout JSONTape) -> Result<Int, JSONParseError> {
        tape.reset(bytes: bytes)
        let end = limit ?? bytes.count
        precondition(offset >= 0 && offset <= end && end <= bytes.count, "JSONParser: range out of bounds")
        guard let base = bytes.baseAddress, offset < end else {
            return .failure(JSONParseError(kind: .unexpectedEnd, offset: end, message: "expected a value"))
        }
        let scratch = tape.nodes.writable()
        var count = 0
        let result = JSONScanner.run(
            base.assumingMemoryBound(to: UInt8.self), from: offset, limit: end, options: options,
            scratch: scratch, nodeCount: &count, duplicates: &tape.duplicates)
        if case .success = result { tape.nodes.setCount(count) }
        return result
    }

    /// Parses a whole document: one value with only whitespace around it.
    ///
    /// When any lenient option is on, a leading UTF-8 byte order mark is skipped.
    public static func parseDocument(_ bytes: UnsafeRawBufferPointer, options: Options = .strict,
                                     into tape: inout JSONTape) -> Result<Int, JSONParseError> {
        var start = 0
        let lenient = options.allowSingleQuotes || options.allowPythonLiterals || options.allowPlaceholders
            || options.allowInvalidUTF8
        if lenient, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            start = 3
        }
        switch parseValue(bytes, from: start, options: options, into: &tape) {
        case .failure(let error):
            return .failure(error)
        case .success(var i):
            while i < bytes.count, JSONScanner.isWhitespace(bytes[i]) { i += 1 }
            if i < bytes.count {
                return .failure(JSONParseError(kind: .syntax, offset: i, message: "unexpected data after value"))
            }
            return .success(i)
        }
    }
}

/// Decodes a JSON string literal's raw bytes (with its quotes) to a Swift String.
public enum JSONStringDecoder {
    /// Escapes are resolved (surrogate pairs combined; a lone surrogate becomes U+FFFD) and
    /// invalid UTF-8 is replaced by U+FFFD, so any string node of a lenient parse decodes.
    public static func decode(_ raw: UnsafeRawBufferPointer, singleQuoted: Bool) -> String {
        guard raw.count >= 2 else { return "" }
        let content = UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])
        if content.isEmpty || memchr(content.baseAddress!, 0x5C, content.count) == nil {
            return String(decoding: content, as: UTF8.self)
        }
        var out: [UInt8] = []
        decode(raw, singleQuoted: singleQuoted, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decoded content of a string literal (raw bytes with their quotes) to `out`
    /// as valid UTF-8: escapes resolved, lone surrogates and invalid UTF-8 replaced by U+FFFD.
    public static func decode(_ raw: UnsafeRawBufferPointer, singleQuoted: Bool, into out: inout [UInt8]) {
        guard raw.count >= 2, let base = raw.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let limit = raw.count - 1
        out.reserveCapacity(out.count + limit - 1)
        var i = 1
        while i < limit {
            let c = p[i]
            if c < 0x80 && c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            if c >= 0x80 {
                let n = JSONScanner.utf8Sequence(p, i, limit)
                if n > 0 {
                    for k in 0..<n { out.append(p[i + k]) }
                    i += n
                } else {
                    appendScalar(0xFFFD, to: &out)
                    i += -n
                }
                continue
            }
            // Backslash.
            guard i + 1 < limit else { out.append(c); i += 1; continue }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(p, i, limit) else {
                    out.append(0x5C); out.append(e)
                    continue
                }
                i += 4
                if unit >= 0xD800 && unit < 0xDC00 {
                    if i + 1 < limit, p[i] == 0x5C, p[i + 1] == UInt8(ascii: "u"),
                       let low = hex4(p, i + 2, limit), low >= 0xDC00 && low < 0xE000 {
                        i += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &out)
                    } else {
                        appendScalar(0xFFFD, to: &out)
                    }
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    appendScalar(0xFFFD, to: &out)
                } else {
                    appendScalar(unit, to: &out)
                }
            case 0x80...:
                // A backslash before a non-ASCII byte: keep the backslash, decode the byte next.
                out.append(0x5C)
                i -= 1
            default:
                // `"`, `\`, `/`, `'` and (never produced by the parser) anything else: literal.
                out.append(e)
            }
        }
    }

    @inline(__always)
    static func hex4(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) -> UInt32? {
        guard i + 4 <= limit else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = JSONScanner.hexValue(p[i + k]) else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    @inline(__always)
    static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | (v >> 6) & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        } else {
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | (v >> 12) & 0x3F))
            out.append(UInt8(0x80 | (v >> 6) & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
