#if canImport(Glibc)
import Glibc
#endif

/// Byte-level search primitives over a buffer; the hot loops of extraction live here.
enum ByteScan {
    static let newline: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Offset of the first `byte` in `b[from..<to]`, or nil.
    @inline(__always)
    static func find(_ byte: UInt8, in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, let base = b.baseAddress else { return nil }
        guard let p = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    /// Offset of the last `byte` in `b[from..<to]`, or nil.
    @inline(__always)
    static func findLast(_ byte: UInt8, in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, let base = b.baseAddress else { return nil }
        var i = to
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i - 8 >= from {
            let w = (base + i - 8).loadUnaligned(as: UInt64.self) ^ pattern
            let t = ((w & ~highs) &+ ~highs) | w
            let z = ~t & highs
            if z != 0 { return i - 8 + (63 - z.leadingZeroBitCount) / 8 }
            i -= 8
        }
        while i > from {
            i -= 1
            if base.load(fromByteOffset: i, as: UInt8.self) == byte { return i }
        }
        return nil
    }

    /// Offset of the first occurrence of `needle` in `b[from..<to]`, or nil.
    @inline(__always)
    static func find(_ needle: UnsafeRawBufferPointer, in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        let n = needle.count
        guard n > 0, to - from >= n, let base = b.baseAddress, let nb = needle.baseAddress else { return nil }
        // Anchor memchr on the needle's rarest byte in log text.
        var k = 0
        var best = UInt8.max
        for j in 0..<n {
            let r = commonness(nb.load(fromByteOffset: j, as: UInt8.self))
            if r < best { best = r; k = j }
        }
        let anchor = nb.load(fromByteOffset: k, as: UInt8.self)
        var i = from + k
        let last = to - n + k
        while i <= last {
            guard let p = memchr(base + i, Int32(anchor), last - i + 1) else { return nil }
            let at = UnsafeRawPointer(p) - base - k
            if memcmp(base + at, nb, n) == 0 { return at }
            i = at + k + 1
        }
        return nil
    }

    /// Start of the line containing `offset` (after the previous `\n`, not before `floor`).
    @inline(__always)
    static func lineStart(_ b: UnsafeRawBufferPointer, _ offset: Int, floor: Int = 0) -> Int {
        if let nl = findLast(newline, in: b, from: floor, to: offset) { return nl + 1 }
        return floor
    }

    /// End of the line containing `offset`: the offset of its `\n`, or `limit`.
    @inline(__always)
    static func lineEnd(_ b: UnsafeRawBufferPointer, _ offset: Int, limit: Int) -> Int {
        find(newline, in: b, from: offset, to: limit) ?? limit
    }

    /// Number of `\n` bytes in `b[from..<to]`: 32 bytes per step with SIMD compares, lane
    /// counters folded every 255 steps.
    static func countNewlines(_ b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard from < to, let base = b.baseAddress else { return 0 }
        var count = 0
        var i = from
        let nl = SIMD32<UInt8>(repeating: newline)
        while i + 32 <= to {
            var acc = SIMD32<UInt8>()
            var steps = 0
            while steps < 255 && i + 32 <= to {
                let v = (base + i).loadUnaligned(as: SIMD32<UInt8>.self)
                acc &-= unsafeBitCast(v .== nl, to: SIMD32<UInt8>.self)
                i += 32
                steps += 1
            }
            count += Int(SIMD32<UInt16>(truncatingIfNeeded: acc).wrappedSum())
        }
        while i < to {
            if base.load(fromByteOffset: i, as: UInt8.self) == newline { count += 1 }
            i += 1
        }
        return count
    }

    /// How common a byte is in log text (higher is more common): picks memchr anchors.
    @inline(__always)
    static func commonness(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x20: return 255
        case 0x65, 0x74, 0x61, 0x6F, 0x69, 0x6E, 0x73, 0x72: return 200  // e t a o i n s r
        case 0x61...0x7A: return 160
        case 0x30...0x39: return 150
        case 0x22, 0x3A, 0x2C: return 140  // " : ,
        case 0x2D, 0x2E, 0x5F, 0x2F: return 100
        case 0x41...0x5A: return 60
        case 0x7B, 0x7D: return 50
        default: return 30
        }
    }

    @inline(__always)
    static func byte(_ b: UnsafeRawBufferPointer, _ i: Int) -> UInt8 { b[i] }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// Case-sensitive compare of `b[at..<at+lit.count]` with an ASCII literal.
    @inline(__always)
    static func matches(_ b: UnsafeRawBufferPointer, at: Int, _ lit: StaticString, limit: Int) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard at >= 0, at + n <= limit else { return false }
        return memcmp(b.baseAddress! + at, lit.utf8Start, n) == 0
    }
}
