import Foundation
import Testing
@testable import QMPLint
#if canImport(Glibc)
import Glibc
#endif

/// Hostile and broken inputs: no crash, bounded time and memory, nothing else lost.
@Suite struct AdversarialInputTests {
    static let stop = #"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}"#
    static let resume = #"{"timestamp": {"seconds": 1, "microseconds": 3}, "event": "RESUME"}"#

    @Test func emptyInput() {
        let r = lintBytes([])
        #expect(r.summary.events == 0 && r.summary.malformed == 0)
        #expect(r.summary.bytes == 0 && r.summary.lines == 0)
        #expect(r.summary.readError == nil)
        #expect(r.markers.total == 0)
    }

    /// An event whose data nests a million arrays: malformed (too deep), the next event found.
    @Test(.timeLimit(.minutes(5))) func millionDeepArrays() {
        var b = Array(#"{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}, "data": {"x": "#.utf8)
        b += [UInt8](repeating: 0x5B, count: 1_000_000)
        b += Array(("\n" + Self.resume + "\n").utf8)
        let r = lintBytes(b)
        #expect(r.summary.events == 1)
        #expect(r.summary.malformed == 1)
        #expect(r.markerTotal == HostileMarkers.count(b))
        // And a bare million-deep line with a marker after it.
        let bare = [UInt8](repeating: 0x5B, count: 1_000_000) + Array(#" "event""#.utf8) + [0x0A]
        #expect(lintBytes(bare).markerTotal == 1)
    }

    /// 100,000 `{` without a close before a marker: every brace tried, in bounded time.
    @Test(.timeLimit(.minutes(5))) func hundredThousandOpenBraces() {
        var b = [UInt8](repeating: 0x7B, count: 100_000)
        b += Array(#""event": "STOP"}"#.utf8) + [0x0A] + Array(Self.resume.utf8) + [0x0A]
        let start = ContinuousClock.now
        let r = lintBytes(b)
        #expect(ContinuousClock.now - start < .seconds(20))
        // The innermost `{"event": "STOP"}` is a complete object after unparseable text: an event.
        #expect(r.summary.events == 2)
        #expect(r.markerTotal == 2)
        // Nested objects that each fail deep: `{"a":[` a hundred thousand times.
        let nested = Array(String(repeating: #"{"a":["#, count: 100_000).utf8) + Array(#""event""#.utf8) + [0x0A]
        let t = ContinuousClock.now
        #expect(lintBytes(nested).markerTotal == 1)
        #expect(ContinuousClock.now - t < .seconds(30))
    }

    /// NUL bytes and binary garbage between (and next to) valid events.
    @Test func binaryGarbageBetweenEvents() {
        var g = HostileRNG(seed: 42)
        var b: [UInt8] = []
        for i in 0..<50 {
            b += (0..<200).map { _ in UInt8(truncatingIfNeeded: g.next()) }.map { $0 == 0x0A ? 0 : $0 }
            b += [0x0A] + Array((i % 2 == 0 ? Self.stop : Self.resume).utf8) + [0x0A]
            b += [0, 0, 0, 0x0A]
        }
        let r = lintBytes(b)
        #expect(r.summary.events == 50)
        #expect(r.markerTotal == HostileMarkers.count(b))
        // NULs inside the event's line, outside the object.
        let inline = [0, 0] + Array(Self.stop.utf8) + [0, 0xFF, 0x0A]
        #expect(lintBytes(inline).summary.events == 1)
    }

    /// Invalid UTF-8 inside a string: the event is still found; its text decodes with U+FFFD.
    @Test func invalidUTF8InString() {
        let b = Array(#"{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}, "data": {"s": ""#.utf8)
            + [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80] + Array("\"}}\n".utf8)
        let r = lintBytes(b)
        #expect(r.summary.events == 1)
        #expect(r.summary.malformed == 0)
        // In the event's name: found, and named with replacement characters.
        let named = Array(#"{"event": "ST"#.utf8) + [0xFF] + Array(#"OP", "timestamp": {"seconds": 1, "microseconds": 2}}"#.utf8) + [0x0A]
        let n = lintBytes(named)
        #expect(n.summary.events == 1)
        #expect(n.eventsByName.keys.contains("ST\u{FFFD}OP"))
    }

    /// Lone CR line ends (old Mac style): the events are found; lines count only LF.
    @Test func loneCRLineEnds() {
        let text = Self.stop + "\r" + Self.resume + "\r" + "event STOP at 1.000001 for domain vm: <null>\r"
        let r = lintBytes(Array(text.utf8))
        #expect(r.summary.events == 2)
        #expect(r.summary.lines == 1)
        // CRLF virsh records and pretty objects.
        let crlf = "event STOP at 1.000001 for domain vm: <null>\r\n{\r\n  \"event\": \"RESUME\",\r\n  \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}\r\n}\r\n"
        #expect(extractNames(crlf) == ["STOP", "RESUME"])
    }

    /// A line PCRE2 finds pathological: the record patterns stay linear, and a match limit
    /// reached is an ordinary no-match (the line is still scanned for JSON).
    @Test(.timeLimit(.minutes(5))) func patternPathologicalLines() throws {
        // virsh-shaped: `event X for domain ` and a very long domain without the `: ` the pattern needs.
        var line = "event STOP at 1.2 for domain " + String(repeating: "'a", count: 200_000) + " \"event\"\n"
        line += "QEMU_MONITOR_RECV_EVENT: mon=" + String(repeating: "0x", count: 200_000) + " event=" + Self.stop + "\n"
        line += String(repeating: "Line [", count: 100_000) + Self.resume + "\n"
        let start = ContinuousClock.now
        let r = extract(line)
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(r.summary.events == 2)
        #expect(r.markerTotal == HostileMarkers.count(Array(line.utf8)))
        // The limit itself: a catastrophic pattern reports limitExceeded instead of hanging.
        let evil = try Regex("(a+)+$", matchLimit: 10_000)
        let subject = Array((String(repeating: "a", count: 40) + "!").utf8)
        #expect(throws: Regex.MatchError.self) {
            try subject.withUnsafeBytes { try evil.firstMatch(in: $0) }
        }
    }

    /// A 200 MB line streamed: the run ends, the line is read in pieces of the longest line
    /// read whole, the events in it are found and the cuts are said.
    @Test(.timeLimit(.minutes(3))) func twoHundredMegabyteLine() {
        final class Repeating: ByteSource {
            let unit: [UInt8]; var left: Int; var offset = 0
            init(_ unit: String, total: Int) { self.unit = Array(unit.utf8); left = total }
            var knownSize: Int? { nil }
            func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
                let n = min(buffer.count, left)
                for i in 0..<n { buffer[i] = unit[(offset + i) % unit.count] }
                offset += n; left -= n
                return n
            }
        }
        let unit = Self.stop + " "
        let total = 200 << 20
        // The production limit is 64 MiB; smaller keeps the test quick.
        let linter = extractionLinter(geometry: ChunkGeometry(size: 4 << 20, lookahead: 8 << 20, maxLine: 16 << 20))
        let r = linter.lint(Repeating(unit, total: total), path: "huge.log")
        let expected = total / unit.utf8.count
        #expect(r.summary.bytes == total)
        #expect(r.summary.lines == 1)
        #expect(r.summary.readError == nil)
        #expect(r.summary.notices.contains { $0.message.contains("longer than 16 MiB") })
        // Each window boundary may cut one event: found as malformed or not at all, never twice.
        let windows = total / (16 << 20) + 1
        #expect(r.summary.events <= expected)
        #expect(r.summary.events >= expected - 2 * windows, "\(r.summary.events) of \(expected)")
        #expect(r.markerTotal <= expected)
    }
}

/// Inputs that vanish between the directory walk and their turn: named with the reason, the
/// others still checked, the run reports the unreadable count (exit status 2 at the CLI).
@Suite struct VanishingInputTests {
    @Test func fileRemovedAfterDiscovery() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-vanish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let line = #"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}"# + "\n"
        for name in ["a.log", "b.log", "c.log"] {
            try line.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let discovery = InputDiscovery().discover([dir.path])
        #expect(discovery.inputs.count == 3)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("b.log"))
        for jobs in [1, 2] {
            var linter = extractionLinter()
            linter.jobs = jobs
            let (report, _) = linter.run(discovery)
            #expect(report.summary.events == 2)
            #expect(report.summary.unreadableFiles == 1)
            let b = report.files.first { $0.path.hasSuffix("b.log") }
            #expect(b?.readError?.contains("b.log") == true, "\(String(describing: b?.readError))")
            #expect(b?.readError?.contains("No such file") == true, "\(String(describing: b?.readError))")
        }
    }
}

@Suite struct VirshTrailingTextTests {
    /// Text after a virsh record's details (two records run together by a crashing terminal):
    /// its markers are still accounted for.
    @Test func markersAfterTheDetailsAreCounted() {
        let line = #"event BALLOON_CHANGE at 1.000412 for domain 'vm': {"actual":1}, "event": "SHUTDOWN", "data": {"gue}"# + "\n"
        let b = Array(line.utf8)
        let r = lintBytes(b)
        #expect(r.summary.events == 1)
        #expect(r.markerTotal == HostileMarkers.count(b))
        #expect(r.markerTotal == 2)
    }
}
