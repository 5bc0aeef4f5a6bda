import Foundation
import Testing
@testable import QMPLint

/// One answer however a run is cut (issue 18, item 5): chunk cuts depend on the bytes and
/// `ChunkGeometry(size:)` only, and the reduction is sequential, so the JSON report of a log must
/// be byte-identical for every chunk size - a split point placed before every byte in turn - and
/// for any `--jobs`.
///
/// The logs mix every dialect and the sequences the stream rules and the reply matching follow:
/// libvirt records with commands, replies and events and their `Line [...]` / `IO_PROCESS`
/// echoes, virsh records (plain, `--pretty`, quoted domains, `--timestamp`), pretty and
/// `indent=0` JSON, a syslog-prefixed pretty block, JSON-lines records carrying escaped QMP,
/// greetings and `qmp_capabilities` sessions, STOP/STOP run-state sequences, job status
/// sequences, rate-limited events, a timestamp that goes back, and `device_del` with and without
/// DEVICE_DELETED, with an error reply and with a `return`.
@Suite(.serialized) struct SplitPointDeterminismTests {
    /// Runs whole pipelines over one file on disk: the report a `LintRunner` run writes as JSON.
    final class Runs {
        let path: String
        let linter: Linter
        /// The JSON report's options as a run makes them (rule page links).
        let options: ReportOptions

        init(_ text: String, name: String) throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-split-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            path = dir.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            // One provider for every run: schemas are loaded once (LintRunner loads them per run).
            let provider = SchemaSelectingProvider(fixed: nil, rules: RuleSet())
            var linter = Linter(jobs: 1, selector: provider)
            linter.captureSourceLines = false
            linter.maxFindings = LintSettings().maxFindings
            self.linter = linter
            var settings = LintSettings()
            settings.paths = [path]
            settings.progress = false
            options = try LintRunner.run(settings).options(for: .json)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// The JSON report of the file read in chunks of `size` bytes (cut where `ChunkGeometry`
        /// says) by `jobs` workers: `Linter.run` then the JSON reporter, as `LintRunner.run` does.
        func json(size: Int, jobs: Int) -> [UInt8] {
            var l = linter
            l.jobs = jobs
            l.geometry = ChunkGeometry(size: size, lookahead: 1 << 20)
            var (report, _) = l.run(InputDiscovery().discover([path]))
            for i in report.files.indices where report.files[i].schema == nil {
                report.files[i].schema = l.selector.defaultChoice
            }
            return JSONReporter.renderBytes(report, options: options)
        }

        /// The same bytes read as a stream (standard input, a pipe): cut as they arrive.
        func streamJSON(size: Int) throws -> [UInt8] {
            var l = linter
            l.geometry = ChunkGeometry(size: size, lookahead: 1 << 20)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            var r = l.lint(MemorySource(bytes), path: path)
            if r.summary.schema == nil { r.summary.schema = l.selector.defaultChoice }
            return JSONReporter.renderBytes(Linter.assemble([r], schema: l.selector.defaultChoice), options: options)
        }

        /// The JSON report a `LintRunner` run writes with this geometry and `--jobs`.
        func runnerJSON(size: Int, jobs: Int) throws -> [UInt8] {
            var s = LintSettings()
            s.paths = [path]
            s.format = .json
            s.jobs = jobs
            s.progress = false
            s.chunkGeometry = ChunkGeometry(size: size, lookahead: 1 << 20)
            let outcome = try LintRunner.run(s)
            return JSONReporter.renderBytes(outcome.report, options: outcome.options(for: .json))
        }
    }

    /// Where two reports first differ, for the failure message.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let n = zip(a, b).prefix { $0 == $1 }.count
        let from = max(0, n - 120)
        let show = { (x: [UInt8]) in String(decoding: x[from..<min(x.count, n + 120)], as: UTF8.self) }
        return "at byte \(n):\n--- one chunk:\n\(show(a))\n--- split:\n\(show(b))"
    }

    /// Every chunk size from 1 to the log's length (jobs 1, 2 and 16 in turn), then every
    /// `--jobs` through `LintRunner` with tiny chunks, then the log read as a stream: the same
    /// JSON bytes as one chunk.
    func checkEverySplit(_ text: String, name: String) throws {
        let runs = try Runs(text, name: name)
        let length = text.utf8.count
        let whole = try runs.runnerJSON(size: 1 << 30, jobs: 1)
        let direct = runs.json(size: 1 << 30, jobs: 1)
        let same = direct == whole
        #expect(same, "Linter.run and LintRunner.run differ: \(same ? "" : Self.firstDifference(whole, direct))")
        let jobs = [1, 2, 16]
        var differing: [Int] = []
        for k in 1...length {
            let j = jobs[k % jobs.count]
            let split = runs.json(size: k, jobs: j)
            if split != whole {
                if differing.isEmpty {
                    Issue.record("\(name): chunk size \(k), --jobs \(j): \(Self.firstDifference(whole, split))")
                }
                differing.append(k)
            }
        }
        #expect(differing.count == 0, "\(name): \(differing.count) of \(length) chunk sizes differ: \(differing.prefix(40))")
        for j in [1, 2, 16, 32, 256] {
            for k in [1, 7, 64] {
                let r = try runs.runnerJSON(size: k, jobs: j)
                let same = r == whole
                #expect(same, "\(name): LintRunner, chunk size \(k), --jobs \(j): \(same ? "" : Self.firstDifference(whole, r))")
            }
        }
        for k in [1, 7, 64, length / 2] {
            let r = try runs.streamJSON(size: max(1, k))
            let same = r == whole
            #expect(same, "\(name): read as a stream, chunk size \(k): \(same ? "" : Self.firstDifference(whole, r))")
        }
    }

    // MARK: - Logs

    static let mon = "0x7f2ae326cada"
    static let mon2 = "0x7f2ae3000b10"

    /// A libvirt daemon log: commands as SEND_MSG with their IO_WRITE echo, replies and events as
    /// `Line [...]` echoes followed by RECV_REPLY / RECV_EVENT, an older libvirt's IO_PROCESS,
    /// two monitors, device_del confirmed, refused and never answered, STOP then STOP.
    static var libvirtLog: String {
        func rec(_ ms: Int, _ fn: String, _ body: String) -> String {
            "2024-03-01 10:22:53.\(String(format: "%03d", ms))+0000: 63211: info : \(fn) : \(body)\n"
        }
        var t = ""
        t += rec(1, "virDomainObjBeginJobInternal:1130", "Starting job: job=modify agentJob=none asyncJob=none")
        t += rec(2, "qemuMonitorSend:859", "QEMU_MONITOR_SEND_MSG: mon=\(mon) msg={\"execute\":\"device_del\",\"arguments\":{\"id\":\"net1\"},\"id\":\"libvirt-12\"}\r\n fd=-1")
        t += rec(2, "qemuMonitorIOWrite:366", "QEMU_MONITOR_IO_WRITE: mon=\(mon) buf={\"execute\":\"device_del\",\"arguments\":{\"id\":\"net1\"},\"id\":\"libvirt-12\"}\r\n len=66 ret=66 errno=0")
        t += rec(3, "qemuMonitorJSONIOProcessLine:193", "Line [{\"return\": {}, \"id\": \"libvirt-12\"}]")
        t += rec(3, "qemuMonitorJSONIOProcessLine:235", "QEMU_MONITOR_RECV_REPLY: mon=\(mon) reply={\"return\": {}, \"id\": \"libvirt-12\"}")
        let deleted = "{\"timestamp\": {\"seconds\": 1709288573, \"microseconds\": 100000}, \"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"net1\", \"path\": \"/machine/peripheral/net1\"}}"
        t += rec(4, "qemuMonitorJSONIOProcessLine:193", "Line [\(deleted)]")
        t += rec(4, "qemuMonitorJSONIOProcessLine:230", "QEMU_MONITOR_RECV_EVENT: mon=\(mon) event=\(deleted)")
        t += rec(5, "qemuMonitorSend:859", "QEMU_MONITOR_SEND_MSG: mon=\(mon) msg={\"execute\":\"device_del\",\"arguments\":{\"id\":\"disk9\"},\"id\":\"libvirt-13\"}\r\n fd=-1")
        t += rec(6, "qemuMonitorJSONIOProcessLine:235", "QEMU_MONITOR_RECV_REPLY: mon=\(mon) reply={\"id\": \"libvirt-13\", \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'disk9' not found\"}}")
        t += rec(7, "qemuMonitorSend:859", "QEMU_MONITOR_SEND_MSG: mon=\(mon) msg={\"execute\":\"device_del\",\"arguments\":{\"id\":\"hostdev0\"},\"id\":\"libvirt-14\"}\r\n fd=-1")
        t += rec(8, "qemuMonitorJSONIOProcessLine:235", "QEMU_MONITOR_RECV_REPLY: mon=\(mon) reply={\"return\": {}, \"id\": \"libvirt-14\"}")
        t += rec(9, "qemuMonitorIOProcess:356", "QEMU_MONITOR_IO_PROCESS: mon=\(mon2) buf={\"timestamp\": {\"seconds\": 1709288574, \"microseconds\": 1}, \"event\": \"STOP\"}")
        t += rec(9, "qemuMonitorJSONIOProcessLine:193", "Line [{\"timestamp\": {\"seconds\": 1709288574, \"microseconds\": 1}, \"event\": \"STOP\"}]")
        t += rec(10, "qemuMonitorJSONIOProcessLine:230", "QEMU_MONITOR_RECV_EVENT: mon=\(mon2) event={\"timestamp\": {\"seconds\": 1709288574, \"microseconds\": 2}, \"event\": \"STOP\"}")
        t += rec(11, "qemuProcessHandleStop:690", "handle STOP handler=0x55d0 data=(nil) \"event\" mentioned in prose")
        t += rec(12, "qemuMonitorJSONIOProcessLine:230", "QEMU_MONITOR_RECV_EVENT: mon=\(mon) event={\"timestamp\": {\"seconds\": 1709288575, \"microseconds\": 3}, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}")
        return t
    }

    /// A QMP wire capture (CRLF, as QEMU writes): greeting, capabilities, device_del refused
    /// and confirmed, STOP/STOP, a job's statuses with one impossible transition, three
    /// RTC_CHANGE within a second, a timestamp going back, then a second greeting (a new
    /// session) with its own capabilities handshake.
    static var wireLog: String {
        func ev(_ s: Int, _ u: Int, _ name: String, _ data: String? = nil) -> String {
            "{\"timestamp\": {\"seconds\": \(s), \"microseconds\": \(u)}, \"event\": \"\(name)\"" + (data.map { ", \"data\": \($0)" } ?? "") + "}"
        }
        let greeting = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}"
        let lines = [
            greeting,
            "{\"execute\": \"qmp_capabilities\", \"id\": 1}",
            "{\"return\": {}, \"id\": 1}",
            "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"net1\"}, \"id\": 2}",
            "{\"id\": 2, \"error\": {\"class\": \"GenericError\", \"desc\": \"Device 'net1' not found\"}}",
            "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"disk1\"}, \"id\": 3}",
            "{\"return\": {}, \"id\": 3}",
            ev(1700000000, 1, "DEVICE_DELETED", "{\"device\": \"disk1\", \"path\": \"/machine/peripheral/disk1\"}"),
            ev(1700000000, 2, "STOP"),
            ev(1700000000, 3, "STOP"),
            ev(1700000001, 0, "JOB_STATUS_CHANGE", "{\"status\": \"created\", \"id\": \"job0\"}"),
            ev(1700000001, 1, "JOB_STATUS_CHANGE", "{\"status\": \"running\", \"id\": \"job0\"}"),
            ev(1700000001, 2, "JOB_STATUS_CHANGE", "{\"status\": \"concluded\", \"id\": \"job0\"}"),
            ev(1700000002, 0, "RTC_CHANGE", "{\"offset\": 1, \"qom-path\": \"/machine/unattached/device[8]\"}"),
            ev(1700000002, 300000, "RTC_CHANGE", "{\"offset\": 2, \"qom-path\": \"/machine/unattached/device[8]\"}"),
            ev(1700000002, 600000, "RTC_CHANGE", "{\"offset\": 3, \"qom-path\": \"/machine/unattached/device[8]\"}"),
            ev(1699999990, 0, "RESUME"),
            "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"cpu2\"}, \"id\": 4}",
            greeting,
            "{\"execute\": \"qmp_capabilities\"}",
            "{\"return\": {}}",
            ev(1700000100, 0, "RESUME"),
            ev(1700000100, 5, "STOP"),
        ]
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// Every other shape: pretty (indent 4 and 0), a journald-prefixed pretty event, virsh
    /// records (plain, --pretty, a quoted domain with a quote and a space, --timestamp, its
    /// trailer), JSON-lines records carrying an event and a command escaped, qemu-shell's
    /// merged command, a Python repr, a truncated event, prose and stray markers.
    static var mixedLog: String {
        """
        {
            "timestamp": {
                "seconds": 1700000005,
                "microseconds": 5
            },
            "event": "STOP"
        }
        {
        "timestamp": {
        "seconds": 1700000006,
        "microseconds": 6
        },
        "event": "RESUME"
        }
        Jan 01 12:00:00 host qemu-kvm[4242]: {
        Jan 01 12:00:00 host qemu-kvm[4242]:     "event": "STOP",
        Jan 01 12:00:01 host qemu-kvm[4242]:     "timestamp": {"seconds": 1700000007, "microseconds": 2}
        Jan 01 12:00:01 host qemu-kvm[4242]: }
        event BALLOON_CHANGE at 1709288600.595545 for domain db-primary: {"actual":3897556992}
        event STOP at 1709288601.018544 for domain 'it's vm 1': <null>
        event STOP at 1709288601.018600 for domain 'it's vm 1': <null>
        event SHUTDOWN at 1709288601.018700 for domain vm1: {
          "guest": false,
          "reason": "host-qmp-quit"
        }
        2024-03-01 10:22:53.012+0000: event RESUME for domain vm1: <null>
        event loop interrupted
        events received: 5
        {"component":"virt-launcher","level":"info","msg":"QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event={\\"timestamp\\": {\\"seconds\\": 1709288573, \\"microseconds\\": 12388}, \\"event\\": \\"POWERDOWN\\"}","subcomponent":"libvirt"}
        {"level":"debug","msg":"QEMU_MONITOR_IO_WRITE: mon=0x7f2ae326cada buf={\\"execute\\":\\"device_del\\",\\"arguments\\":{\\"id\\":\\"vol7\\"},\\"id\\":\\"libvirt-20\\"}\\r","ts":1}
        {"execute": "query-status", "return": {"status": "running", "running": true}}
        {'timestamp': {'seconds': 1, 'microseconds': 2}, 'event': 'SHUTDOWN', 'data': {'guest': False, 'reason': 'host-qmp-quit'}}
        {"timestamp": {"seconds": 1700000009, "microseconds": 9}, "event": "BLOCK_JOB_COMPLETED", "data": {"type": "mirror", "dev
        the word "event" in prose, and "event": where nothing can be read
        {x "event" {"a":1} "event": 1
        {"event": "STOP", "timestamp": {"seconds": 1700000010, "microseconds": 0}}

        """
    }

    /// A mix drawn from all of the above, line blocks in a seeded random order (each block a
    /// unit: a record with its continuation lines), so sequences meet shapes they do not meet
    /// above.
    static func shuffledLog(seed: UInt64) -> String {
        var blocks: [String] = []
        for text in [libvirtLog, wireLog, mixedLog] {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                let l = String(line)
                let journald = l.hasPrefix("Jan 01 ") && !l.hasSuffix("]: {")
                let continues = l.hasPrefix(" ") || l.hasPrefix("}") || l.hasPrefix("\"") || journald
                if continues, !blocks.isEmpty {
                    blocks[blocks.count - 1] += l + "\n"
                } else {
                    blocks.append(l + "\n")
                }
            }
        }
        var rng = SplitMix(seed: seed)
        blocks.shuffle(using: &rng)
        return String(blocks.prefix(20).joined())
    }

    // MARK: - Tests

    @Test(.timeLimit(.minutes(10))) func libvirtLogAnswersTheSameForEverySplit() throws {
        try checkEverySplit(Self.libvirtLog, name: "libvirt.log")
    }

    @Test(.timeLimit(.minutes(10))) func wireCaptureAnswersTheSameForEverySplit() throws {
        try checkEverySplit(Self.wireLog, name: "wire.log")
    }

    @Test(.timeLimit(.minutes(10))) func mixedShapesAnswerTheSameForEverySplit() throws {
        try checkEverySplit(Self.mixedLog, name: "mixed.log")
    }

    @Test(.timeLimit(.minutes(10)), arguments: [1, 2] as [UInt64])
    func shuffledMixAnswersTheSameForEverySplit(seed: UInt64) throws {
        try checkEverySplit(Self.shuffledLog(seed: seed), name: "shuffled-\(seed).log")
    }

    /// A `Line [...]` copy of an event in one chunk, the RECV_EVENT that repeats it with its
    /// monitor in the next: the event belongs to the monitor's stream (it confirms the
    /// device_del there) wherever the cut falls.
    @Test func lineEchoAcrossACutKeepsItsMonitor() throws {
        let text = """
            2024-03-01 10:22:53.002+0000: 63211: info : qemuMonitorIOWrite:366 : QEMU_MONITOR_IO_WRITE: mon=0x7f2ae326cada buf={"execute":"device_del","arguments":{"id":"net1"},"id":"libvirt-12"}
             len=66 ret=66 errno=0
            2024-03-01 10:22:53.004+0000: 63211: info : qemuMonitorJSONIOProcessLine:193 : Line [{"timestamp": {"seconds": 1709288573, "microseconds": 100000}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}]
            2024-03-01 10:22:53.004+0000: 63211: info : qemuMonitorJSONIOProcessLine:230 : QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event={"timestamp": {"seconds": 1709288573, "microseconds": 100000}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}
            2024-03-01 10:22:53.012+0000: 63211: info : qemuMonitorJSONIOProcessLine:230 : QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event={"timestamp": {"seconds": 1709288575, "microseconds": 3}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}

            """
        let runs = try Runs(text, name: "line-echo.log")
        let whole = runs.json(size: 1 << 30, jobs: 1)
        // Each record its own chunk: the cut falls between the Line copy and its RECV_EVENT.
        let split = runs.json(size: 1, jobs: 1)
        let same = split == whole
        #expect(same, "\(same ? "" : Self.firstDifference(whole, split))")
    }

    /// Unparsed event text in a later chunk is reported at its own line, not at the line it
    /// has within its chunk.
    @Test func unparsedTextInALaterChunkKeepsItsLine() throws {
        let runs = try Runs("x\n\"event\": 1\n", name: "unparsed-line.log")
        for size in [1, 2, 1 << 30] {
            var l = runs.linter
            l.geometry = ChunkGeometry(size: size, lookahead: 1 << 20)
            let (report, _) = l.run(InputDiscovery().discover([runs.path]))
            #expect(report.findings.map(\.rule) == ["unparsed-event-text"], "chunk size \(size)")
            #expect(report.findings.map(\.line) == [2], "chunk size \(size)")
        }
    }

    /// The logs hold what they are meant to: every message kind, echoes, every dialect, and
    /// findings of the stream rules (so the sweeps above compare reports with content).
    @Test func logsHoldWhatTheyClaim() throws {
        let all = Self.libvirtLog + Self.wireLog + Self.mixedLog
        let runs = try Runs(all, name: "all.log")
        var l = runs.linter
        l.geometry = ChunkGeometry(size: 1 << 30)
        let (report, results) = l.run(InputDiscovery().discover([runs.path]))
        let r = try #require(results.first)
        for kind in MessageKind.allCases { #expect(r.count(kind) > 0, "no \(kind)") }
        #expect(r.echoes > 0)
        #expect(r.errorReplies >= 2)
        // (QMP inside JSON-lines records is read by the dialect of what it carries.)
        for d in DialectID.allCases where d != .jsonLogRecord { #expect(r.dialects[d.index] > 0, "no \(d.rawValue) message") }
        #expect(r.markers.total > r.markers.events)
        #expect(report.summary.malformed >= 1)
        for rule in ["run-state", "job-transition", "rate-limit", "timestamp-regression", "unplug-unconfirmed",
                     "unparsed-event-text"] {
            #expect(report.summary.findingsByRule[rule, default: 0] > 0, "no \(rule) finding")
        }
    }
}

/// The generated corpus (../shared/bench/gen_corpus.py), 3 MB cut into many 64 KiB chunks: the
/// JSON report is byte-identical for `--jobs` 1, 2, 16, 32 and 256.
@Suite(.enabled(if: TestPaths.sharedAvailable && TestPaths.pythonAvailable, "needs ../shared and python3"))
struct JobsDeterminismCorpusTests {
    @Test(.timeLimit(.minutes(10))) func generatedCorpusGivesOneReportForEveryJobs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-jobs-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.log").path
        let gen = AnswerKeyTests.run([TestPaths.sharedPath("bench/gen_corpus.py"), "--seed", "31", "--size-mb", "3",
                                      "--out", corpus])
        try #require(gen.0 == 0, "gen_corpus failed: \(gen.1)")
        func json(_ jobs: Int) throws -> [UInt8] {
            var s = LintSettings()
            s.paths = [corpus]
            s.format = .json
            s.jobs = jobs
            s.progress = false
            s.chunkGeometry = ChunkGeometry(size: 64 << 10)
            let outcome = try LintRunner.run(s)
            return JSONReporter.renderBytes(outcome.report, options: outcome.options(for: .json))
        }
        let one = try json(1)
        #expect(one.count > 100_000)
        for jobs in [2, 16, 32, 256] {
            let other = try json(jobs)
            let same = other == one
            #expect(same, "--jobs \(jobs): \(same ? "" : SplitPointDeterminismTests.firstDifference(one, other))")
        }
    }
}
