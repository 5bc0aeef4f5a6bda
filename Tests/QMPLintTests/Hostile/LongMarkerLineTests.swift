import Testing
@testable import QMPLint

/// The three one-line inputs of issue 18 (item 2) that once took quadratic time, at about 1 MB:
/// every marker is counted once, in the bucket it belongs to. That the work is bounded (linear
/// in the bytes) is checked by the benchmark command's long-line rows, never by a timed test.
@Suite struct LongMarkerLineTests {
    /// The line `pattern * n` plus a newline, and its marker count by an independent counter.
    static func line(_ pattern: String, bytes: Int = 1 << 20) -> (bytes: [UInt8], markers: Int, n: Int) {
        let n = bytes / pattern.utf8.count
        let text = Array((String(repeating: pattern, count: n) + "\n").utf8)
        return (text, HostileMarkers.count(text), n)
    }

    /// Markers that are never followed by a colon: nothing is event text, nothing is reported.
    @Test(.timeLimit(.minutes(5)), arguments: [#"{x "event" "#, #""event" "#, #"{"a":1} "event" "#])
    func everyMarkerIsExplainedOnce(pattern: String) {
        let (bytes, markers, n) = Self.line(pattern)
        #expect(markers == n)
        let r = lintBytes(bytes)
        var expected = MarkerCounts()
        expected.notEvents = n
        #expect(r.markers == expected)
        #expect(r.summary.events == 0 && r.summary.malformed == 0)
        #expect(r.summary.lines == 1 && r.summary.bytes == bytes.count)
        #expect(r.findings.isEmpty)
    }

    /// The same lines longer than the longest line read whole (here 64 KiB; 64 MiB in
    /// production): read in pieces, every marker counted once, but for a marker that a forced
    /// cut splits (at most one per cut: lost, as `twoHundredMegabyteLine` allows).
    @Test(.timeLimit(.minutes(5)), arguments: [#"{x "event" "#, #""event" "#, #"{"a":1} "event" "#])
    func piecesCountTheSame(pattern: String) {
        let (bytes, _, n) = Self.line(pattern, bytes: 256 << 10)
        let maxLine = 64 << 10
        let r = lintBytes(bytes, geometry: ChunkGeometry(size: 16 << 10, lookahead: 32 << 10, maxLine: maxLine))
        let cuts = bytes.count / maxLine
        #expect(r.markers.total <= n && r.markers.total >= n - cuts, "\(r.markers.total) of \(n)")
        #expect(r.markers.notEvents == r.markers.total)
        #expect(r.summary.lines == 1 && r.summary.bytes == bytes.count)
    }
}
