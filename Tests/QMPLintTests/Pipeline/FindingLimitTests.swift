import Foundation
import Testing
@testable import QMPLint

/// `--max-findings` lists the first findings in report order, the same ones whether an input is
/// read whole or in ranges by several threads (a split input once listed the limit per range),
/// and the totals still count every finding.
@Suite struct FindingLimitTests {
    /// A findings-dense log: unknown events, misspelt members and STOP/STOP pairs (stateful
    /// warnings), with timestamps going back now and then.
    static func denseLog(lines: Int) -> String {
        var out = ""
        for i in 0..<lines {
            let t = 1_700_000_000 + (i % 97 == 0 ? -i : i)
            switch i % 4 {
            case 0: out += #"{"timestamp": {"seconds": \#(t), "microseconds": 1}, "event": "NO_SUCH_EVENT_\#(i % 7)", "data": {}}"# + "\n"
            case 1: out += #"{"timestamp": {"seconds": \#(t), "microseconds": 2}, "event": "STOP"}"# + "\n"
            case 2: out += #"{"timestamp": {"seconds": \#(t), "microseconds": 3}, "event": "SHUTDOWN", "data": {"guest": true, "reson": "host-qmp-quit"}}"# + "\n"
            default: out += "noise line \(i) without any marker\n"
            }
        }
        return out
    }

    static func report(_ path: String, jobs: Int, limit: Int, dir: URL) throws -> (String, [String: Any]) {
        var s = LintSettings()
        s.paths = [path]
        s.format = .json
        s.jobs = jobs
        s.chunkGeometry = ChunkGeometry(size: 4096)
        s.maxFindings = limit
        s.progress = false
        s.output = dir.appendingPathComponent("r-\(jobs)-\(limit).json").path
        _ = LintRunner.runWritingFiles(s)
        let text = try String(contentsOfFile: s.output!, encoding: .utf8)
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        return (text, json)
    }

    @Test(arguments: [1, 37, 500, 100_000])
    func sameListWhateverTheThreadsAndRanges(limit: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-limit-\(getpid())-\(limit)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("dense.log")
        try Data(Self.denseLog(lines: 4000).utf8).write(to: log)
        let (one, json) = try Self.report(log.path, jobs: 1, limit: limit, dir: dir)
        for jobs in [2, 4] {
            let (other, _) = try Self.report(log.path, jobs: jobs, limit: limit, dir: dir)
            #expect(other == one, "--jobs \(jobs) lists other findings than --jobs 1 with --max-findings \(limit)")
        }
        let listed = (json["findings"] as? [Any])?.count ?? -1
        let summary = json["summary"] as? [String: Any] ?? [:]
        let total = (summary["findingsByRule"] as? [String: Int] ?? [:]).values.reduce(0, +)
        #expect(total > 3000)
        #expect(listed == min(limit, total))
    }
}

/// One message with a huge number of faults lists the first `Walk.listLimit` findings, one more
/// that stands for the rest, and counts them all (issue 14, item 5: memory per event).
@Suite struct PerMessageListingTests {
    @Test func aMillionUnknownMembersAreCountedNotBuilt() {
        let n = 200_000
        var text = #"{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}, "data": {"#
        text += (0..<n).map { #""x\#($0)": \#($0)"# }.joined(separator: ", ")
        text += "}}\n"
        let schema = TestSchemas.qemu
        let linter = Linter(jobs: 1, selector: SchemaSelectingProvider(fixed: (schema, SchemaChoice(name: schema.name, reason: "test"))))
        let r = linter.lint(bytes: Array(text.utf8))
        let listed = r.findings.filter { $0.rule == "unexpected-member" }
        #expect(listed.count == Walk.listLimit + 1)
        #expect(listed.contains { $0.message.hasPrefix("\(n - Walk.listLimit) more unexpected-member findings") })
        #expect(r.findingsByRule["unexpected-member"] == n, "every one counted")
        #expect(r.summary.warnings == n)
    }

    @Test func aLineOfStrayMarkersListsTheFirstOnes() {
        let n = 5_000
        let text = String(repeating: #""event": "STOP" "#, count: n) + "\n"
        let r = Linter(jobs: 1, selector: SchemaSelectingProvider(fixed: nil)).lint(bytes: Array(text.utf8))
        #expect(r.findings.filter { $0.rule == "unparsed-event-text" }.count == Walk.listLimit)
        #expect(r.findingsByRule["unparsed-event-text"] == n)
    }
}
