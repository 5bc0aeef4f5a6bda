/// The built-in QEMU releases, oldest first, as bits of a `ReleaseMask` (bit i: release i of
/// `BuiltinCatalogs.versions`), and what a version named in a log says about them.
public enum Releases {
    public static let versions: [String] = BuiltinCatalogs.versions
    static let numbers: [VersionNumber] = versions.map { VersionNumber($0)! }

    /// Every built-in release.
    public static var all: ReleaseMask { ReleaseMask(bits: versions.count >= 64 ? ~0 : (1 << UInt64(versions.count)) - 1) }

    public static func index(of version: String) -> Int? { versions.firstIndex(of: version) }

    /// The releases a QEMU announcing `version` is checked against, and how they were chosen: the
    /// built-in release of the same major.minor; between two built-in releases, both (the
    /// messages decide); older than every one, the oldest; newer, the newest ones.
    public static func candidates(for version: String) -> (mask: ReleaseMask, note: String)? {
        guard let want = VersionNumber(version) else { return nil }
        if let same = BuiltinCatalogs.sameRelease(as: version), let i = index(of: same) {
            return (ReleaseMask(i), "")
        }
        guard let first = numbers.first, let last = numbers.last else { return nil }
        if want < first {
            return (ReleaseMask(0), "older than every built-in release; using the oldest, \(versions[0])")
        }
        if last < want {
            var m = ReleaseMask(numbers.count - 1)
            if let stable = index(of: BuiltinCatalogs.defaultVersion) { m.insert(stable) }
            return (m, "newer than every built-in release; using the newest")
        }
        let below = numbers.lastIndex { $0 < want }!
        let above = numbers.firstIndex { want < $0 }!
        return (ReleaseMask(below).union(ReleaseMask(above)),
                "no built-in release \(want.major).\(want.minor); \(versions[below]) or \(versions[above]), as its messages fit")
    }

    /// `mask` as runs of consecutive releases: `7.2.0-8.2.0`, `10.2.0`.
    public static func ranges(_ mask: ReleaseMask) -> [String] {
        var out: [String] = []
        var i = 0
        while i < versions.count {
            guard mask.contains(i) else { i += 1; continue }
            var j = i
            while j + 1 < versions.count && mask.contains(j + 1) { j += 1 }
            out.append(i == j ? versions[i] : "\(versions[i])-\(versions[j])")
            i = j + 1
        }
        return out
    }

    /// `ranges` joined for a sentence ("none" when empty).
    public static func describe(_ mask: ReleaseMask) -> String {
        let r = ranges(mask)
        return r.isEmpty ? "none" : r.joined(separator: ", ")
    }
}

/// A set of built-in releases (`Releases`), as bits.
public struct ReleaseMask: Hashable, Sendable {
    public var bits: UInt64
    public init(bits: UInt64) { self.bits = bits }
    public init(_ release: Int) { bits = release < 64 ? 1 << UInt64(release) : 0 }
    public static let none = ReleaseMask(bits: 0)
    public var isEmpty: Bool { bits == 0 }
    public func contains(_ i: Int) -> Bool { i < 64 && bits & (1 << UInt64(i)) != 0 }
    public mutating func insert(_ i: Int) { if i < 64 { bits |= 1 << UInt64(i) } }
    public func union(_ o: ReleaseMask) -> ReleaseMask { ReleaseMask(bits: bits | o.bits) }
    public func intersection(_ o: ReleaseMask) -> ReleaseMask { ReleaseMask(bits: bits & o.bits) }
    /// The newest release in the set.
    public var newest: Int? { bits == 0 ? nil : 63 - bits.leadingZeroBitCount }
}
