import Foundation

/// Which built-in releases' schemas describe a message: each release walks it looking only for
/// what would make it foreign there (`MessageValidator.fits`). Version inference weighs the
/// answers. Built once per run, shared by the readers; the memo is each reader's own.
public final class ReleaseProbe: @unchecked Sendable {
    let validators: [MessageValidator]

    init() {
        validators = Releases.versions.compactMap { v in
            (try? BuiltinCatalogs.load(version: v)).map {
                MessageValidator(schema: $0, rules: RuleSet(), checksRelease: true)
            }
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: ReleaseProbe?

    /// The probe of the built-in releases (built the first time it is asked for).
    static var shared: ReleaseProbe {
        lock.lock(); defer { lock.unlock() }
        if let made { return made }
        let p = ReleaseProbe()
        made = p
        return p
    }

    /// The releases that describe message `m` (a reply: as the answer to `command`).
    func mask(_ m: ExtractedMessage, tape: JSONTape, answering command: String?, memo: ProbeMemo) -> ReleaseMask {
        let key = ProbeMemo.key(m, tape: tape, answering: command)
        if let known = memo.table[key] { return known }
        var mask = ReleaseMask.none
        for (i, v) in validators.enumerated() where v.fits(m, tape: tape, answering: command) { mask.insert(i) }
        memo.remember(key, mask)
        return mask
    }
}

/// Masks of messages already probed, keyed by what the releases look at: the message's kind,
/// the command a reply answers, and its members' text except `timestamp` and `id` (a log
/// repeats the same events and replies many times over).
final class ProbeMemo {
    struct Key: Hashable { var a: UInt64, b: UInt64 }
    fileprivate(set) var table: [Key: ReleaseMask] = [:]
    static let capacity = 1 << 16

    func remember(_ key: Key, _ mask: ReleaseMask) {
        if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
        table[key] = mask
    }

    /// The key: what the releases' verdicts depend on. Strings (names, enum values) and the
    /// structure count as written; an integer only by the narrowest QAPI integer type it fits
    /// (`int8` ... `uint64`), so replies and events that differ only in counters share a key.
    static func key(_ m: ExtractedMessage, tape: JSONTape, answering command: String?) -> Key {
        var h = Hasher128()
        h.mix(UInt64(m.kind.order) | (m.carriesReply ? 0x100 : 0))
        if let command { h.mix(command) } else { h.mix(0xFFFF) }
        switch m.envelope {
        case .virsh(let name, _, let data, _):
            h.mix(name)
            if let data { shape(data, tape, &h) } else { h.mix(0xFFFE) }
        case .json(let root):
            tape.forEachMember(root) { k, v in
                let key = tape.rawBytes(k)
                if Self.isIgnored(key) { return }
                h.mix(key)
                shape(v, tape, &h)
            }
        }
        return Key(a: h.a, b: h.b)
    }

    /// Mixes value `i` and its subtree into `h`.
    private static func shape(_ i: Int, _ tape: JSONTape, _ h: inout Hasher128) {
        let end = Int(tape[i].next)
        var n = i
        while n < end {
            let node = tape[n]
            h.mix(UInt64(node.kind.rawValue) | UInt64(node.count) << 8)
            switch node.kind {
            case .string, .placeholder:
                h.mix(tape.rawBytes(n))
            case .integer:
                h.mix(integerClass(node))
            default:
                break
            }
            n += 1
        }
    }

    /// The narrowest of int8, uint8, int16, uint16, int32, uint32, int64, uint64 holding it.
    private static func integerClass(_ node: JSONNode) -> UInt64 {
        if node.flags & JSONNode.overflow != 0 { return 99 }
        let m = node.magnitude
        if node.flags & JSONNode.negative != 0 {
            if m <= 1 << 7 { return 10 }
            if m <= 1 << 15 { return 11 }
            if m <= 1 << 31 { return 12 }
            if m <= 1 << 63 { return 13 }
            return 14
        }
        if m <= 127 { return 0 }
        if m <= 255 { return 1 }
        if m <= 32767 { return 2 }
        if m <= 65535 { return 3 }
        if m <= UInt64(Int32.max) { return 4 }
        if m <= UInt64(UInt32.max) { return 5 }
        if m <= UInt64(Int64.max) { return 6 }
        return 7
    }

    /// `"timestamp"` and `"id"` as written (the releases do not look at them).
    private static func isIgnored(_ key: UnsafeRawBufferPointer) -> Bool {
        key.elementsEqual("\"timestamp\"".utf8) || key.elementsEqual("\"id\"".utf8)
    }
}

/// Two independent 64-bit hashes of a sequence of byte strings and numbers.
struct Hasher128 {
    var a: UInt64 = 0x243F_6A88_85A3_08D3
    var b: UInt64 = 0x1319_8A2E_0370_7344

    mutating func mix(_ x: UInt64) {
        a = (a ^ x) &* 0x9E37_79B9_7F4A_7C15; a ^= a >> 31
        b = (b ^ x) &* 0xC2B2_AE3D_27D4_EB4F; b ^= b >> 29
    }

    mutating func mix(_ s: String) {
        var s = s
        s.withUTF8 { mix(UnsafeRawBufferPointer($0)) }
    }

    mutating func mix(_ bytes: UnsafeRawBufferPointer) {
        mix(UInt64(bytes.count))
        guard let p = bytes.baseAddress else { return }
        var i = 0
        while i + 8 <= bytes.count {
            mix(p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count { tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift; shift += 8; i += 1 }
        mix(tail)
    }
}
