#if canImport(Glibc)
import Glibc
#endif

/// Why a scan stopped; with the offset of the fault it becomes a `JSONParseError`
/// (`.unexpectedEnd` when the offset is the limit).
enum JSONFault: UInt8 {
    case expectedValue, expectedKey, expectedColon, expectedObjectSeparator, expectedArraySeparator
    case unterminatedString, invalidEscape, invalidUnicodeEscape, controlCharacter, invalidUTF8
    case expectedDigit, leadingZero, expectedFractionDigit, expectedExponentDigit
    case invalidLiteral, unterminatedLiteral, unterminatedPlaceholder, tooDeep

    var message: String {
        switch self {
        case .expectedValue: "expected a value"
        case .expectedKey: "expected string key"
        case .expectedColon: "expected ':' after object key"
        case .expectedObjectSeparator: "expected ',' or '}' after object member"
        case .expectedArraySeparator: "expected ',' or ']' after array element"
        case .unterminatedString: "unterminated string"
        case .invalidEscape: "invalid escape"
        case .invalidUnicodeEscape: "invalid \\u escape"
        case .controlCharacter: "control character in string"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .expectedDigit: "expected digit"
        case .leadingZero: "leading zero in number"
        case .expectedFractionDigit: "expected digit after '.'"
        case .expectedExponentDigit: "expected digit in exponent"
        case .invalidLiteral: "invalid literal"
        case .unterminatedLiteral: "unterminated literal"
        case .unterminatedPlaceholder: "unterminated placeholder"
        case .tooDeep: "nesting too deep"
        }
    }
}

/// The byte-level engine behind `JSONParser`: one loop with an explicit container chain, no
/// recursion, state in locals. While a container is open its node's `next` holds the tape index
/// of the enclosing open container (-1 for none); closing it stores the real `next`.
/// Nodes are written through a raw pointer into a `JSONNodeScratch` (no uniqueness or bounds
/// checks per node); `JSONParser` copies them onto the tape when the value is complete.
enum JSONScanner {
    /// Objects with more members than this are checked for duplicate keys with a hash set
    /// when they close; smaller ones by a linear scan as each key arrives.
    static let linearDuplicateLimit = 32

    /// Parses one value at `from`. On success returns the offset past it and sets `nodeCount`
    /// to the number of nodes left in `scratch`.
    static func run(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, options: JSONParser.Options,
                    scratch: JSONNodeScratch, nodeCount: inout Int,
                    duplicates: inout [JSONDuplicateKey]) -> Result<Int, JSONParseError> {
        var i = from
        var nodes = scratch.base
        var capacity = scratch.capacity
        var count = 0
        var parent = -1
        var parentIsArray = false
        var depth = 0
        var expectKey = false
        var sortDuplicates = false
        let maxDepth = options.maxDepth
        let singleQuotes = options.allowSingleQuotes
        let placeholders = options.allowPlaceholders

        @inline(__always) func push(_ node: JSONNode) {
            if count == capacity {
                scratch.grow(keeping: count)
                nodes = scratch.base
                capacity = scratch.capacity
            }
            nodes[count] = node
            count += 1
        }

        @inline(__always) func skipWhitespace() {
            while i < limit && isWhitespace(p[i]) { i += 1 }
        }

        func failure(_ fault: JSONFault, _ offset: Int) -> Result<Int, JSONParseError> {
            if fault == .tooDeep {
                return .failure(JSONParseError(kind: .tooDeep, offset: offset, message: "nesting deeper than \(maxDepth)"))
            }
            return .failure(JSONParseError(kind: offset >= limit ? .unexpectedEnd : .syntax, offset: offset,
                                           message: fault.message))
        }

        outer: while true {
            skipWhitespace()
            if i >= limit { return failure(expectKey ? .expectedKey : .expectedValue, limit) }
            let c = p[i]
            if expectKey {
                expectKey = false
                nodes[parent].count += 1
                let member = Int(nodes[parent].count)
                if c == 0x22 || (c == 0x27 && singleQuotes) {
                    let s = scanString(p, i, limit, quote: c, options: options)
                    if let fault = s.fault { return failure(fault, s.end) }
                    let k = count
                    push(JSONNode(kind: .string, flags: s.flags, next: Int32(k + 1), start: i, end: s.end))
                    if member <= linearDuplicateLimit
                        && mayRepeat(p, nodes + parent, start: i + 1, end: s.end - 1, escaped: s.flags) {
                        checkDuplicate(p, nodes, key: k, object: parent, member: member, duplicates: &duplicates)
                    }
                    i = s.end
                    skipWhitespace()
                    if i >= limit || p[i] != 0x3A { return failure(.expectedColon, min(i, limit)) }
                    i += 1
                    continue outer
                }
                guard placeholders, c &- 0x41 < 26 else { return failure(.expectedKey, i) }
                // `{ QMP_VERSION }`: a bare word standing as a whole member.
                let start = i
                var j = i + 1
                while j < limit && isPlaceholderByte(p[j]) { j += 1 }
                let end = j
                while j < limit && isWhitespace(p[j]) { j += 1 }
                if j >= limit { return failure(.expectedObjectSeparator, limit) }
                guard p[j] == 0x7D || p[j] == 0x2C else { return failure(.expectedKey, start) }
                let k = count
                push(JSONNode(kind: .placeholder, next: Int32(k + 1), start: start, end: end))
                push(JSONNode(kind: .placeholder, next: Int32(k + 2), start: start, end: end))
                if member <= linearDuplicateLimit
                    && mayRepeat(p, nodes + parent, start: start, end: end, escaped: 0) {
                    checkDuplicate(p, nodes, key: k, object: parent, member: member, duplicates: &duplicates)
                }
                i = end
            } else {
                if parentIsArray { nodes[parent].count += 1 }
                switch c {
                case 0x22:
                    let s = scanString(p, i, limit, quote: c, options: options)
                    if let fault = s.fault { return failure(fault, s.end) }
                    push(JSONNode(kind: .string, flags: s.flags, next: Int32(count + 1), start: i, end: s.end))
                    i = s.end
                case 0x7B, 0x5B:  // { [
                    depth += 1
                    if depth > maxDepth { return failure(.tooDeep, i) }
                    let isArray = c == 0x5B
                    let index = count
                    push(JSONNode(kind: isArray ? .array : .object, next: Int32(parent), start: i, end: i))
                    i += 1
                    skipWhitespace()
                    if i >= limit { return failure(isArray ? .expectedValue : .expectedKey, limit) }
                    if p[i] == c &+ 2 {  // ] or }: empty, closed at once
                        i += 1
                        nodes[index].end = i
                        nodes[index].next = Int32(index + 1)
                        depth -= 1
                    } else {
                        parent = index
                        parentIsArray = isArray
                        expectKey = !isArray
                        continue outer
                    }
                case 0x2D, 0x30...0x39:
                    let n = scanNumber(p, i, limit)
                    if let fault = n.fault { return failure(fault, n.end) }
                    push(JSONNode(kind: n.kind, flags: n.flags, next: Int32(count + 1), start: i, end: n.end,
                                  magnitude: n.magnitude))
                    i = n.end
                case 0x27 where singleQuotes:
                    let s = scanString(p, i, limit, quote: c, options: options)
                    if let fault = s.fault { return failure(fault, s.end) }
                    push(JSONNode(kind: .string, flags: s.flags, next: Int32(count + 1), start: i, end: s.end))
                    i = s.end
                case 0x28 where placeholders:
                    let w = scanParenthesised(p, i, limit)
                    if let fault = w.fault { return failure(fault, w.end) }
                    push(JSONNode(kind: .placeholder, next: Int32(count + 1), start: i, end: w.end))
                    i = w.end
                default:
                    let w = scanWord(p, i, limit, options: options)
                    if let fault = w.fault { return failure(fault, w.end) }
                    push(JSONNode(kind: w.kind, flags: w.flags, next: Int32(count + 1), start: i, end: w.end,
                                  magnitude: UInt64(w.flags)))
                    i = w.end
                }
            }

            // After a value (or a placeholder member): close containers until one continues.
            while true {
                if parent < 0 {
                    if sortDuplicates { duplicates.sort { $0.key < $1.key } }
                    nodeCount = count
                    return .success(i)
                }
                skipWhitespace()
                if i >= limit {
                    return failure(parentIsArray ? .expectedArraySeparator : .expectedObjectSeparator, limit)
                }
                let c = p[i]
                if c == 0x2C {
                    i += 1
                    expectKey = !parentIsArray
                    continue outer
                }
                if c != (parentIsArray ? 0x5D : 0x7D) {
                    return failure(parentIsArray ? .expectedArraySeparator : .expectedObjectSeparator, i)
                }
                i += 1
                let index = parent
                nodes[index].end = i
                parent = Int(nodes[index].next)
                nodes[index].next = Int32(count)
                nodes[index].magnitude = 0
                nodes[index].flags = 0
                if !parentIsArray && Int(nodes[index].count) > linearDuplicateLimit {
                    checkLargeObject(p, nodes, index, duplicates: &duplicates)
                    sortDuplicates = true
                }
                parentIsArray = parent >= 0 && nodes[parent].kind == .array
                depth -= 1
            }
        }
    }

    // MARK: Byte classes

    @inline(__always)
    static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        let d = c &- 0x30
        if d < 10 { return d }
        let l = (c | 0x20) &- 0x61
        if l < 6 { return l + 10 }
        return nil
    }

    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool {
        let l = (c | 0x20) &- 0x61
        return l < 26 || c &- 0x30 < 10 || c == 0x5F
    }

    @inline(__always)
    static func isPlaceholderByte(_ c: UInt8) -> Bool {
        c &- 0x41 < 26 || c &- 0x30 < 10 || c == 0x5F
    }

    static let ones: UInt64 = 0x0101_0101_0101_0101

    /// High bit set in each byte of `w` that ends a plain run inside a string: the quote
    /// (`quotes` is it repeated in every byte), a backslash, a control character or a non-ASCII
    /// byte. Borrows only carry upwards, so the lowest flagged byte is always a true stop.
    @inline(__always)
    static func stringStops(_ w: UInt64, _ quotes: UInt64) -> UInt64 {
        let q = w ^ quotes
        let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
        let zeroQ = (q &- ones) & ~q
        let zeroB = (b &- ones) & ~b
        let control = (w &- 0x2020_2020_2020_2020) & ~w
        return (zeroQ | zeroB | control | w) & 0x8080_8080_8080_8080
    }

    /// The UTF-8 sequence at `i` (not reading at or past `limit`): its length when valid, or
    /// minus the length of its maximal invalid subpart (at least 1), as Unicode's U+FFFD
    /// substitution practice counts it.
    @inline(__always)
    static func utf8Sequence(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) -> Int {
        let lead = p[i]
        if lead < 0x80 { return 1 }
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < limit && p[i + k] >= lo && p[i + k] <= hi
        }
        switch lead {
        case 0xC2...0xDF:
            return cont(1) ? 2 : -1
        case 0xE0...0xEF:
            let ok = lead == 0xE0 ? cont(1, 0xA0) : lead == 0xED ? cont(1, 0x80, 0x9F) : cont(1)
            if !ok { return -1 }
            return cont(2) ? 3 : -2
        case 0xF0...0xF4:
            let ok = lead == 0xF0 ? cont(1, 0x90) : lead == 0xF4 ? cont(1, 0x80, 0x8F) : cont(1)
            if !ok { return -1 }
            if !cont(2) { return -2 }
            return cont(3) ? 4 : -3
        default:
            return -1
        }
    }

    // MARK: Scalars

    /// Scans the string whose opening quote `quote` is at `i`: the offset past its closing
    /// quote and its flags, or a fault and its offset.
    ///
    /// `@_transparent` rather than `@inline(__always)`: `run` is too large for the optimizer to
    /// honour the latter, and the call per string cost about 12% of the parse.
    @_transparent
    static func scanString(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int, quote: UInt8,
                           options: JSONParser.Options) -> (end: Int, flags: UInt8, fault: JSONFault?) {
        var j = i + 1
        var flags: UInt8 = quote == 0x27 ? JSONNode.singleQuoted : 0
        let quotes = UInt64(quote) &* ones
        while true {
            // Eight bytes at a time while they fit before `limit`, then byte by byte.
            var stopped = false
            while j + 8 <= limit {
                let w = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                let m = stringStops(w, quotes)
                if m != 0 {
                    j += m.trailingZeroBitCount &>> 3
                    stopped = true
                    break
                }
                j += 8
            }
            if !stopped {
                while j < limit {
                    let c = p[j]
                    if c == quote || c == 0x5C || c &- 0x20 >= 0x60 { break }
                    j += 1
                }
                if j >= limit { return (limit, flags, .unterminatedString) }
            }
            let c = p[j]
            if c == quote { return (j + 1, flags, nil) }
            if c == 0x5C {
                flags |= JSONNode.hasEscapes
                j += 1
                if j >= limit { return (limit, flags, .unterminatedString) }
                switch p[j] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
                    j += 1
                case 0x27 where options.allowSingleQuotes:
                    j += 1
                case 0x75:  // u
                    for k in 1...4 {
                        if j + k >= limit { return (limit, flags, .unterminatedString) }
                        if hexValue(p[j + k]) == nil { return (j + k, flags, .invalidUnicodeEscape) }
                    }
                    j += 5
                default:
                    return (j, flags, .invalidEscape)
                }
                continue
            }
            if c < 0x20 { return (j, flags, .controlCharacter) }
            // c >= 0x80
            if options.allowInvalidUTF8 {
                j += 1  // kept as written, repaired when decoded
            } else {
                let n = utf8Sequence(p, j, limit)
                if n < 0 {
                    if j - n >= limit { return (limit, flags, .unterminatedString) }
                    return (j, flags, .invalidUTF8)
                }
                j += n
            }
        }
    }

    /// Scans the number at `i`: integers exactly (magnitude + flags), anything with a fraction
    /// or exponent as `.number`. (`@_transparent` for the reason given at `scanString`.)
    @_transparent
    static func scanNumber(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int)
        -> (end: Int, kind: JSONKind, flags: UInt8, magnitude: UInt64, fault: JSONFault?) {
        var j = i
        var flags: UInt8 = 0
        if p[j] == 0x2D {
            flags = JSONNode.negative
            j += 1
            if j >= limit { return (limit, .integer, 0, 0, .expectedDigit) }
        }
        var d = p[j] &- 0x30
        if d > 9 { return (j, .integer, 0, 0, .expectedDigit) }
        var magnitude = UInt64(d)
        j += 1
        if d == 0 {
            if j < limit && p[j] &- 0x30 < 10 { return (j, .integer, 0, 0, .leadingZero) }
        } else {
            let first = j - 1
            while j + 8 <= limit {
                let w = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                if !isEightDigits(w) { break }
                magnitude = magnitude &* 100_000_000 &+ eightDigitsValue(w)
                j += 8
            }
            while j < limit {
                d = p[j] &- 0x30
                if d > 9 { break }
                magnitude = magnitude &* 10 &+ UInt64(d)
                j += 1
            }
            // Up to 19 digits cannot overflow; longer runs are redone with checks.
            if j - first > 19 {
                magnitude = 0
                for k in first..<j {
                    let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(UInt64(p[k] &- 0x30))
                    if o1 || o2 {
                        flags |= JSONNode.overflow
                        magnitude = UInt64.max
                        break
                    }
                    magnitude = sum
                }
            }
        }
        var kind = JSONKind.integer
        if j < limit && p[j] == 0x2E {  // .
            kind = .number
            j += 1
            if j >= limit { return (limit, kind, 0, 0, .expectedFractionDigit) }
            if p[j] &- 0x30 > 9 { return (j, kind, 0, 0, .expectedFractionDigit) }
            j += 1
            while j < limit && p[j] &- 0x30 < 10 { j += 1 }
        }
        if j < limit && p[j] | 0x20 == 0x65 {  // e E
            kind = .number
            j += 1
            if j >= limit { return (limit, kind, 0, 0, .expectedExponentDigit) }
            if p[j] == 0x2B || p[j] == 0x2D {
                j += 1
                if j >= limit { return (limit, kind, 0, 0, .expectedExponentDigit) }
            }
            if p[j] &- 0x30 > 9 { return (j, kind, 0, 0, .expectedExponentDigit) }
            j += 1
            while j < limit && p[j] &- 0x30 < 10 { j += 1 }
        }
        if kind == .number { return (j, kind, 0, 0, nil) }
        return (j, kind, flags, magnitude, nil)
    }

    /// True when all eight bytes of `w` are ASCII digits.
    @inline(__always)
    static func isEightDigits(_ w: UInt64) -> Bool {
        (w & 0xF0F0_F0F0_F0F0_F0F0) | (((w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
            == 0x3333_3333_3333_3333
    }

    /// The value of eight ASCII digits loaded little-endian (first digit in the lowest byte).
    @inline(__always)
    static func eightDigitsValue(_ w: UInt64) -> UInt64 {
        var v = w & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }

    /// Scans a bare word where a value belongs: `true`, `false`, `null`, and when enabled
    /// Python's `True`, `False`, `None` and placeholders (`TIMESTAMP`).
    @inline(__always)
    static func scanWord(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int, options: JSONParser.Options)
        -> (end: Int, kind: JSONKind, flags: UInt8, fault: JSONFault?) {
        var j = i
        while j < limit && isWordByte(p[j]) { j += 1 }
        let length = j - i
        if length == 0 { return (i, .null, 0, .expectedValue) }
        let w = UnsafeRawPointer(p + i)
        if length == 4 {
            let v = UInt32(littleEndian: w.loadUnaligned(as: UInt32.self))
            if v == 0x6575_7274 { return (j, .bool, JSONNode.isTrue, nil) }  // true
            if v == 0x6C6C_756E { return (j, .null, 0, nil) }  // null
            if options.allowPythonLiterals {
                if v == 0x6575_7254 { return (j, .bool, JSONNode.isTrue, nil) }  // True
                if v == 0x656E_6F4E { return (j, .null, 0, nil) }  // None
            }
        } else if length == 5 && p[i + 4] == 0x65 {
            let v = UInt32(littleEndian: w.loadUnaligned(as: UInt32.self))
            if v == 0x736C_6166 || (options.allowPythonLiterals && v == 0x736C_6146) {  // fals, Fals
                return (j, .bool, 0, nil)
            }
        }
        if options.allowPlaceholders && p[i] &- 0x41 < 26 {
            var k = i + 1
            while k < j && isPlaceholderByte(p[k]) { k += 1 }
            if k == j { return (j, .placeholder, 0, nil) }
        }
        if j >= limit && isLiteralPrefix(p, i, length, python: options.allowPythonLiterals) {
            return (limit, .null, 0, .unterminatedLiteral)
        }
        return (i, .null, 0, .invalidLiteral)
    }

    /// True when the `length` bytes at `start` begin one of the literals enabled.
    static func isLiteralPrefix(_ p: UnsafePointer<UInt8>, _ start: Int, _ length: Int, python: Bool) -> Bool {
        let literals: [StaticString] = python
            ? ["true", "false", "null", "True", "False", "None"] : ["true", "false", "null"]
        for literal in literals where length < literal.utf8CodeUnitCount {
            if memcmp(p + start, literal.utf8Start, length) == 0 { return true }
        }
        return false
    }

    /// Scans `(filtered)`-style placeholders: a parenthesised word of letters, digits, `_`, `-`.
    @inline(__always)
    static func scanParenthesised(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int) -> (end: Int, fault: JSONFault?) {
        var j = i + 1
        while j < limit && (isWordByte(p[j]) || p[j] == 0x2D) { j += 1 }
        if j >= limit { return (limit, .unterminatedPlaceholder) }
        guard p[j] == 0x29, j > i + 1 else { return (i, .expectedValue) }
        return (j + 1, nil)
    }

    // MARK: Duplicate keys

    /// Cheap pre-check for duplicate keys. While an object is open its node's `magnitude` holds
    /// a 64-bit filter of the keys seen so far, and its `flags` is 1 once an escaped key was
    /// seen (raw bytes then no longer tell keys apart). Returns false only when the key (content
    /// bytes `start..<end`) cannot equal an earlier one; records the key either way.
    @inline(__always)
    static func mayRepeat(_ p: UnsafePointer<UInt8>, _ object: UnsafeMutablePointer<JSONNode>, start: Int, end: Int,
                          escaped flags: UInt8) -> Bool {
        let length = end - start
        let edges = length > 0 ? Int(p[start]) &* 3 &+ Int(p[end - 1]) : 0
        let bit = UInt64(1) << UInt64((length &* 7 &+ edges) & 63)
        let old = object.pointee.magnitude
        object.pointee.magnitude = old | bit
        let escaped = flags & JSONNode.hasEscapes
        let anyEscaped = object.pointee.flags | escaped
        object.pointee.flags = anyEscaped
        return old != 0 && (old & bit != 0 || anyEscaped != 0)
    }

    /// Compares key `key` (member number `member` of `object`) with the members before it.
    @inline(__always)
    static func checkDuplicate(_ p: UnsafePointer<UInt8>, _ nodes: UnsafeMutablePointer<JSONNode>,
                               key: Int, object: Int, member: Int, duplicates: inout [JSONDuplicateKey]) {
        let new = nodes[key]
        let length = new.end - new.start
        var q = object + 1
        for _ in 1..<member {
            let old = nodes[q]
            if old.end - old.start == length || (old.flags | new.flags) & JSONNode.hasEscapes != 0 {
                if keysEqual(p, old, new) {
                    duplicates.append(JSONDuplicateKey(object: object, key: key))
                    return
                }
            }
            q = Int(nodes[q + 1].next)
        }
    }

    static func keysEqual(_ p: UnsafePointer<UInt8>, _ a: JSONNode, _ b: JSONNode) -> Bool {
        if a.kind != b.kind { return false }
        let escaped = (a.flags | b.flags) & JSONNode.hasEscapes != 0
        if a.kind == .placeholder || !escaped {
            let trim = a.kind == .placeholder ? 0 : 1
            let length = a.end - a.start
            if length != b.end - b.start { return false }
            return memcmp(p + a.start + trim, p + b.start + trim, length - 2 * trim) == 0
        }
        return keyBytes(p, a) == keyBytes(p, b)
    }

    static func keyBytes(_ p: UnsafePointer<UInt8>, _ n: JSONNode) -> [UInt8] {
        let raw = UnsafeRawBufferPointer(start: p + n.start, count: n.end - n.start)
        if n.kind == .placeholder { return Array(raw) }
        var out: [UInt8] = []
        JSONStringDecoder.decode(raw, singleQuoted: n.flags & JSONNode.singleQuoted != 0, into: &out)
        return out
    }

    /// Duplicate check for the members of a large object past the linear-scan limit: the keys'
    /// hashes sorted (16 bytes a member, no copy of any key), equal hashes compared for real.
    static func checkLargeObject(_ p: UnsafePointer<UInt8>, _ nodes: UnsafeMutablePointer<JSONNode>, _ object: Int,
                                 duplicates: inout [JSONDuplicateKey]) {
        let n = Int(nodes[object].count)
        var entries: [(hash: UInt64, member: Int32, key: Int32)] = []
        entries.reserveCapacity(n)
        var k = object + 1
        for member in 1...n {
            entries.append((keyHash(p, nodes[k]), Int32(member), Int32(k)))
            k = Int(nodes[k + 1].next)
        }
        entries.sort { ($0.hash, $0.member) < ($1.hash, $1.member) }
        var found: [JSONDuplicateKey] = []
        var i = 0
        while i < entries.count {
            var j = i + 1
            while j < entries.count && entries[j].hash == entries[i].hash { j += 1 }
            if j - i > 1 {
                // A key is a duplicate when an earlier member has the same key.
                for x in (i + 1)..<j where Int(entries[x].member) > linearDuplicateLimit {
                    let key = nodes[Int(entries[x].key)]
                    if entries[i..<x].contains(where: { keysEqual(p, nodes[Int($0.key)], key) }) {
                        found.append(JSONDuplicateKey(object: object, key: Int(entries[x].key)))
                    }
                }
            }
            i = j
        }
        found.sort { $0.key < $1.key }
        duplicates.append(contentsOf: found)
    }

    /// A hash of a key's content (its decoded text when it has escapes).
    static func keyHash(_ p: UnsafePointer<UInt8>, _ n: JSONNode) -> UInt64 {
        var h = Hasher128()
        h.mix(UInt64(n.kind.rawValue))
        if n.kind == .placeholder || n.flags & JSONNode.hasEscapes == 0 {
            let trim = n.kind == .placeholder ? 0 : 1
            h.mix(UnsafeRawBufferPointer(start: p + n.start + trim, count: max(0, n.end - n.start - 2 * trim)))
        } else {
            keyBytes(p, n).withUnsafeBytes { h.mix($0) }
        }
        return h.a
    }
}

/// Node storage reused across parses of one tape, written through a raw pointer.
final class JSONNodeScratch {
    private(set) var base: UnsafeMutablePointer<JSONNode>
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Doubles the capacity, keeping the first `count` nodes.
    func grow(keeping count: Int) {
        let bigger = UnsafeMutablePointer<JSONNode>.allocate(capacity: capacity * 2)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
