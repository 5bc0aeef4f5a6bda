import Foundation
import Testing

@testable import QMPLint

/// Small transcripts for the stream rules about commands and replies.
private enum T {
    static let greeting =
        #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": ""}, "capabilities": ["oob"]}}"#
    static func event(_ us: Int, _ name: String, _ data: String? = nil) -> String {
        #"{"timestamp": {"seconds": 1700000000, "microseconds": \#(us)}, "event": "\#(name)""#
            + (data.map { #", "data": \#($0)"# } ?? "") + "}"
    }
    static func job(_ us: Int, _ id: String, _ status: String) -> String {
        event(us, "JOB_STATUS_CHANGE", #"{"status": "\#(status)", "id": "\#(id)"}"#)
    }
    static func cmd(_ name: String, _ args: String? = nil, id: String? = nil) -> String {
        #"{"execute": "\#(name)""# + (args.map { #", "arguments": \#($0)"# } ?? "")
            + (id.map { #", "id": "\#($0)""# } ?? "") + "}"
    }
    static func ok(_ id: String? = nil) -> String { #"{"return": {}"# + (id.map { #", "id": "\#($0)""# } ?? "") + "}" }
    static func err(_ cls: String, id: String? = nil) -> String {
        #"{"error": {"class": "\#(cls)", "desc": "x"}"# + (id.map { #", "id": "\#($0)""# } ?? "") + "}"
    }
    static func lines(_ l: [String]) -> String { l.joined(separator: "\n") + "\n" }

    /// libvirt debug records.
    static func send(_ mon: String, _ msg: String) -> String {
        "2025-06-02 08:14:00.002+0000: 1: info : qemuMonitorSend:981 : QEMU_MONITOR_SEND_MSG: mon=\(mon) msg=\(msg)"
    }
    static func reply(_ mon: String, _ r: String) -> String {
        "2025-06-02 08:14:00.003+0000: 2: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=\(mon) reply=\(r)"
    }
    static func line(_ text: String) -> String {
        "2025-06-02 08:14:00.003+0000: 2: debug : qemuMonitorJSONIOProcessLine:189 : Line [\(text)]"
    }

    /// A file's lines, split at LF only (QEMU ends lines with CR LF, one Character in Swift).
    static func fileLines(_ path: String) throws -> [String] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Lines of a file with some (1-based) removed.
    static func without(_ path: String, _ drop: Set<Int>) throws -> String {
        try fileLines(path).enumerated().filter { !drop.contains($0.offset + 1) }.map(\.element).joined(separator: "\n")
    }

    static func lineNumbers(_ r: StreamLint.Run, _ rule: String) -> [Int] {
        r.of(rule).compactMap { $0["line"] as? Int }.sorted()
    }
}

@Suite struct CommandBeforeCapabilitiesTests {
    let id = "command-before-capabilities"

    @Test func flaggedWhenQEMUAnswersCommandNotFound() throws {
        // Answered CommandNotFound; the qmp_capabilities after it starts the next session.
        let text = T.lines([
            T.greeting, T.cmd("query-status"), T.err("CommandNotFound"), T.cmd("qmp_capabilities"), T.ok(),
        ])
        let r = try StreamLint.run(text: text)
        #expect(T.lineNumbers(r, id) == [2])
        #expect((r.of(id).first?["message"] as? String ?? "").contains("query-status"))
        #expect(r.of(id).first?["severity"] as? String == "warning")
    }

    @Test func confirmedByCommandNotFound() throws {
        let text = T.lines([T.greeting, T.cmd("query-status", id: "a"), T.err("CommandNotFound", id: "a")])
        #expect(T.lineNumbers(try StreamLint.run(text: text), id) == [2])
    }

    @Test func notFlaggedWithoutProof() throws {
        // No reply: libvirt's debug records quote commands in `cmd=` in the stream of its greeting.
        #expect(
            try StreamLint.run(text: T.lines([T.greeting, T.cmd("query-status"), T.cmd("qmp_capabilities")])).of(id)
                .isEmpty)
        // A success: the log left the negotiation out.
        #expect(
            try StreamLint.run(
                text: T.lines([
                    T.greeting, T.cmd("query-status"),
                    #"{"return": {"status": "running", "singlestep": false, "running": true}}"#,
                ])
            ).of(id).isEmpty)
        // Another error class: QEMU got as far as the command's own checks.
        #expect(
            try StreamLint.run(
                text: T.lines([T.greeting, T.cmd("device_del", #"{"id": "x"}"#), T.err("DeviceNotFound")])
            ).of(id).isEmpty)
        // No greeting: the capture starts mid-session.
        #expect(
            try StreamLint.run(text: T.lines([T.cmd("query-status"), T.cmd("qmp_capabilities"), T.ok()])).of(id).isEmpty
        )
    }

    @Test func pipelinedAfterCapabilitiesDependsOnItsReply() throws {
        let good = T.lines([
            T.greeting, T.cmd("qmp_capabilities", id: "1"), T.cmd("query-status", id: "2"),
            T.ok("1"), T.ok("2"),
        ])
        #expect(try StreamLint.run(text: good).of(id).isEmpty)
        let bad = T.lines([
            T.greeting, T.cmd("qmp_capabilities", #"{"enable": ["bogus"]}"#, id: "1"),
            T.cmd("query-status", id: "2"), T.err("GenericError", id: "1"), T.err("CommandNotFound", id: "2"),
        ])
        #expect(T.lineNumbers(try StreamLint.run(text: bad), id) == [3])
    }

    /// libvirt sends qmp_capabilities before it logs the greeting, which has no `mon=`: its monitor
    /// streams never show a greeting and are not judged.
    @Test func libvirtMonitorsAreNotJudged() throws {
        let mon = "0x7f01"
        let text = T.lines([
            T.send(mon, T.cmd("qmp_capabilities", id: "libvirt-1")), T.line(T.greeting),
            T.line(T.ok("libvirt-1")), T.reply(mon, T.ok("libvirt-1")),
            T.send(mon, T.cmd("query-status", id: "libvirt-2")), T.reply(mon, T.ok("libvirt-2")),
        ])
        // (The bare `{"return": {}}` is no StatusInfo: invalid-return is not what this is about.)
        #expect(try StreamLint.run(text: text).findings.filter {
            ($0["severity"] as? String) != "note" && ($0["rule"] as? String) != "invalid-return"
        }.isEmpty)
    }
}

@Suite struct ReplyWithoutCommandTests {
    let id = "reply-without-command"

    @Test func duplicatedReplyIsFlaggedAtTheReply() throws {
        let text = T.lines([
            T.cmd("qmp_capabilities", id: "1"), T.ok("1"), T.cmd("stop", id: "2"), T.ok("2"), T.ok("2"),
        ])
        let r = try StreamLint.run(text: text)
        #expect(T.lineNumbers(r, id) == [5])
        #expect((r.of(id).first?["message"] as? String ?? "").contains("\"2\""))
    }

    @Test func replyWithAnIdNoWaitingCommandHas() throws {
        let text = T.lines([
            T.cmd("qmp_capabilities", id: "1"), T.ok("1"), T.cmd("stop", id: "2"), T.ok("7"), T.ok("2"),
        ])
        #expect(T.lineNumbers(try StreamLint.run(text: text), id) == [4])
    }

    @Test func replyOnlyCapturesAndMidSessionStartsAreNotJudged() throws {
        // QEMU's output alone: greeting and replies.
        #expect(
            try StreamLint.run(text: T.lines([T.greeting, T.ok(), T.ok(), T.event(1, "STOP"), T.ok()])).of(id).isEmpty)
        // Starts mid-session: the first replies answer commands before the capture.
        #expect(try StreamLint.run(text: T.lines([T.ok("9"), T.cmd("stop", id: "10"), T.ok("10")])).of(id).isEmpty)
        // Before the session showed a command.
        #expect(try StreamLint.run(text: T.lines([T.greeting, T.ok(), T.cmd("stop"), T.ok()])).of(id).isEmpty)
    }

    @Test func idlessErrorAnswersUnreadableInput() throws {
        let text = T.lines([
            T.cmd("qmp_capabilities", id: "1"), T.ok("1"), T.cmd("stop", id: "2"),
            T.err("GenericError"), T.ok("2"),
        ])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }

    @Test func eachSessionAndEachMonitorOnItsOwn() throws {
        let a = "0x7f0a"
        let b = "0x7f0b"
        let text = T.lines([
            T.send(a, T.cmd("qmp_capabilities", id: "libvirt-1")), T.reply(a, T.ok("libvirt-1")),
            T.send(b, T.cmd("qmp_capabilities", id: "libvirt-1")), T.reply(b, T.ok("libvirt-1")),
            T.send(a, T.cmd("query-status", id: "libvirt-2")), T.reply(b, T.ok("libvirt-2")),
            T.reply(a, T.ok("libvirt-2")),
        ])
        let r = try StreamLint.run(text: text)
        #expect(T.lineNumbers(r, id) == [6])
        #expect(r.of(id).first?["stream"] as? String == "mon=\(b)")
    }
}

@Suite struct UnansweredCommandTests {
    let id = "unanswered-command"

    @Test func lostReplyInARealTranscript() throws {
        // compact-ids.log: line 11 answers c5 (query-kvm, line 10).
        let path = TestPaths.fixture("real/qemu-7.2/compact-ids.log")
        let lines = try T.fileLines(path)
        try #require(lines[9].contains(#""id": "c5""#) && lines[10].contains(#""id": "c5""#))
        let r = try StreamLint.run(text: try T.without(path, [11]))
        #expect(T.lineNumbers(r, id) == [10])
        #expect(r.of("reply-without-command").isEmpty)
        #expect((r.of(id).first?["message"] as? String ?? "").contains("query-kvm"))
    }

    @Test func lostReplyInARealLibvirtLog() throws {
        // libvirtd-debug.log: the reply to libvirt-2 (its Line echo and RECV_REPLY) removed.
        let path = TestPaths.fixture("real/libvirt-9.0/libvirtd-debug.log")
        let lines = try T.fileLines(path)
        func first(_ what: String) -> Int? {
            lines.firstIndex { $0.contains(what) && $0.contains("\"id\": \"libvirt-2\"}") }
        }
        let echo = try #require(first("Line [{\"return\""))
        let reply = try #require(first("QEMU_MONITOR_RECV_REPLY"))
        let drop: Set<Int> = [echo + 1, reply + 1]
        let send = try #require(
            lines.firstIndex { $0.contains("QEMU_MONITOR_SEND_MSG") && $0.contains("\"libvirt-2\"") })
        let r = try StreamLint.run(text: try T.without(path, drop))
        #expect(T.lineNumbers(r, id) == [send + 1])
        #expect(r.of(id).first?["stream"] as? String == "mon=0x7fb650005740")
    }

    @Test func lastCommandsWithoutReplyAreNotFlagged() throws {
        let text = T.lines([
            T.cmd("qmp_capabilities", id: "1"), T.ok("1"), T.cmd("stop", id: "2"), T.ok("2"),
            T.cmd("quit", id: "3"), T.cmd("query-status", id: "4"),
        ])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }

    @Test func outOfBandRepliesOvertake() throws {
        let text = T.lines([
            T.cmd("migrate-recover", #"{"uri": "tcp:localhost:4446"}"#, id: "2"),
            #"{"exec-oob": "migrate-pause", "id": "3"}"#, T.ok("3"), T.ok("2"),
        ])
        #expect(try StreamLint.run(text: text).findings.filter { ($0["rule"] as? String) == id }.isEmpty)
        // Without the in-band reply at all: still the end of the stream, not flagged.
        let open = T.lines([
            T.cmd("migrate-recover", #"{"uri": "tcp:localhost:4446"}"#, id: "2"),
            #"{"exec-oob": "migrate-pause", "id": "3"}"#, T.ok("3"),
        ])
        #expect(try StreamLint.run(text: open).of(id).isEmpty)
    }

    @Test func withoutIdsNothingCanBeShownLost() throws {
        let text = T.lines([T.cmd("stop"), T.cmd("cont"), T.ok(), T.cmd("query-status"), T.ok()])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }

    @Test func commandDroppedExplainsTheMissingReply() throws {
        let text = T.lines([
            T.cmd("stop", id: "2"), T.event(1, "COMMAND_DROPPED", #"{"id": "2", "reason": "queue-full"}"#),
            T.cmd("cont", id: "3"), T.ok("3"),
        ])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }

    @Test func aNewSessionForgetsTheOldCommands() throws {
        let text = T.lines([
            T.greeting, T.cmd("qmp_capabilities", id: "1"), T.ok("1"), T.cmd("stop", id: "2"),
            T.greeting, T.cmd("qmp_capabilities", id: "1"), T.ok("1"), T.cmd("cont", id: "3"), T.ok("3"),
        ])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }
}

@Suite struct DuplicateCommandIdTests {
    let id = "duplicate-command-id"

    @Test func reuseWhileWaitingOnlyAndPerStream() throws {
        let text = T.lines([
            T.cmd("stop", id: "x"), T.cmd("cont", id: "x"), T.ok("x"), T.ok("x"),
            T.cmd("query-status", id: "x"), T.ok("x"),
        ])
        let r = try StreamLint.run(text: text)
        #expect(T.lineNumbers(r, id) == [2])
        #expect((r.of(id).first?["message"] as? String ?? "").contains("line 1"))
        // Numbers are ids too; other monitors have their own.
        let numbers = T.lines([#"{"execute": "stop", "id": 7}"#, #"{"execute": "cont", "id": 7}"#])
        #expect(T.lineNumbers(try StreamLint.run(text: numbers), id) == [2])
        let monitors = T.lines([
            T.send("0xa", T.cmd("stop", id: "libvirt-5")), T.send("0xb", T.cmd("stop", id: "libvirt-5")),
        ])
        #expect(try StreamLint.run(text: monitors).of(id).isEmpty)
    }
}

@Suite struct JobVerbStateTests {
    let id = "job-verb-state"

    @Test func acceptedCompleteWithoutReadyInARealTranscript() throws {
        // compact-ids.log: line 115 is mirror0's "ready", line 122 its job-complete.
        let path = TestPaths.fixture("real/qemu-7.2/compact-ids.log")
        let lines = try T.fileLines(path)
        try #require(lines[114].contains(#""status": "ready", "id": "mirror0""#) && lines[121].contains("job-complete"))
        let r = try StreamLint.run(text: try T.without(path, [115]))
        #expect(T.lineNumbers(r, id) == [121])
        let message = r.of(id).first?["message"] as? String ?? ""
        #expect(message.contains("\"running\"") && message.contains("\"ready\", \"standby\""), "\(message)")
        // The original is clean.
        #expect(try StreamLint.run([path]).of(id).isEmpty)
    }

    @Test func blockJobCommandsNameTheJobByDeviceOrId() throws {
        let text = T.lines([
            T.job(1, "j", "running"), T.cmd("block-job-complete", #"{"device": "j"}"#), T.ok(),
            T.job(2, "j", "concluded"), T.cmd("block-job-finalize", #"{"id": "j"}"#), T.ok(),
            T.cmd("block-job-pause", #"{"device": "j"}"#), T.ok(),
        ])
        #expect(T.lineNumbers(try StreamLint.run(text: text), id) == [2, 5, 7])
    }

    @Test func allowedRefusedUnknownAndUnansweredAreNotFlagged() throws {
        let text = T.lines([
            T.job(1, "m", "standby"), T.cmd("job-complete", #"{"id": "m"}"#), T.ok(),  // standby: since 6.0
            T.job(2, "b", "running"), T.cmd("job-complete", #"{"id": "b"}"#), T.err("GenericError"),  // refused
            T.cmd("job-cancel", #"{"id": "never-seen"}"#), T.ok(),  // unknown job
            T.job(3, "c", "concluded"), T.cmd("job-cancel", #"{"id": "c"}"#),  // no reply
            T.job(4, "p", "pending"), T.cmd("job-finalize", #"{"id": "p"}"#), T.job(5, "p", "concluded"), T.ok(),
        ])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }

    @Test func repliesAreMatchedById() throws {
        let text = T.lines([
            T.job(1, "a", "ready"), T.job(2, "b", "running"),
            T.cmd("job-complete", #"{"id": "a"}"#, id: "1"), T.cmd("job-complete", #"{"id": "b"}"#, id: "2"),
            T.err("GenericError", id: "2"), T.ok("1"),
        ])
        #expect(try StreamLint.run(text: text).of(id).isEmpty)
    }

    @Test func verbTableFacts() {
        let t = QEMUBehaviour.jobVerbStatuses
        #expect(Set(t.keys) == Set(QEMUBehaviour.JobVerb.allCases))
        #expect(t[.complete] == ["ready", "standby"])
        #expect(t[.dismiss] == ["concluded"] && t[.finalize] == ["pending"])
        #expect(t[.cancel]!.isSuperset(of: t[.pause]!) && !t[.cancel]!.contains("aborting"))
        // Every status a verb allows is one of the state machine's.
        for s in t.values { #expect(s.isSubset(of: Set(QEMUBehaviour.transitions.keys))) }
        for (name, v) in QEMUBehaviour.jobCommands {
            #expect(
                v.member
                    == (name.hasPrefix("job-")
                        || ["block-job-dismiss", "block-job-finalize", "block-job-change"].contains(name)
                        ? "id" : "device"),
                "\(name)")
        }
    }
}

@Suite struct DeviceDelTests {
    @Test func whilePausedNotesWhenTheGuestHadToAct() throws {
        let id = "device-del-while-paused"
        let resumed = T.lines([
            T.event(1, "STOP"), T.cmd("device_del", #"{"id": "net1"}"#), T.ok(), T.event(2, "RESUME"),
            T.event(3, "DEVICE_DELETED", #"{"device": "net1", "path": "/machine/peripheral/net1"}"#),
        ])
        let r = try StreamLint.run(text: resumed)
        #expect(T.lineNumbers(r, id) == [2])
        #expect(r.of(id).first?["severity"] as? String == "note")
        let stayed = T.lines([
            T.event(1, "STOP"), T.cmd("device_del", #"{"id": "net1"}"#), T.ok(),
            T.event(2, "RESET", #"{"guest": false, "reason": "host-qmp-system-reset"}"#),
        ])
        let s = try StreamLint.run(text: stayed)
        #expect(T.lineNumbers(s, id) == [2])
        #expect((s.of(id).first?["message"] as? String ?? "").contains("stayed paused"))
        // Refused, or unplugged at once (USB), or not paused: nothing.
        let quiet = T.lines([
            T.event(1, "STOP"), T.cmd("device_del", #"{"id": "x"}"#), T.err("DeviceNotFound"),
            T.cmd("device_del", #"{"id": "usb1"}"#), T.ok(),
            T.event(2, "DEVICE_DELETED", #"{"device": "usb1", "path": "/machine/peripheral/usb1"}"#),
            T.event(3, "RESUME"), T.cmd("device_del", #"{"id": "net2"}"#), T.ok(),
        ])
        #expect(try StreamLint.run(text: quiet).of(id).isEmpty)
    }

    @Test func repeatedBeforeTheOutcome() throws {
        let id = "device-del-repeated"
        let text = T.lines([
            T.cmd("device_del", #"{"id": "net1"}"#), T.ok(), T.cmd("device_del", #"{"id": "net1"}"#),
            T.err("GenericError"),
        ])
        let r = try StreamLint.run(text: text)
        #expect(T.lineNumbers(r, id) == [3])
        #expect((r.of(id).first?["message"] as? String ?? "").contains("line 1"))
        // Pipelined: judged when the first reply comes.
        let piped = T.lines([
            T.cmd("device_del", #"{"id": "n"}"#, id: "1"), T.cmd("device_del", #"{"id": "n"}"#, id: "2"),
            T.ok("1"), T.ok("2"),
        ])
        #expect(T.lineNumbers(try StreamLint.run(text: piped), id) == [2])
        let refusedFirst = T.lines([
            T.cmd("device_del", #"{"id": "n"}"#, id: "1"), T.cmd("device_del", #"{"id": "n"}"#, id: "2"),
            T.err("GenericError", id: "1"), T.ok("2"),
        ])
        #expect(try StreamLint.run(text: refusedFirst).of(id).isEmpty)
        // A device_add that QEMU accepts with the id proves the old device gone.
        let readded = T.lines([
            T.cmd("device_del", #"{"id": "n"}"#), T.ok(), T.cmd("device_add", #"{"driver": "usb-tablet", "id": "n"}"#),
            T.ok(), T.cmd("device_del", #"{"id": "n"}"#), T.ok(),
        ])
        #expect(try StreamLint.run(text: readded).of(id).isEmpty)
        // Confirmed by its QOM path.
        let byPath = T.lines([
            T.cmd("device_del", #"{"id": "/machine/peripheral/n"}"#), T.ok(),
            T.event(1, "DEVICE_DELETED", #"{"path": "/machine/peripheral/n"}"#),
            T.cmd("device_del", #"{"id": "/machine/peripheral/n"}"#), T.err("DeviceNotFound"),
        ])
        #expect(try StreamLint.run(text: byPath).of(id).isEmpty)
    }
}

/// The stream rules about commands stay quiet on the real transcripts (QEMU 7.2, libvirt 9.0).
@Suite struct CommandRulesOnRealTranscriptsTests {
    static let ids = [
        "command-before-capabilities", "reply-without-command", "unanswered-command",
        "duplicate-command-id", "job-verb-state", "device-del-while-paused", "device-del-repeated",
    ]

    @Test func severitiesAndCatalogue() {
        let expected: [String: Severity] = [
            "command-before-capabilities": .warning, "reply-without-command": .warning,
            "unanswered-command": .warning, "duplicate-command-id": .warning, "job-verb-state": .warning,
            "device-del-while-paused": .note, "device-del-repeated": .warning,
        ]
        for id in Self.ids {
            #expect(RuleCatalog.rule(id: id)?.severity == expected[id], "\(id)")
            #expect(RuleRegistry.streamRules.contains { $0.description.id == id }, "\(id) is a stream rule")
        }
    }

    @Test func realFixturesAreClean() throws {
        let r = try StreamLint.run([TestPaths.fixture("real")])
        for id in Self.ids {
            #expect(r.of(id).isEmpty, "\(id): \(r.of(id).map { "\($0["file"] ?? ""):\($0["line"] ?? "")" })")
        }
    }

    /// Commands, replies, sessions, monitors, jobs and unplugs across many split points: the
    /// same report however the file is cut.
    @Test func commandLogGivesTheSameReportHoweverSplit() throws {
        var rng = SplitMix(seed: 15)
        var out = ""
        var ids = [0, 0, 0]
        for i in 0..<3000 {
            let m = Int(rng.next() % 3)
            let mon = "0x7f0\(m)"
            switch rng.next() % 9 {
            case 0:
                ids[m] = 1
                out +=
                    T.send(mon, T.cmd("qmp_capabilities", id: "libvirt-1")) + "\n" + T.reply(mon, T.ok("libvirt-1"))
                    + "\n"
            case 1, 2:
                if rng.next() % 8 != 0 { ids[m] += 1 }
                out += T.send(mon, T.cmd("query-status", id: "libvirt-\(ids[m])")) + "\n"
                if rng.next() % 5 != 0 { out += T.reply(mon, T.ok("libvirt-\(ids[m])")) + "\n" }
            case 3:
                ids[m] += 1
                out +=
                    T.send(mon, T.cmd("device_del", #"{"id": "dev\#(rng.next() % 3)"}"#, id: "libvirt-\(ids[m])"))
                    + "\n"
                out +=
                    T.reply(
                        mon,
                        rng.next() % 4 == 0 ? T.err("GenericError", id: "libvirt-\(ids[m])") : T.ok("libvirt-\(ids[m])")
                    ) + "\n"
            case 4:
                out += T.reply(mon, T.ok("libvirt-\(rng.next() % 40)")) + "\n"
            case 5:
                let s = ["created", "running", "ready", "pending", "concluded"][Int(rng.next() % 5)]
                out +=
                    "2025-06-02 08:14:00.000+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=\(mon) event="
                    + T.job(i, "job\(rng.next() % 2)", s) + "\n"
            case 6:
                ids[m] += 1
                let verb = ["job-complete", "job-dismiss", "job-finalize", "job-cancel"][Int(rng.next() % 4)]
                out += T.send(mon, T.cmd(verb, #"{"id": "job\#(rng.next() % 2)"}"#, id: "libvirt-\(ids[m])")) + "\n"
                out += T.reply(mon, T.ok("libvirt-\(ids[m])")) + "\n"
            case 7:
                let e = rng.next() % 2 == 0 ? "STOP" : "RESUME"
                out +=
                    "2025-06-02 08:14:00.000+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=\(mon) event="
                    + T.event(i, e) + "\n"
            default:
                out += "2025-06-02 08:14:00.000+0000: 1: debug : virObjectRef:400 : OBJECT_REF: obj=0x55 noise \(i)\n"
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-cmd-split-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("commands.log").path
        try Data(out.utf8).write(to: URL(fileURLWithPath: path))
        let one = try StreamLint.run([path])
        for id in Self.ids where id != "command-before-capabilities" {
            #expect(!one.of(id).isEmpty, "the log exercises \(id)")
        }
        try StreamSplitTests.compare(path)
    }
}

/// slow-command reads record times the reducer does not pass on yet: driven here by hand.
@Suite struct SlowCommandTests {
    /// Runs the rule over messages made by hand; each message's text is its own line.
    static func run(_ messages: [(kind: MessageKind, name: String, id: String?, time: Int64?)]) -> [String] {
        let text = Array(messages.map { "\($0.kind) \($0.name)" }.joined(separator: "\n").utf8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: text.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: text)
        let source = SiteSource()
        var rule = SlowCommandRule()
        var out = StreamFindings()
        var offset = 0
        for (i, m) in messages.enumerated() {
            let length = "\(m.kind) \(m.name)".utf8.count
            source.reset(
                buffer: UnsafeRawBufferPointer(buffer), start: offset, end: offset + length, line: i + 1,
                event: nil, invalid: false)
            offset += length + 1
            let message = StreamMessage(
                kind: m.kind, name: m.name, stream: .transcript, time: nil, members: [:],
                id: m.id, recordTime: m.time.map { EventTime(seconds: $0, microseconds: 0) },
                source: source)
            rule.observe(message, &out)
        }
        rule.end(&out)
        return out.items.map { "\($0.site.line): \($0.message)" }
    }

    @Test func slowRepliesAndHangsAreNoted() {
        let found = Self.run([
            (.command, "query-status", "\"1\"", 100), (.reply, "", "\"1\"", 101),
            (.command, "query-block", "\"2\"", 102), (.reply, "", "\"2\"", 140),
            (.command, "dump-guest-memory", "\"3\"", 150), (.command, "query-status", "\"4\"", 158),
            (.event, "STOP", nil, 200),
        ])
        #expect(found.count == 3, "\(found)")
        #expect(found.first?.hasPrefix("3: query-block (id \"2\") took 38.000000 s") == true, "\(found)")
        #expect(found.contains { $0.hasPrefix("5: dump-guest-memory") && $0.contains("50.000000 s") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("6: query-status") && $0.contains("42.000000 s") }, "\(found)")
    }

    @Test func logsWithoutRecordTimesAreNotJudged() {
        #expect(
            Self.run([(.command, "query-block", nil, nil), (.event, "STOP", nil, nil), (.reply, "", nil, nil)]).isEmpty)
        #expect(SlowCommandRule.description.severity == .note)
        #expect(RuleRegistry.all.contains { $0.description.id == "slow-command" })
    }
}

@Suite struct RateLimitFactsTests {
    @Test func throttleTableIsConsistent() {
        let names = QEMUBehaviour.throttles.map(\.event)
        #expect(Set(names).count == names.count)
        #expect(Set(QEMUBehaviour.rateLimited.keys) == Set(names).subtracting(["BLOCK_IO_ERROR"]))
        #expect(QEMUBehaviour.rateLimited["VSERPORT_CHANGE"] == .some("id"))
        #expect(QEMUBehaviour.rateLimited["QUORUM_REPORT_BAD"] == .some("node-name"))
        #expect(QEMUBehaviour.rateLimited["MEMORY_DEVICE_SIZE_CHANGE"] == .some("qom-path"))
        #expect(QEMUBehaviour.rateLimited["RTC_CHANGE"] == .some(nil))
        #expect(QEMUBehaviour.rateKey(of: "BLOCK_IO_ERROR", members: [:]) == nil)
        #expect(QEMUBehaviour.rateKey(of: "BLOCK_IO_ERROR", members: ["qom-path": "/x"]) == .some("qom-path"))
        for t in QEMUBehaviour.throttles where t.keyedSince != nil { #expect(t.key != nil, "\(t.event)") }
    }

    /// One limiter per event name (and key): other throttled events in between do not count.
    @Test func limitersAreSeparatePerEvent() throws {
        let text = T.lines([
            T.event(100, "WATCHDOG", #"{"action": "reset"}"#),
            T.event(200, "RTC_CHANGE", #"{"offset": 1, "qom-path": "/machine/unattached/device[8]"}"#),
            T.event(300, "RTC_CHANGE", #"{"offset": 1, "qom-path": "/machine/unattached/device[8]"}"#),
        ])
        #expect(try StreamLint.run(text: text).of("rate-limit").isEmpty)
    }
}

/// A reply whose `Line [...]` echo ends one chunk and whose QEMU_MONITOR_RECV_REPLY starts the
/// next must still answer its command in its monitor's stream.
@Suite struct ReplyAcrossChunksTests {
    /// Fails on the reducer of 93923fc: `flushHeld` counts the held `Line [...]` copy at the end of
    /// each chunk (in the input's own stream), and the RECV_REPLY that starts the next chunk is
    /// then taken for its echo, so the monitor's stream never sees the reply and the report
    /// depends on where the input was cut. Enable once the reducer keeps held lines across chunks.
    @Test
    func replyEchoSplitFromItsRecord() throws {
        let mon = "0x7f0c"
        var text = T.lines([
            T.send(mon, T.cmd("qmp_capabilities", id: "libvirt-1")), T.reply(mon, T.ok("libvirt-1")),
            T.send(mon, T.cmd("query-status", id: "libvirt-2")), T.line(T.ok("libvirt-2")),
        ])
        let split = text.utf8.count
        text += T.lines([
            T.reply(mon, T.ok("libvirt-2")), T.send(mon, T.cmd("stop", id: "libvirt-3")),
            T.line(T.ok("libvirt-3")), T.reply(mon, T.ok("libvirt-3")),
        ])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-chunk-reply-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.log").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let whole = try StreamLint.run([path])
        let cut = try StreamLint.run([path], split: split)
        #expect(whole.of("unanswered-command").isEmpty)
        #expect(cut.of("unanswered-command").isEmpty, "\(cut.of("unanswered-command"))")
        #expect(whole.bytes == cut.bytes)
    }

    /// The same for an event: libvirt 9.0 echoes every RECV_EVENT in a `Line [...]` record too,
    /// and a STOP diverted to the input's own stream leaves its monitor with RESUME after RESUME.
    @Test
    func eventEchoSplitFromItsRecord() throws {
        let mon = "0x7f0d"
        func recv(_ e: String) -> String {
            "2025-06-02 08:14:00.004+0000: 2: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=\(mon) event=\(e)"
        }
        let resume = T.event(1, "RESUME")
        let stop = T.event(2, "STOP")
        let again = T.event(3, "RESUME")
        var text = T.lines([T.line(resume), recv(resume), T.line(stop)])
        let split = text.utf8.count
        text += T.lines([recv(stop), T.line(again), recv(again)])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-chunk-event-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.log").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try StreamLint.run([path]).of("run-state").isEmpty)
        #expect(try StreamLint.run([path], split: split).of("run-state").isEmpty)
    }
}

@Suite struct RecordTimeTests {
    static func read(_ s: String) -> EventTime? {
        Array(s.utf8).withUnsafeBytes { RecordTime.read($0, lineStart: 0) }
    }

    @Test func libvirtRecordTimesAreUTCSeconds() {
        // date -u -d "2025-06-02 08:14:00" +%s = 1748852040; 2024-02-29 23:59:59 UTC = 1709251199
        #expect(Self.read("2025-06-02 08:14:00.002+0000: 1: info : x") == EventTime(seconds: 1_748_852_040, microseconds: 2000))
        #expect(Self.read("2024-02-29 23:59:59.999+0100: 1") == EventTime(seconds: 1_709_251_199 - 3600, microseconds: 999_000))
        #expect(Self.read("1970-01-01 00:00:00.000+0000: ") == EventTime(seconds: 0, microseconds: 0))
        #expect(Self.read("2025-13-02 08:14:00.002+0000: 1") == nil)
        #expect(Self.read("event STOP at 1.000000 for domain x") == nil)
    }

    /// A libvirt log whose reply came 31 s after its command: slow-command, through the whole pipeline.
    @Test func aSlowReplyInALibvirtLogIsNoted() throws {
        let text = [
            #"2025-06-02 08:14:00.002+0000: 1: info : qemuMonitorSend:981 : QEMU_MONITOR_SEND_MSG: mon=0x55 msg={"execute":"query-block","id":"libvirt-9"}"#,
            #"2025-06-02 08:14:31.205+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=0x55 reply={"return": [], "id": "libvirt-9"}"#,
        ].joined(separator: "\n") + "\n"
        let found = Linter(jobs: 1, selector: SchemaSelectingProvider(fixed: nil)).lint(bytes: Array(text.utf8)).findings
        let slow = found.filter { $0.rule == "slow-command" }
        #expect(slow.count == 1 && slow.first?.line == 1, "\(found)")
        #expect(slow.first?.message.contains("31.203000 s") == true, "\(slow)")
    }
}
