import Foundation
@testable import QMPLint

/// Counts event markers in raw bytes without the extractor: every `"event"` / `'event'` with
/// the same quote on both sides, plus every line that is a virsh record (matches
/// `Dialect.virshPattern` at its start, CR line end excluded).
enum HostileMarkers {
    nonisolated(unsafe) static let virsh = try! Regex(Dialect.virshPattern)

    static func count(_ b: UnsafeRawBufferPointer) -> Int {
        quoted(b) + virshRecords(b)
    }

    static func quoted(_ b: UnsafeRawBufferPointer) -> Int {
        var n = 0
        var i = 1
        while i + 5 < b.count {
            if b[i] == 0x65, b[i + 1] == 0x76, b[i + 2] == 0x65, b[i + 3] == 0x6E, b[i + 4] == 0x74 {
                let q = b[i - 1]
                if (q == 0x22 || q == 0x27) && b[i + 5] == q { n += 1 }
                i += 5
            } else {
                i += 1
            }
        }
        return n
    }

    static func virshRecords(_ b: UnsafeRawBufferPointer) -> Int {
        var n = 0
        var ls = 0
        while ls < b.count {
            var le = ls
            while le < b.count && b[le] != 0x0A { le += 1 }
            var ce = le
            if ce > ls && b[ce - 1] == 0x0D { ce -= 1 }
            if ce - ls >= 6, let m = try? virsh.firstMatch(in: b, from: ls, to: ce, anchored: true), m != nil { n += 1 }
            ls = le + 1
        }
        return n
    }

    static func count(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBytes { count($0) } }
}
