import Foundation

/// "Did you mean" for misspelt event, member and enum value names: the candidate nearest by
/// edit distance (adjacent transpositions count one), ignoring case and treating `_` and `-`
/// alike, when it is close enough to be a plausible typo. Used only when a finding is made.
enum NameSuggester {
    /// The nearest candidate, or nil when none is within a quarter of the name's length
    /// (at least one edit). Ties go to the first candidate.
    static func suggest<S: Sequence<String>>(_ name: String, among candidates: S) -> String? {
        let a = normalized(name)
        guard !a.isEmpty else { return nil }
        var best: (String, Int)?
        for c in candidates {
            let n = c.utf8.count
            let limit = max(1, max(a.count, n) / 4)
            if abs(a.count - n) > limit { continue }
            let b = normalized(c)
            let d = distance(a, b, limit: limit)
            if d <= limit, d < (best?.1 ?? Int.max), c != name { best = (c, d) }
        }
        return best?.0
    }

    static func normalized(_ s: String) -> [UInt8] {
        s.utf8.map { c in
            if c >= 0x41 && c <= 0x5A { return c + 0x20 }
            if c == UInt8(ascii: "_") { return UInt8(ascii: "-") }
            return c
        }
    }

    /// Optimal string alignment distance; gives up (returns limit + 1) once every alignment is
    /// beyond `limit`. Three rows in one stack buffer: nothing is allocated.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int = Int.max) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let w = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * w) { buf in
            var prev2 = buf.baseAddress!, prev = prev2 + w, cur = prev + w
            for j in 0..<w { prev2[j] = 0; prev[j] = j }
            for i in 1...a.count {
                cur[0] = i
                var rowMin = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                    cur[j] = v
                    rowMin = min(rowMin, v)
                }
                if rowMin > limit { return limit + 1 }
                let t = prev2; prev2 = prev; prev = cur; cur = t
            }
            return prev[b.count]
        }
    }
}

/// "Did you mean" message parts already made, per candidate set and name: a log that repeats one
/// misspelt name (a findings-dense log: millions of one unknown event) computes its suggestion
/// once instead of an edit distance to every candidate per finding. Shared by the threads that
/// validate against one compiled schema; bounded.
/// An `NSLock`, not `Synchronization.Mutex`: ThreadSanitizer (run in CI) does not see the
/// futex-based Mutex as a lock and reports every access as a race.
final class SuggestionMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: String] = [:]
    static let capacity = 65_536

    /// The part for `name` among the candidate set `scope` (e.g. "event", "enum 12"), made once.
    func part(scope: String, name: String, _ make: () -> String) -> String {
        let key = scope + "\u{0}" + name
        if let known = lock.withLock({ table[key] }) { return known }
        let made = make()
        lock.withLock {
            if table.count < Self.capacity { table[key] = made }
        }
        return made
    }
}
