import Foundation
@testable import QMPLint

/// Counts event markers in raw bytes without the extractor: every `"event"` / `'event'` with
/// the same quote on both sides, plus every line that is a virsh record (matches
/// `Dialect.virshPattern` at its start, CR line end excluded).
enum HostileMarkers {
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
                // Escaped in a JSON string: \"event\".
                else if q == 0x22, i >= 2, b[i - 2] == 0x5C, b[i + 5] == 0x5C, i + 6 < b.count, b[i + 6] == 0x22 { n += 1 }
                i += 5
            } else {
                i += 1
            }
        }
        return n
    }

    static func virshRecords(_ b: UnsafeRawBufferPointer) -> Int {
        // A Regex holds its match data: one per call, as tests run in parallel.
        let virsh = try! Regex(VirshEventDialect.recordPattern)
        var n = 0
        var ls = 0
        while ls < b.count {
            var le = ls
            while le < b.count && b[le] != 0x0A { le += 1 }
            var ce = le
            if ce > ls && b[ce - 1] == 0x0D { ce -= 1 }
            let ts = ls < ce && b[ls] == 0x0D ? ls + 1 : ls
            if ce - ts >= 6, (try? virsh.firstMatch(in: b, from: ts, to: ce, anchored: true)) != nil { n += 1 }
            ls = le + 1
        }
        return n
    }

    static func count(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBytes { count($0) } }
}

/// Runs extraction (no findings) over bytes cut into chunks of the given geometry.
func lintBytes(_ bytes: [UInt8], geometry: ChunkGeometry = ChunkGeometry()) -> FileResult {
    extractionLinter(geometry: geometry).lint(bytes: bytes, path: "hostile.log")
}

extension FileResult {
    var markerTotal: Int { markers.total }
}

/// The hostile tests' generator: the shared SplitMix64.
typealias HostileRNG = SplitMix

/// Random log text: records of every dialect, broken ones, look-alikes and noise.
struct HostileLogGenerator {
    var rng: HostileRNG
    init(seed: UInt64) { rng = HostileRNG(seed: seed) }

    static let names = ["STOP", "RESUME", "SHUTDOWN", "BLOCK_JOB_COMPLETED", "MIGRATION", "RTC_CHANGE", "X"]

    mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &rng)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

    mutating func timestamp() -> String { "{\"seconds\": \(int(0...1_800_000_000)), \"microseconds\": \(int(0...999_999))}" }

    mutating func data() -> String {
        switch int(0...5) {
        case 0: return "{}"
        case 1: return "{\"device\": \"drive-\(int(0...9))\", \"len\": \(int(0...1 << 30)), \"offset\": 0, \"speed\": 0, \"type\": \"commit\"}"
        case 2: return "{\"msg\": \"{\\\"event\\\": \\\"FAKE\\\"}\", \"note\": \"an 'event' word\"}"  // event text in strings
        case 3: return "{\"nested\": {\"event\": \"INNER\", \"timestamp\": \(timestamp())}}"          // a nested event object
        case 4: return "{\"list\": [1, 2.5, -3e2, true, false, null, \"\\u00e9\\n\"]}"
        default: return "{\"status\": \"\(pick(["created", "running", "ready", "concluded"]))\", \"id\": \"job\(int(0...99))\"}"
        }
    }

    mutating func compactEvent() -> String {
        let name = pick(Self.names)
        if chance(0.5) { return "{\"timestamp\": \(timestamp()), \"event\": \"\(name)\", \"data\": \(data())}" }
        return "{\"event\": \"\(name)\", \"data\": \(data()), \"timestamp\": \(timestamp())}"
    }

    /// One record: whole lines, the last without its line end.
    mutating func record() -> [UInt8] {
        let crlf = chance(0.15)
        let nl = crlf ? "\r\n" : "\n"
        var text: String
        switch int(0...15) {
        case 0, 1: text = compactEvent()
        case 2: text = "<- " + compactEvent() + (chance(0.5) ? compactEvent() : "")
        case 3: text = "2024-03-01 10:22:53.012+0000: 63211: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event=" + compactEvent()
        case 4:
            let e = compactEvent()
            text = "2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorIOProcess:356 : QEMU_MONITOR_IO_PROCESS: mon=0x7f733c000a40 buf=" + e + nl
                + "2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorJSONIOProcessLine:193 : Line [" + e + "]"
        case 5:
            let name = pick(Self.names)
            text = "{\n    \"timestamp\": {\n        \"seconds\": \(int(0...999)),\n        \"microseconds\": 1\n    },\n    \"event\": \"\(name)\",\n    \"data\": {\n        \"reason\": \"x\"\n    }\n}"
            if crlf { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        case 6:
            let details = pick(["<null>", "{\"actual\":3897556992}", "{\"reason\": \"'event'\"}", "not-details", "{\"broken\": "])
            text = "event \(pick(Self.names)) at \(int(0...2_000_000_000)).\(int(0...999_999)) for domain vm\(int(0...3)): " + details
        case 7: text = "2024-03-01 10:22:53.012+0000: event RESUME for domain 'a b': <null>"
        case 8: text = "event SHUTDOWN at 1709288601.018544 for domain vm1: {" + nl + "  \"guest\": false," + nl + "  \"reason\": \"host-qmp-quit\"" + nl + "}"
        case 9: text = "{'event': '\(pick(Self.names))', 'timestamp': {'seconds': 1, 'microseconds': 2}, 'data': {'guest': False, 'x': None}}"
        case 10:
            // Truncated: an event cut anywhere.
            let e = Array(compactEvent().utf8)
            text = String(decoding: e[0..<int(1...(e.count - 1))], as: UTF8.self)
        case 11: text = "{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": \"blkdebug\", \"inject-error\": [{\"event\": \"read_aio\"}]}}"
        case 12: text = "{\"return\": [{\"name\": \"SHUTDOWN\", \"meta-type\": \"event\"}, {\"name\": \"x\", \"meta-type\": 'event'}], \"id\": \"libvirt-9\"}"
        case 13: text = "the word \"event\" in prose, and 'event' too, and event alone"
        case 14:
            // Lone CR line ends inside one line.
            text = compactEvent() + "\r" + compactEvent() + "\r"
        default:
            // Invalid UTF-8 inside a string of an event.
            var b = Array("{\"event\": \"STOP\", \"data\": {\"s\": \"".utf8) + [0xFF, 0xC3, 0x28, 0xE2, 0x82] + Array("\"}, \"timestamp\": \(timestamp())}".utf8)
            if chance(0.3) { b.insert(0, at: int(0...b.count)) }
            return b
        }
        return Array(text.utf8)
    }

    /// A line that is not a record: it does not start with white space, `}` or `]` (so it
    /// continues nothing), holds no quoted marker, no `event ` at its start and nothing that
    /// libvirt echo detection looks for.
    mutating func noise() -> [UInt8] {
        switch int(0...4) {
        case 0: return Array("noise line \(int(0...1_000_000)) {unbalanced [ brace".utf8)
        case 1: return [0x4E] + (0..<int(0...40)).map { _ in UInt8.random(in: 0...255, using: &rng) }.filter { $0 != 0x0A }
        case 2: return Array("N\0\0\0binary\u{1}\u{2}\u{7f}".utf8)
        case 3: return Array("2024-03-01 10:22:53.013+0000: 63211: debug : virThreadJobSet:94 : Thread 63211 is now running job remoteDispatch".utf8)
        default: return Array("Nan event-like word: events, eventual, \"events\"".utf8)
        }
    }

    /// Records joined by newlines, with `noise` noise lines placed between records.
    static func join(_ records: [[UInt8]], noiseAfter: [Int: [[UInt8]]] = [:], lineEnd: [UInt8] = [0x0A]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, r) in records.enumerated() {
            out += r
            out += lineEnd
            for n in noiseAfter[i] ?? [] { out += n; out += lineEnd }
        }
        return out
    }
}
