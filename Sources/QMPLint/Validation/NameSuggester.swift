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
            let b = normalized(c)
            let limit = max(1, max(a.count, b.count) / 4)
            if abs(a.count - b.count) > limit { continue }
            let d = distance(a, b)
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

    /// Optimal string alignment distance.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let w = b.count + 1
        var prev2 = [Int](repeating: 0, count: w)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: w)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
            }
            swap(&prev2, &prev)
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
