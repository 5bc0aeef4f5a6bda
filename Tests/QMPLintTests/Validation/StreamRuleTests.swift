import Foundation
import Testing

@testable import QMPLint

/// Runs the whole pipeline over files and returns the JSON report's bytes and findings.
enum StreamLint {
    struct Run {
        var bytes: Data
        var findings: [[String: Any]]
        func of(_ rule: String) -> [[String: Any]] { findings.filter { $0["rule"] as? String == rule } }
    }

    static func run(_ paths: [String], jobs: Int = 1, split: Int = 8 << 20, disabled: Set<String> = []) throws -> Run {
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("qmp-lint-streams-\(getpid())-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var s = LintSettings()
        s.paths = paths
        s.format = .json
        s.output = out
        s.jobs = jobs
        s.chunkGeometry = ChunkGeometry(size: split)
        s.progress = false
        s.disabledRules = disabled
        _ = LintRunner.runWritingFiles(s)
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Run(bytes: data, findings: report["findings"] as? [[String: Any]] ?? [])
    }

    /// Lints `text` as one file.
    static func run(text: String, name: String = "t.log") throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "qmp-lint-streams-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try run([path])
    }

}

@Suite struct StreamRuleTests {
    @Test func illegalJobTransitionNamesJobAndBothStates() throws {
        let r = try StreamLint.run([TestPaths.fixture("streams/job-illegal-transition.log")])
        let found = r.of("job-transition")
        try #require(found.count == 1, "\(found)")
        let f = found[0]
        #expect(f["line"] as? Int == 6)
        #expect(f["severity"] as? String == "warning")
        let message = f["message"] as? String ?? ""
        #expect(
            message.contains("\"copy-vda\"") && message.contains("\"running\"") && message.contains("\"pending\""),
            "\(message)")
        #expect(f["stream"] as? String == "mon=0x7f3a1c00a2b0")
        // The second monitor's job of the same id is its own (running -> ready is fine).
        #expect(r.findings.allSatisfy { ($0["line"] as? Int) != 7 })
    }

    @Test func sessionsStartAtGreetingsAndCapabilities() throws {
        let r = try StreamLint.run([TestPaths.fixture("streams/sessions.txt")])
        let jobs = r.of("job-transition")
        try #require(jobs.count == 1)
        #expect(jobs[0]["line"] as? Int == 8)
        #expect(jobs[0]["stream"] as? String == "session 2")
        // RESUME follows a SHUTDOWN of the previous QEMU, not of this one.
        #expect(r.of("run-state").isEmpty)
        #expect(r.findings.first { $0["line"] as? Int == 3 }?["stream"] as? String == "session 1")
    }

    @Test func jobFirstSeenMidStreamAndUnfinishedJobsAreFine() throws {
        let text = """
            {"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "ready", "id": "m"}}
            {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "standby", "id": "m"}}
            {"timestamp": {"seconds": 1700000000, "microseconds": 3}, "event": "JOB_STATUS_CHANGE", "data": {"status": "created", "id": "b"}}

            """
        #expect(try StreamLint.run(text: text).findings.isEmpty)
    }

    @Test func blockJobEventAfterConclusionIsFlagged() throws {
        let text = """
            {"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "d"}}
            {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "BLOCK_JOB_CANCELLED", "data": {"device": "d", "len": 1, "offset": 0, "speed": 0, "type": "commit"}}
            {"timestamp": {"seconds": 1700000000, "microseconds": 3}, "event": "JOB_STATUS_CHANGE", "data": {"status": "waiting", "id": "d"}}
            {"timestamp": {"seconds": 1700000000, "microseconds": 4}, "event": "BLOCK_JOB_READY", "data": {"device": "d", "len": 1, "offset": 1, "speed": 0, "type": "mirror"}}

            """
        let r = try StreamLint.run(text: text)
        // CANCELLED after `running` only means status changes were left out of the transcript.
        #expect(r.of("block-job-status").map { $0["line"] as? Int } == [4])
    }

    @Test func rateLimitKeysOnNodeName() throws {
        func bad(_ us: Int, _ node: String) -> String {
            #"{"timestamp": {"seconds": 1700000000, "microseconds": \#(us)}, "event": "QUORUM_REPORT_BAD", "data": {"type": "read", "node-name": "\#(node)", "sector-num": 0, "sectors-count": 1}}"#
        }
        let mixed = [bad(1, "a"), bad(2, "b"), bad(3, "c"), bad(4, "a"), bad(5, "b")].joined(separator: "\n") + "\n"
        #expect(try StreamLint.run(text: mixed).of("rate-limit").isEmpty)
        let same = [bad(1, "a"), bad(2, "a"), bad(3, "a")].joined(separator: "\n") + "\n"
        let r = try StreamLint.run(text: same)
        #expect(r.of("rate-limit").count == 1)
        let message = r.of("rate-limit").first?["message"] as? String ?? ""
        #expect(message.contains("node-name=a"))
    }

    @Test func virshStreamsAreDomainsAndExemptFromTheShutdownCheck() throws {
        let text = """
            event SHUTDOWN at 1700000000.000001 for domain vm1: {"guest":true,"reason":"guest-shutdown"}
            event RESUME at 1700000100.000001 for domain vm1: <null>
            event STOP at 1700000100.000002 for domain vm2: <null>
            event STOP at 1700000100.000003 for domain vm2: <null>

            """
        let r = try StreamLint.run(text: text)
        let run = r.of("run-state")
        #expect(run.count == 1)
        #expect(run.first?["stream"] as? String == "domain vm2")
    }

    @Test func aRestartedDomainMayResumeAgainAfterShutdown() throws {
        let text = """
            event RESUME at 1700000000.000001 for domain vm1: <null>
            event SHUTDOWN at 1700000050.000001 for domain vm1: {"guest":true,"reason":"guest-shutdown"}
            event RESUME at 1700000100.000001 for domain vm1: <null>

            """
        #expect(try StreamLint.run(text: text).of("run-state").isEmpty)
    }

    @Test func blockIOErrorIsRateLimitedOnlyWhenItHasQOMPath() throws {
        func err(_ us: Int, qomPath: Bool) -> String {
            let path = qomPath ? #""qom-path": "/machine/peripheral/vd0/virtio-backend", "# : ""
            return
                #"{"timestamp": {"seconds": 1700000000, "microseconds": \#(us)}, "event": "BLOCK_IO_ERROR", "data": {\#(path)"device": "", "node-name": "n", "operation": "write", "action": "report", "reason": "No space left on device"}}"#
        }
        let old = (1...3).map { err($0, qomPath: false) }.joined(separator: "\n") + "\n"
        #expect(try StreamLint.run(text: old).of("rate-limit").isEmpty)
        let new = (1...3).map { err($0, qomPath: true) }.joined(separator: "\n") + "\n"
        #expect(try StreamLint.run(text: new).of("rate-limit").count == 1)
    }

    @Test func unplugNeedsLaterEventsAndAcceptedCommand() throws {
        // No events after the command: nothing to judge (test outputs often log no events).
        let quiet = #"{"execute": "device_del", "arguments": {"id": "scsi-hd0"}}"# + "\n" + #"{"return": {}}"# + "\n"
        #expect(try StreamLint.run(text: quiet).findings.isEmpty)
        // Confirmed by QOM path.
        let byPath = """
            {"execute": "device_del", "arguments": {"id": "/machine/peripheral/net1"}}
            {"return": {}}
            {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/net1"}}

            """
        #expect(try StreamLint.run(text: byPath).of("unplug-unconfirmed").isEmpty)
        // A libvirt log: the monitor's session ends with a new greeting.
        let libvirt = """
            2025-06-02 08:14:00.002+0000: 1: info : qemuMonitorSend:981 : QEMU_MONITOR_SEND_MSG: mon=0x55 msg={"execute":"device_del","arguments":{"id":"net1"},"id":"libvirt-9"}
            2025-06-02 08:14:00.003+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=0x55 reply={"return": {}, "id": "libvirt-9"}
            2025-06-02 08:14:01.010+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=0x55 event={"timestamp": {"seconds": 1748852041, "microseconds": 10000}, "event": "STOP"}
            2025-06-02 08:14:02.001+0000: 1: info : qemuMonitorIOProcess:447 : QEMU_MONITOR_IO_PROCESS: mon=0x55 buf={"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": ""}, "capabilities": []}}

            """
        let r = try StreamLint.run(text: libvirt)
        #expect(r.of("unplug-unconfirmed").map { $0["stream"] as? String } == ["mon=0x55"])
        #expect(r.of("unplug-unconfirmed").first?["line"] as? Int == 1)
    }

    @Test func findingsPastTheLimitAreCountedNotListed() throws {
        let stop = #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "STOP"}"#
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-streams-max-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.log").path
        try Data((Array(repeating: stop, count: 50).joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: path))
        var s = LintSettings()
        s.paths = [path]
        s.format = .json
        s.output = dir.appendingPathComponent("r.json").path
        s.progress = false
        s.maxFindings = 10
        _ = LintRunner.runWritingFiles(s)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.output!))) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        #expect((summary["findingsByRule"] as? [String: Int])?["run-state"] == 49)
        #expect(summary["warnings"] as? Int == 49)
        #expect((report["findings"] as? [Any])?.count == 10)
    }

    @Test func disabledStatefulRulesAreOff() throws {
        let example = try #require(RuleCatalog.rule(id: "run-state")?.triggering.first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-streams-off-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.log").path
        try Data((example + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(try StreamLint.run([path], disabled: ["run-state"]).of("run-state").isEmpty)
    }
}

/// The stateful rules on the real transcripts of ../shared: QEMU's own test outputs follow its
/// job state machine, and nothing stateful is flagged on any of them (no false positives).
@Suite(.enabled(if: TestPaths.sharedAvailable, "needs ../shared/corpus"))
struct StreamCorpusTests {
    static let directories = ["qemu-iotests", "libvirt-caps", "libvirt-monitor", "pages"]

    @Test(arguments: directories)
    func noStatefulFindings(_ dir: String) throws {
        let r = try StreamLint.run([TestPaths.sharedPath("corpus/transcripts/" + dir)])
        for id in RuleRegistry.streamRules.map { $0.description.id } {
            #expect(
                r.of(id).isEmpty,
                "\(id) on \(dir): \(r.of(id).map { "\($0["file"] ?? ""):\($0["line"] ?? "") \($0["message"] ?? "")" })")
        }
    }

    @Test func iotestsHaveStreams() throws {
        let r = try StreamLint.run([TestPaths.sharedPath("corpus/transcripts/qemu-iotests/185.out")])
        let streams = Set(r.findings.compactMap { $0["stream"] as? String })
        #expect(streams.count > 1, "185.out runs QEMU several times: \(streams)")
    }
}

/// The same report whatever the thread count and however inputs are split into ranges.
@Suite struct StreamSplitTests {
    /// A log with many monitors, sessions, jobs, throttled events, run-state changes, unplugs and
    /// clock steps, separated by noise so that ranges cut through every kind of state.
    static func syntheticLog() -> String {
        var out = ""
        var rng = SplitMix(seed: 7)
        var seconds = 1_700_000_000
        let statuses = [
            "created", "running", "paused", "ready", "standby", "waiting", "pending", "aborting", "concluded", "null",
        ]
        for i in 0..<6000 {
            let mon = "0x7f00\(rng.next() % 4)"
            let prefix =
                "2025-06-02 08:14:00.000+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=\(mon) event="
            if rng.next() % 10 == 0 { seconds -= Int(rng.next() % 3) } else { seconds += Int(rng.next() % 2) }
            let us = Int(rng.next() % 1_000_000)
            let ts = #"{"timestamp": {"seconds": \#(seconds), "microseconds": \#(us)}, "#
            switch rng.next() % 12 {
            case 0, 1, 2:
                out +=
                    prefix + ts
                    + #""event": "JOB_STATUS_CHANGE", "data": {"status": "\#(statuses[Int(rng.next() % 10)])", "id": "job\#(rng.next() % 3)"}}"#
                    + "\n"
            case 3:
                out += prefix + ts + #""event": "\#(rng.next() % 2 == 0 ? "STOP" : "RESUME")"}"# + "\n"
            case 4:
                out +=
                    prefix + ts + #""event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}"# + "\n"
            case 5:
                out +=
                    prefix + ts
                    + #""event": "QUORUM_REPORT_BAD", "data": {"type": "read", "node-name": "n\#(rng.next() % 2)", "sector-num": 0, "sectors-count": 1}}"#
                    + "\n"
            case 6:
                out +=
                    "2025-06-02 08:14:00.002+0000: 1: info : qemuMonitorSend:981 : QEMU_MONITOR_SEND_MSG: mon=\(mon) msg={\"execute\":\"device_del\",\"arguments\":{\"id\":\"dev\(rng.next() % 5)\"},\"id\":\"libvirt-\(i)\"}\n"
            case 7:
                out +=
                    prefix + ts
                    + #""event": "DEVICE_DELETED", "data": {"device": "dev\#(rng.next() % 5)", "path": "/machine/peripheral/x"}}"#
                    + "\n"
            case 8 where rng.next() % 8 == 0:
                out +=
                    "2025-06-02 08:14:02.001+0000: 1: info : qemuMonitorIOProcess:447 : QEMU_MONITOR_IO_PROCESS: mon=\(mon) buf={\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 8}, \"package\": \"\"}, \"capabilities\": []}}\n"
            case 9:
                out +=
                    #"{"timestamp": {"seconds": \#(seconds), "microseconds": \#(us)}, "event": "\#(rng.next() % 2 == 0 ? "STOP" : "RESET")", "data": {"guest": false, "reason": "host-qmp-system-reset"}}"#
                    + "\n"
            case 10 where rng.next() % 20 == 0:
                out += #"{"execute": "qmp_capabilities"}"# + "\n"
            default:
                out +=
                    "2025-06-02 08:14:00.000+0000: 1: debug : virObjectRef:400 : OBJECT_REF: obj=0x55 noise line \(i) "
                    + String(repeating: "x", count: Int(rng.next() % 200)) + "\n"
            }
        }
        return out
    }

    static func compare(_ path: String) throws {
        let one = try StreamLint.run([path], jobs: 1)
        #expect(RuleRegistry.streamRules.map { $0.description.id }.contains { !one.of($0).isEmpty }, "the input exercises the stateful rules")
        for (jobs, split) in [(2, 8 << 20), (2, 50_000), (5, 50_000), (7, 20_000)] {
            let other = try StreamLint.run([path], jobs: jobs, split: split)
            #expect(other.bytes == one.bytes, "--jobs \(jobs), split at \(split) bytes: reports differ")
            if other.bytes != one.bytes, let dir = ProcessInfo.processInfo.environment["QMPLINT_SPLIT_DIFF_DIR"] {
                try one.bytes.write(to: URL(fileURLWithPath: dir + "/one.json"))
                try? FileManager.default.copyItem(atPath: path, toPath: dir + "/input.log")
                try other.bytes.write(to: URL(fileURLWithPath: dir + "/split-\(jobs)-\(split).json"))
            }
        }
    }

    @Test func syntheticLogGivesTheSameReportHoweverSplit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-split-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("synthetic.log").path
        try Data(Self.syntheticLog().utf8).write(to: URL(fileURLWithPath: path))
        try Self.compare(path)
    }

    @Test(.enabled(if: TestPaths.sharedAvailable && TestPaths.pythonAvailable, "needs ../shared and python3"))
    func benchmarkCorpusGivesTheSameReportHoweverSplit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-split-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.log").path
        let gen = AnswerKeyTests.run([
            TestPaths.sharedPath("bench/gen_corpus.py"), "--seed", "21", "--size-mb", "1", "--out", corpus,
        ])
        try #require(gen.0 == 0, "gen_corpus failed: \(gen.1)")
        try Self.compare(corpus)
    }
}
