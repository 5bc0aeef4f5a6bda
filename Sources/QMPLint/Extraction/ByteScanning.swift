#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
        // Anchor on the needle's second byte when it has one (rarer than a leading quote or 'e').
        let k = n > 1 ? 1 : 0
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

    /// Number of `\n` bytes in `b[from..<to]`.
    static func countNewlines(_ b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard from < to, let base = b.baseAddress else { return 0 }
        var count = 0
        var i = from
        // Eight bytes at a time: a zero byte in (word ^ 0x0A0A...) marks a newline.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i + 8 <= to {
            let w = (base + i).loadUnaligned(as: UInt64.self) ^ pattern
            // Exact zero-byte detection (no false positives from borrows).
            let t = ((w & ~highs) &+ ~highs) | w
            count &+= (~t & highs).nonzeroBitCount
            i += 8
        }
        while i < to {
            if base.load(fromByteOffset: i, as: UInt8.self) == newline { count += 1 }
            i += 1
        }
        _ = ones
        return count
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
