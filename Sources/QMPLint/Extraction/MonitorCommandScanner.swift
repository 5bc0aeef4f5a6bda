/// A command or greeting found in a transcript that matters to streams: where a new QEMU session
/// starts, and `device_del` requests.
public struct MonitorCommand: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A QMP greeting (`{"QMP": ...}` or the iotests `QMP_VERSION` placeholder).
        case greeting
        /// `qmp_capabilities`: the client starts a session.
        case capabilities
        /// `device_del` of `id` (an id or a QOM path); `rejected` when the next reply is an error.
        case deviceDel(id: String, rejected: Bool)
    }
    public var kind: Kind
    /// Offset of the object's `{` (or the placeholder) in the scanned buffer.
    public var start: Int
    /// `mon=0x...` of the libvirt record carrying it, nil otherwise.
    public var key: String?
}

/// Finds the commands and greetings that delimit QEMU sessions (`{"QMP": ...}`, the iotests
/// `QMP_VERSION` placeholder, `qmp_capabilities`) and the `device_del` requests, which the
/// event scan does not see (they hold no `event` marker).
///
/// A few rare needles searched with memchr; a hit is accepted only in command shape (the name is
/// the value of `execute`), so prose naming the command is ignored.
public enum MonitorCommandScanner {
    /// Appends, in text order, the commands starting in `b[from..<to]`; objects may run to `dataEnd`.
    public static func scan(
        _ b: UnsafeRawBufferPointer, from: Int, to: Int, dataEnd: Int, into out: inout [MonitorCommand]
    ) {
        let start = out.count
        // Line bounds of the previous hit: many hits on one very long line look its start up once.
        var line = (start: -1, end: -1)
        func lineStart(_ hit: Int) -> Int {
            if hit >= line.start && hit < line.end { return line.start }
            line = (ByteScan.lineStart(b, hit, floor: 0), ByteScan.lineEnd(b, hit, limit: dataEnd))
            return line.start
        }
        func greeting(_ hit: Int) {
            let ls = lineStart(hit)
            if ByteScan.matches(b, at: hit, "QMP_VERSION", limit: dataEnd) {
                // The placeholder alone on its line (possibly inside braces of a pretty greeting).
                if onlySpace(b, ls, hit), onlySpace(b, hit + 11, line.end) {
                    out.append(MonitorCommand(kind: .greeting, start: hit, key: nil))
                }
                return
            }
            // `{"QMP":` (any quotes and spaces).
            guard hit > ls, b[hit - 1] == 0x22 || b[hit - 1] == 0x27, hit + 3 < dataEnd, b[hit + 3] == b[hit - 1] else {
                return
            }
            var p = hit - 2
            while p >= ls && ByteScan.isSpace(b[p]) { p -= 1 }
            guard p >= ls, b[p] == 0x7B else { return }
            out.append(MonitorCommand(kind: .greeting, start: p, key: monitorKey(b, ls, p)))
        }
        func capabilities(_ hit: Int) {
            let ls = lineStart(hit)
            guard let brace = commandStart(b, hit, lineStart: ls) else { return }
            out.append(MonitorCommand(kind: .capabilities, start: brace, key: monitorKey(b, ls, brace)))
        }
        func deviceDel(_ hit: Int) {
            let ls = lineStart(hit)
            guard let brace = commandStart(b, hit, lineStart: ls) else { return }
            var tape = JSONTape()
            let limit = min(dataEnd, hit + (64 << 10))
            guard
                case .success(let end) = JSONParser.parseValue(
                    b, from: brace, limit: limit, options: .lenient, into: &tape),
                tape[0].kind == .object,
                let exec = tape.member(0, "execute") ?? tape.member(0, "exec-oob"), tape[exec].kind == .string,
                tape.string(exec) == "device_del",
                let args = tape.member(0, "arguments"), tape[args].kind == .object,
                let idNode = tape.member(args, "id"), tape[idNode].kind == .string
            else { return }
            out.append(
                MonitorCommand(
                    kind: .deviceDel(
                        id: tape.string(idNode),
                        rejected: nextReplyIsError(b, after: end, limit: min(dataEnd, end + 8192))),
                    start: brace, key: monitorKey(b, ls, brace)))
        }
        // One pass for the three names, on byte pairs that are rare in logs (`QM`, `_c`, `_d`):
        // a single-byte anchor (`Q`, `_`) hits several times on every libvirt line.
        pairs(b, from, min(to + 6, dataEnd - 1)) { p in
            if b[p] == 0x51 {
                if p < to && ByteScan.matches(b, at: p, "QMP", limit: dataEnd) { greeting(p) }
            } else if b[p + 1] == 0x63 {
                if p - 3 >= from && p - 3 < to && ByteScan.matches(b, at: p - 3, "qmp_capabilities", limit: dataEnd) {
                    capabilities(p - 3)
                }
            } else if p - 6 >= from && p - 6 < to && ByteScan.matches(b, at: p - 6, "device_del", limit: dataEnd) {
                deviceDel(p - 6)
            }
        }
        if out.count - start > 1 {
            out[start...].sort { $0.start < $1.start }
        }
    }

    /// Calls `body` with each offset `p` in `b[from..<to]` where `b[p], b[p+1]` is `QM`, `_c` or
    /// `_d` (`b[p+1]` must be readable: `to` < the end of the data), 16 bytes at a time.
    static func pairs(_ b: UnsafeRawBufferPointer, _ from: Int, _ to: Int, _ body: (Int) -> Void) {
        guard let base = b.baseAddress, from < to else { return }
        let q = SIMD16<UInt8>(repeating: 0x51), m = SIMD16<UInt8>(repeating: 0x4D)
        let u = SIMD16<UInt8>(repeating: 0x5F), c = SIMD16<UInt8>(repeating: 0x63), d = SIMD16<UInt8>(repeating: 0x64)
        var i = from
        while i + 16 <= to {
            let v0 = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let v1 = base.loadUnaligned(fromByteOffset: i + 1, as: SIMD16<UInt8>.self)
            let hit = ((v0 .== q) .& (v1 .== m)) .| ((v0 .== u) .& ((v1 .== c) .| (v1 .== d)))
            if any(hit) {
                for k in 0..<16 where hit[k] { body(i + k) }
            }
            i += 16
        }
        while i < to {
            let x = b[i], y = b[i + 1]
            if (x == 0x51 && y == 0x4D) || (x == 0x5F && (y == 0x63 || y == 0x64)) { body(i) }
            i += 1
        }
    }

    static func onlySpace(_ b: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            let c = b[i]
            if !(c == 0x20 || c == 0x09 || c == 0x0D || c == 0x7B || c == 0x7D) { return false }
            i += 1
        }
        return true
    }

    /// The `{` of a command whose `execute` value is the name at `hit`: `{"execute": "NAME"` or
    /// `{ 'execute': 'NAME'`, nil otherwise.
    static func commandStart(_ b: UnsafeRawBufferPointer, _ hit: Int, lineStart ls: Int) -> Int? {
        guard hit > 0, b[hit - 1] == 0x22 || b[hit - 1] == 0x27 else { return nil }
        var p = hit - 2
        while p >= 0 && ByteScan.isSpace(b[p]) { p -= 1 }
        guard p >= 0, b[p] == 0x3A else { return nil }
        p -= 1
        while p >= 0 && ByteScan.isSpace(b[p]) { p -= 1 }
        guard p >= 9, b[p] == 0x22 || b[p] == 0x27 else { return nil }
        let keyStart = p - 7
        guard
            ByteScan.matches(b, at: keyStart, "execute", limit: p)
                || ByteScan.matches(b, at: p - 8, "exec-oob", limit: p)
        else { return nil }
        p = (ByteScan.matches(b, at: keyStart, "execute", limit: p) ? keyStart : p - 8) - 2
        while p >= 0 && (ByteScan.isSpace(b[p]) || b[p] == 0x0A || b[p] == 0x0D) { p -= 1 }
        // `{"execute"` (the usual order), or arguments first: find the object's brace on the line.
        if p >= 0 && b[p] == 0x7B { return p }
        var q = p
        while q >= max(ls, p - 4096) {
            if b[q] == 0x7B && (q == ls || b[q - 1] != 0x5C) {
                var k = q - 1
                while k >= ls && ByteScan.isSpace(b[k]) { k -= 1 }
                if k < ls || b[k] != 0x3A { return q }
            }
            q -= 1
        }
        return nil
    }

    /// `mon=0x...` of the libvirt record on the line, before `limit`.
    static func monitorKey(_ b: UnsafeRawBufferPointer, _ ls: Int, _ limit: Int) -> String? {
        let needle: StaticString = "QEMU_MONITOR_"
        guard
            ByteScan.find(UnsafeRawBufferPointer(start: needle.utf8Start, count: 13), in: b, from: ls, to: limit) != nil
        else { return nil }
        let mon: StaticString = " mon="
        guard let m = ByteScan.find(UnsafeRawBufferPointer(start: mon.utf8Start, count: 5), in: b, from: ls, to: limit)
        else { return nil }
        var e = m + 5
        while e < limit && b[e] != 0x20 && b[e] != 0x09 { e += 1 }
        guard e > m + 5 else { return nil }
        return "mon=" + String(decoding: UnsafeRawBufferPointer(rebasing: b[(m + 5)..<e]), as: UTF8.self)
    }

    /// Whether the first reply after a command is an error (`"error"` before `"return"`).
    ///
    /// The error is looked for only up to the first `"return"`: a device_del is usually answered
    /// within a few lines, so the search stays short (a whole-window search for a quote-anchored
    /// needle cost a second per GB of libvirt log).
    static func nextReplyIsError(_ b: UnsafeRawBufferPointer, after: Int, limit: Int) -> Bool {
        let firstReturn = firstQuoted("return", b, after, limit)
        return firstQuoted("error", b, after, firstReturn ?? limit) != nil
    }

    /// Offset of the first `"word"` or `'word'` (same quote both sides) within `b[from..<to]`.
    static func firstQuoted(_ word: StaticString, _ b: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int? {
        let n = word.utf8CodeUnitCount
        let needle = UnsafeRawBufferPointer(start: word.utf8Start, count: n)
        var p = from + 1
        while p < to, let h = ByteScan.find(needle, in: b, from: p, to: to - 1) {
            let q = b[h - 1]
            if (q == 0x22 || q == 0x27) && b[h + n] == q { return h - 1 }
            p = h + 1
        }
        return nil
    }
}
