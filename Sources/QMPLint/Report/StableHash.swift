/// A stable 64-bit content hash (FNV-1a), the same on every platform and run, for fingerprints
/// and baselines. Not cryptographic: it names things, it does not protect them.
///
/// `ReportFinding.eventHash` is `StableHash.hex(of: eventText)`; reporters combine it with the
/// rule and pointer to build SARIF partial fingerprints and GitLab fingerprints.
public struct StableHash: Sendable, Hashable {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of everything combined so far.
    public private(set) var value: UInt64 = StableHash.offsetBasis

    public init() {}

    /// Feeds raw bytes.
    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        var h = value
        for byte in bytes {
            h ^= UInt64(byte)
            h &*= StableHash.prime
        }
        value = h
    }

    /// Feeds a string's UTF-8 bytes.
    public mutating func combine(_ string: String) {
        var s = string
        s.withUTF8 { combine(bytes: $0) }
    }

    /// Feeds a string followed by a 0 byte, so that a sequence of fields hashes unambiguously
    /// ("ab","c" differs from "a","bc").
    public mutating func combine(field: String) {
        combine(field)
        combine(bytes: CollectionOfOne(UInt8(0)))
    }

    /// The hash as 16 lower-case hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// 16 hex digits naming `string`'s UTF-8 bytes.
    public static func hex(of string: String) -> String {
        var h = StableHash()
        h.combine(string)
        return h.hex
    }

    /// 16 hex digits naming `bytes`.
    public static func hex<Bytes: Sequence>(ofBytes bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var h = StableHash()
        h.combine(bytes: bytes)
        return h.hex
    }

    /// 16 hex digits naming a sequence of fields (each terminated by a 0 byte).
    public static func hex(ofFields fields: [String]) -> String {
        var h = StableHash()
        for field in fields { h.combine(field: field) }
        return h.hex
    }
}
