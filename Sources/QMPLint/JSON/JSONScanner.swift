#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level engine behind `JSONParser`: one loop with an explicit container chain, no
/// recursion. While a container is open its node's `next` holds the tape index of the enclosing
/// open container (-1 for none); closing it stores the real `next`.
struct JSONScanner {
    let p: UnsafePointer<UInt8>
    let limit: Int
    let options: JSONParser.Options
    /// Current byte offset.
    var i: Int

    /// Objects with more members than this are checked for duplicate keys with a hash set
    /// when they close; smaller ones by a linear scan as each key arrives.
    static let linearDuplicateLimit = 32

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

    // MARK: Errors

    @inline(__always)
    func syntax(_ at: Int, _ message: String) -> JSONParseError {
        JSONParseError(kind: .syntax, offset: at, message: message)
    }

    @inline(__always)
    func cut(_ message: String) -> JSONParseError {
        JSONParseError(kind: .unexpectedEnd, offset: limit, message: message)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < limit && JSONScanner.isWhitespace(p[i]) { i += 1 }
    }

    // MARK: Driver

    /// Parses one value at `i`, leaving `i` just past it.
    mutating func run(nodes: inout [JSONNode], duplicates: inout [JSONDuplicateKey]) throws(JSONParseError) {
        var parent = -1
        var parentIsArray = false
        var depth = 0
        var expectKey = false
        var sortDuplicates = false
        let maxDepth = options.maxDepth

        outer: while true {
            skipWhitespace()
            if i >= limit { throw cut(expectKey ? "expected object key" : "expected a value") }
            let c = p[i]
            if expectKey {
                expectKey = false
                nodes[parent].count += 1
                let member = Int(nodes[parent].count)
                if c == 0x22 || (c == 0x27 && options.allowSingleQuotes) {
                    let start = i
                    let flags = try scanString(quote: c)
                    let k = nodes.count
                    nodes.append(JSONNode(kind: .string, flags: flags, next: Int32(k + 1), start: start, end: i))
                    if member > 1 && member <= JSONScanner.linearDuplicateLimit {
                        checkDuplicate(key: k, object: parent, member: member, nodes: nodes, duplicates: &duplicates)
                    }
                    skipWhitespace()
                    if i >= limit { throw cut("expected ':' after object key") }
                    if p[i] != 0x3A { throw syntax(i, "expected ':' after object key") }
                    i += 1
                    continue outer
                }
                guard options.allowPlaceholders, c &- 0x41 < 26 else {
                    throw syntax(i, "expected string key")
                }
                // `{ QMP_VERSION }`: a bare word standing as a whole member.
                let start = i
                var j = i + 1
                while j < limit && JSONScanner.isPlaceholderByte(p[j]) { j += 1 }
                let end = j
                while j < limit && JSONScanner.isWhitespace(p[j]) { j += 1 }
                if j >= limit { throw cut("expected ',' or '}' after object member") }
                guard p[j] == 0x7D || p[j] == 0x2C else { throw syntax(start, "expected string key") }
                let k = nodes.count
                nodes.append(JSONNode(kind: .placeholder, next: Int32(k + 1), start: start, end: end))
                nodes.append(JSONNode(kind: .placeholder, next: Int32(k + 2), start: start, end: end))
                if member > 1 && member <= JSONScanner.linearDuplicateLimit {
                    checkDuplicate(key: k, object: parent, member: member, nodes: nodes, duplicates: &duplicates)
                }
                i = end
            } else {
                if parentIsArray { nodes[parent].count += 1 }
                let start = i
                switch c {
                case 0x7B, 0x5B:  // { [
                    depth += 1
                    if depth > maxDepth {
                        throw JSONParseError(kind: .tooDeep, offset: i, message: "nesting deeper than \(maxDepth)")
                    }
                    let isArray = c == 0x5B
                    let index = nodes.count
                    let outerParent = parent, outerIsArray = parentIsArray
                    nodes.append(JSONNode(kind: isArray ? .array : .object, next: Int32(parent), start: start, end: start))
                    parent = index
                    parentIsArray = isArray
                    i += 1
                    skipWhitespace()
                    if i >= limit { throw cut(isArray ? "expected a value" : "expected object key") }
                    if p[i] == c &+ 2 {  // ] or }: empty, closed at once
                        i += 1
                        nodes[index].end = i
                        nodes[index].next = Int32(index + 1)
                        parent = outerParent
                        parentIsArray = outerIsArray
                        depth -= 1
                    } else {
                        expectKey = !isArray
                        continue outer
                    }
                case 0x22:
                    let flags = try scanString(quote: c)
                    nodes.append(JSONNode(kind: .string, flags: flags, next: Int32(nodes.count + 1), start: start, end: i))
                case 0x27 where options.allowSingleQuotes:
                    let flags = try scanString(quote: c)
                    nodes.append(JSONNode(kind: .string, flags: flags, next: Int32(nodes.count + 1), start: start, end: i))
                case 0x2D, 0x30...0x39:
                    let node = try scanNumber(next: Int32(nodes.count + 1))
                    nodes.append(node)
                case 0x28 where options.allowPlaceholders:
                    let node = try scanParenthesised(next: Int32(nodes.count + 1))
                    nodes.append(node)
                default:
                    let node = try scanWord(next: Int32(nodes.count + 1))
                    nodes.append(node)
                }
            }

            // After a value (or a placeholder member): close containers until one continues.
            while true {
                if parent < 0 {
                    if sortDuplicates { duplicates.sort { $0.key < $1.key } }
                    return
                }
                skipWhitespace()
                if i >= limit {
                    throw cut(parentIsArray ? "expected ',' or ']' after array element"
                                            : "expected ',' or '}' after object member")
                }
                let c = p[i]
                if c == 0x2C {
                    i += 1
                    expectKey = !parentIsArray
                    continue outer
                }
                if c == (parentIsArray ? 0x5D : 0x7D) {
                    i += 1
                    let index = parent
                    nodes[index].end = i
                    parent = Int(nodes[index].next)
                    nodes[index].next = Int32(nodes.count)
                    if !parentIsArray && Int(nodes[index].count) > JSONScanner.linearDuplicateLimit {
                        checkLargeObject(index, nodes: nodes, duplicates: &duplicates)
                        sortDuplicates = true
                    }
                    parentIsArray = parent >= 0 && nodes[parent].kind == .array
                    depth -= 1
                    continue
                }
                throw syntax(i, parentIsArray ? "expected ',' or ']' after array element"
                                              : "expected ',' or '}' after object member")
            }
        }
    }

    // MARK: Scalars

    /// Scans a string whose opening quote `quote` is at `i`; returns its flags.
    @inline(__always)
    mutating func scanString(quote: UInt8) throws(JSONParseError) -> UInt8 {
        var j = i + 1
        var flags: UInt8 = quote == 0x27 ? JSONNode.singleQuoted : 0
        while true {
            while j < limit {
                let c = p[j]
                if c == quote || c == 0x5C || c &- 0x20 >= 0x60 { break }
                j += 1
            }
            if j >= limit { throw cut("unterminated string") }
            let c = p[j]
            if c == quote {
                i = j + 1
                return flags
            }
            if c == 0x5C {
                flags |= JSONNode.hasEscapes
                j += 1
                if j >= limit { throw cut("unterminated string") }
                switch p[j] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
                    j += 1
                case 0x27 where options.allowSingleQuotes:
                    j += 1
                case 0x75:  // u
                    for k in 1...4 {
                        if j + k >= limit { throw cut("unterminated string") }
                        if JSONScanner.hexValue(p[j + k]) == nil { throw syntax(j + k, "invalid \\u escape") }
                    }
                    j += 5
                default:
                    throw syntax(j, "invalid escape")
                }
                continue
            }
            if c < 0x20 { throw syntax(j, "control character in string") }
            // c >= 0x80
            if options.allowInvalidUTF8 {
                j += 1  // lenient: raw bytes kept, repaired when decoded
            } else {
                let n = JSONScanner.utf8Sequence(p, j, limit)
                if n < 0 {
                    if j - n >= limit { throw cut("unterminated string") }
                    throw syntax(j, "invalid UTF-8 in string")
                }
                j += n
            }
        }
    }

    /// Scans a number at `i`: integers exactly (magnitude + flags), anything with a fraction
    /// or exponent as `.number`.
    @inline(__always)
    mutating func scanNumber(next: Int32) throws(JSONParseError) -> JSONNode {
        let start = i
        var j = i
        var flags: UInt8 = 0
        if p[j] == 0x2D {
            flags = JSONNode.negative
            j += 1
            if j >= limit { throw cut("expected digit") }
        }
        var d = p[j] &- 0x30
        if d > 9 { throw syntax(j, "expected digit") }
        var magnitude: UInt64 = 0
        j += 1
        if d == 0 {
            if j < limit && p[j] &- 0x30 < 10 { throw syntax(j, "leading zero in number") }
        } else {
            magnitude = UInt64(d)
            while j < limit {
                d = p[j] &- 0x30
                if d > 9 { break }
                if magnitude >= 1_844_674_407_370_955_161 {
                    if magnitude > 1_844_674_407_370_955_161 || d > 5 { flags |= JSONNode.overflow }
                }
                magnitude = magnitude &* 10 &+ UInt64(d)
                j += 1
            }
            if flags & JSONNode.overflow != 0 { magnitude = UInt64.max }
        }
        var kind = JSONKind.integer
        if j < limit && p[j] == 0x2E {  // .
            kind = .number
            j += 1
            if j >= limit { throw cut("expected digit after '.'") }
            if p[j] &- 0x30 > 9 { throw syntax(j, "expected digit after '.'") }
            j += 1
            while j < limit && p[j] &- 0x30 < 10 { j += 1 }
        }
        if j < limit && p[j] | 0x20 == 0x65 {  // e E
            kind = .number
            j += 1
            if j >= limit { throw cut("expected digit in exponent") }
            if p[j] == 0x2B || p[j] == 0x2D {
                j += 1
                if j >= limit { throw cut("expected digit in exponent") }
            }
            if p[j] &- 0x30 > 9 { throw syntax(j, "expected digit in exponent") }
            j += 1
            while j < limit && p[j] &- 0x30 < 10 { j += 1 }
        }
        i = j
        if kind == .number { return JSONNode(kind: .number, next: next, start: start, end: j) }
        return JSONNode(kind: .integer, flags: flags, next: next, start: start, end: j, magnitude: magnitude)
    }

    /// Scans a bare word where a value belongs: `true`, `false`, `null`, and when enabled
    /// Python's `True`, `False`, `None` and placeholders (`TIMESTAMP`).
    @inline(__always)
    mutating func scanWord(next: Int32) throws(JSONParseError) -> JSONNode {
        let start = i
        var j = i
        while j < limit && JSONScanner.isWordByte(p[j]) { j += 1 }
        let length = j - start
        if length == 0 { throw syntax(start, "expected a value") }
        let w = UnsafeRawPointer(p + start)
        if length == 4 {
            let v = UInt32(littleEndian: w.loadUnaligned(as: UInt32.self))
            if v == 0x6575_7274 {  // true
                i = j; return JSONNode(kind: .bool, flags: JSONNode.isTrue, next: next, start: start, end: j, magnitude: 1)
            }
            if v == 0x6C6C_756E {  // null
                i = j; return JSONNode(kind: .null, next: next, start: start, end: j)
            }
            if options.allowPythonLiterals {
                if v == 0x6575_7254 {  // True
                    i = j; return JSONNode(kind: .bool, flags: JSONNode.isTrue, next: next, start: start, end: j, magnitude: 1)
                }
                if v == 0x656E_6F4E {  // None
                    i = j; return JSONNode(kind: .null, next: next, start: start, end: j)
                }
            }
        } else if length == 5 && p[start + 4] == 0x65 {
            let v = UInt32(littleEndian: w.loadUnaligned(as: UInt32.self))
            if v == 0x736C_6166 || (options.allowPythonLiterals && v == 0x736C_6146) {  // fals, Fals
                i = j; return JSONNode(kind: .bool, next: next, start: start, end: j)
            }
        }
        if options.allowPlaceholders && p[start] &- 0x41 < 26 {
            var k = start + 1
            while k < j && JSONScanner.isPlaceholderByte(p[k]) { k += 1 }
            if k == j {
                i = j; return JSONNode(kind: .placeholder, next: next, start: start, end: j)
            }
        }
        if j >= limit && isLiteralPrefix(start, length) { throw cut("unterminated literal") }
        throw syntax(start, "invalid literal")
    }

    /// True when the `length` bytes at `start` begin one of the literals enabled.
    func isLiteralPrefix(_ start: Int, _ length: Int) -> Bool {
        let literals: [StaticString] = options.allowPythonLiterals
            ? ["true", "false", "null", "True", "False", "None"] : ["true", "false", "null"]
        for literal in literals where length < literal.utf8CodeUnitCount {
            if memcmp(p + start, literal.utf8Start, length) == 0 { return true }
        }
        return false
    }

    /// Scans `(filtered)`-style placeholders: a parenthesised word of letters, digits, `_`, `-`.
    @inline(__always)
    mutating func scanParenthesised(next: Int32) throws(JSONParseError) -> JSONNode {
        let start = i
        var j = i + 1
        while j < limit && (JSONScanner.isWordByte(p[j]) || p[j] == 0x2D) { j += 1 }
        if j >= limit { throw cut("unterminated placeholder") }
        guard p[j] == 0x29, j > start + 1 else { throw syntax(start, "expected a value") }
        i = j + 1
        return JSONNode(kind: .placeholder, next: next, start: start, end: i)
    }

    // MARK: Duplicate keys

    /// Compares key `key` (member number `member` of `object`) with the members before it.
    @inline(__always)
    func checkDuplicate(key: Int, object: Int, member: Int, nodes: [JSONNode], duplicates: inout [JSONDuplicateKey]) {
        let new = nodes[key]
        var q = object + 1
        for _ in 1..<member {
            if keysEqual(nodes[q], new) {
                duplicates.append(JSONDuplicateKey(object: object, key: key))
                return
            }
            q = Int(nodes[q + 1].next)
        }
    }

    @inline(__always)
    func keysEqual(_ a: JSONNode, _ b: JSONNode) -> Bool {
        if a.kind != b.kind { return false }
        let escaped = (a.flags | b.flags) & JSONNode.hasEscapes != 0
        if a.kind == .placeholder || !escaped {
            let trim = a.kind == .placeholder ? 0 : 1
            let length = a.end - a.start
            if length != b.end - b.start { return false }
            return memcmp(p + a.start + trim, p + b.start + trim, length - 2 * trim) == 0
        }
        return keyBytes(a) == keyBytes(b)
    }

    func keyBytes(_ n: JSONNode) -> [UInt8] {
        let raw = UnsafeRawBufferPointer(start: p + n.start, count: n.end - n.start)
        if n.kind == .placeholder { return Array(raw) }
        var out: [UInt8] = []
        JSONStringDecoder.decode(raw, singleQuoted: n.flags & JSONNode.singleQuoted != 0, into: &out)
        return out
    }

    /// Duplicate check for the members of a large object past the linear-scan limit.
    func checkLargeObject(_ object: Int, nodes: [JSONNode], duplicates: inout [JSONDuplicateKey]) {
        var seen = Set<[UInt8]>()
        var k = object + 1
        for member in 1...Int(nodes[object].count) {
            let inserted = seen.insert(keyBytes(nodes[k])).inserted
            if !inserted && member > JSONScanner.linearDuplicateLimit {
                duplicates.append(JSONDuplicateKey(object: object, key: k))
            }
            k = Int(nodes[k + 1].next)
        }
    }
}
