import Foundation
import Testing

/// Real producers as test data: transcripts of a live QEMU 7.2 (made fresh by
/// `Tests/RealQEMU/qmp_session.py` when `qemu-system-x86_64` is installed) and the committed ones
/// of `Fixtures/real` (QEMU 7.2, qmp-shell, libvirt 9.0). Every event, command and reply is counted
/// by an independent counter (`Tests/RealQEMU/qmp_count.py`, Python's json module) and qmp-lint
/// must agree: every event found, nothing malformed, no error or warning (only a command that
/// QEMU itself rejected may be the subject of one) - with the version read from the transcript,
/// with `--qemu-version 7.2`, and with every statement of the version removed (inference).
enum RealQEMU {
    static let tools = CLI.root.appendingPathComponent("Tests/RealQEMU")
    static let fixtures = CLI.root.appendingPathComponent("Fixtures/real")

    static func onPath(_ name: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for dir in ["/usr/bin"] + dirs.map(String.init) {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static let python = onPath("python3")
    static let qemu = onPath("qemu-system-x86_64")
    static var toolsAvailable: Bool { CLI.available && python != nil }
    static var liveAvailable: Bool { toolsAvailable && qemu != nil }

    /// The committed transcripts, relative to Fixtures/real (each has a `.counts.json` beside it).
    static let fixtureFiles: [String] = {
        let fm = FileManager.default
        var files: [String] = []
        for folder in (try? fm.contentsOfDirectory(atPath: fixtures.path)) ?? [] {
            let dir = fixtures.appendingPathComponent(folder)
            for name in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasSuffix(".log") {
                files.append(folder + "/" + name)
            }
        }
        return files.sorted()
    }()

    struct Output { var status: Int32; var stdout: Data; var stderr: String }

    /// Runs a program with a deadline: past it the program is killed (a hung QEMU cannot hang the
    /// test run).
    static func run(_ executable: String, _ args: [String], timeout: TimeInterval = 120) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = CLI.root
        let out = Pipe()
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-real-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let err = try FileHandle(forWritingTo: errFile)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let pid = p.processIdentifier
        let timer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        try err.close()
        let stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return Output(status: p.terminationStatus, stdout: data, stderr: stderr)
    }

    /// What the independent counter says of a file.
    struct Counts {
        var events: Int
        var commands: Int
        var replies: Int
        var errors: Int
        var greetings: Int
        var eventsByName: [String: Int]
        var commandsByName: [String: Int]
        /// Line ranges (command through reply) of the commands QEMU answered with an error.
        var rejected: [ClosedRange<Int>]

        init(json: Data) throws {
            let o = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            events = try #require(o["events"] as? Int)
            commands = try #require(o["commands"] as? Int)
            replies = try #require(o["replies"] as? Int)
            errors = try #require(o["errors"] as? Int)
            greetings = try #require(o["greetings"] as? Int)
            eventsByName = try #require(o["eventsByName"] as? [String: Int])
            commandsByName = try #require(o["commandsByName"] as? [String: Int])
            rejected = try #require(o["rejectedCommands"] as? [[String: Any]]).map { r in
                let from = r["line"] as? Int ?? 0
                return from...max(from, r["replyLine"] as? Int ?? from)
            }
        }
    }

    static func count(_ path: String) throws -> Counts {
        let r = try run(try #require(python), [tools.appendingPathComponent("qmp_count.py").path, path])
        #expect(r.status == 0, "qmp_count.py \(path): \(r.stderr)")
        return try Counts(json: r.stdout)
    }

    /// Writes `path` without its greeting(s), query-version and libvirt's version records; false
    /// when the file stated no version.
    static func stripVersion(_ path: String, to out: String) throws -> Bool {
        let r = try run(try #require(python), [tools.appendingPathComponent("strip_version.py").path, path, out])
        #expect(r.status == 0, "strip_version.py \(path): \(r.stderr)")
        let removed = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Int])
        return removed.values.contains { $0 > 0 }
    }

    enum Mode: String, CaseIterable, Sendable {
        case detected = "version from the transcript"
        case pinned = "--qemu-version 7.2"
        case inferred = "every statement of the version removed"
    }

    /// qmp-lint's JSON report of one file checked against the counter's counts.
    static func check(_ path: String, label: String, mode: Mode, counts: Counts) throws {
        let args = ["--format", "json"] + (mode == .pinned ? ["--qemu-version", "7.2"] : []) + [path]
        let r = try CLI.run(args)
        #expect(r.status == 0 || r.status == 1, "\(label): qmp-lint exited \(r.status): \(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(label): \(r.stderr)")
        let summary = try #require(report["summary"] as? [String: Any])
        let findings = report["findings"] as? [[String: Any]] ?? []
        let schemaReason = ((report["files"] as? [[String: Any]])?.first?["schema"] as? [String: Any])?["reason"] as? String ?? ""
        let context = "\(label) (\(mode.rawValue); schema: \(schemaReason))"

        // 1. Every event QEMU emitted is found, and nothing is malformed.
        #expect(summary["events"] as? Int == counts.events, "\(context): events")
        #expect(summary["malformed"] as? Int == 0, "\(context): malformed")

        // 2. No error or warning, except about a command QEMU rejected (the capture's own client
        //    errors: an unknown command, an unexpected argument).
        let unexplained = findings.filter { f in
            let severity = f["severity"] as? String ?? ""
            guard severity == "error" || severity == "warning" else { return false }
            let line = f["line"] as? Int ?? 0
            return !counts.rejected.contains { $0.contains(line) }
        }
        let listing = unexplained.prefix(10).map { f in
            "\(f["severity"] ?? "?") \(f["rule"] ?? "?") line \(f["line"] ?? "?"): \(f["message"] ?? "")"
        }.joined(separator: "\n")
        #expect(unexplained.count == 0, "\(context): false findings\n\(listing)")

        // 3. Commands, replies and greetings counted exactly (issue 15, item 7).
        let byName = (summary["commandsByName"] as? [String: Any] ?? [:]).compactMapValues { entry in
            (entry as? [String: Any])?["count"] as? Int
        }
        let reported = CommandTally(
            commands: summary["commands"] as? Int, replies: summary["replies"] as? Int,
            errorReplies: summary["errorReplies"] as? Int, greetings: summary["greetings"] as? Int, byName: byName)
        let expected = CommandTally(
            commands: counts.commands, replies: counts.replies, errorReplies: counts.errors,
            greetings: counts.greetings, byName: counts.commandsByName)
        let names = Set(reported.byName.keys).union(expected.byName.keys).sorted()
            .filter { reported.byName[$0] != expected.byName[$0] }.prefix(8)
            .map { "\($0): \(reported.byName[$0].map(String.init) ?? "none") not \(expected.byName[$0] ?? 0)" }
        #expect(reported == expected, "\(context): commands and replies; \(names.joined(separator: ", "))")
        // Each file's counts add up to the summary's (one file here).
        let files = report["files"] as? [[String: Any]] ?? []
        #expect(files.count == 1 && files[0]["commands"] as? Int == reported.commands
                    && files[0]["replies"] as? Int == reported.replies, "\(context): per-file counts")
    }

    struct CommandTally: Equatable, CustomTestStringConvertible {
        var commands: Int?
        var replies: Int?
        var errorReplies: Int?
        var greetings: Int?
        var byName: [String: Int]

        var testDescription: String {
            let n = { (v: Int?) in v.map(String.init) ?? "none" }
            return "commands \(n(commands)), replies \(n(replies)), error replies \(n(errorReplies)), "
                + "greetings \(n(greetings)), \(byName.count) command names"
        }
    }

    /// All three ways of reading one transcript.
    static func checkEveryWay(_ path: String, label: String, counts: Counts) throws {
        try check(path, label: label, mode: .detected, counts: counts)
        try check(path, label: label, mode: .pinned, counts: counts)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-real-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stripped = dir.appendingPathComponent((path as NSString).lastPathComponent).path
        if try stripVersion(path, to: stripped) {
            let strippedCounts = try count(stripped)
            #expect(strippedCounts.events == counts.events, "\(label): stripping the version removed an event")
            #expect(strippedCounts.greetings == 0)
            try check(stripped, label: label, mode: .inferred, counts: strippedCounts)
        }
    }
}

/// The committed real transcripts (no QEMU needed).
@Suite(.enabled(if: RealQEMU.toolsAvailable, "needs the built qmp-lint (swift build) and python3 for the independent counter"))
struct RealTranscriptFixtureTests {
    @Test func everyFolderHasTranscripts() {
        let folders = Set(RealQEMU.fixtureFiles.map { $0.split(separator: "/")[0] })
        #expect(folders.isSuperset(of: ["qemu-7.2", "libvirt-9.0", "qmp-shell"]), "\(folders)")
    }

    /// The stored counts are what the counter says today (neither file nor counter drifted), and
    /// each transcript is small.
    @Test(arguments: RealQEMU.fixtureFiles)
    func storedCountsAreTheCounters(_ rel: String) throws {
        let path = RealQEMU.fixtures.appendingPathComponent(rel).path
        let stored = try Data(contentsOf: URL(fileURLWithPath: path + ".counts.json"))
        let r = try RealQEMU.run(try #require(RealQEMU.python), [RealQEMU.tools.appendingPathComponent("qmp_count.py").path, path])
        let fresh = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? NSDictionary)
        let kept = try #require(try JSONSerialization.jsonObject(with: stored) as? NSDictionary)
        #expect(fresh == kept, "\(rel): regenerate with Tests/RealQEMU/qmp_count.py (see Fixtures/real/README.md)")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size < 512 * 1024, "\(rel) is \(size) bytes")
    }

    @Test(arguments: RealQEMU.fixtureFiles)
    func everyMessageFoundAndNoFalseFinding(_ rel: String) throws {
        let path = RealQEMU.fixtures.appendingPathComponent(rel).path
        let counts = try RealQEMU.Counts(json: try Data(contentsOf: URL(fileURLWithPath: path + ".counts.json")))
        try RealQEMU.checkEveryWay(path, label: rel, counts: counts)
    }

    /// A real event and a real command, each broken once: found by their rule at their line.
    @Test func mutationsOfRealMessagesAreFoundAtTheirLine() throws {
        // Split at LF bytes: QEMU's lines end in CR LF, which a String holds as one Character.
        let source = try Data(contentsOf: RealQEMU.fixtures.appendingPathComponent("qemu-7.2/compact-ids.log"))
        var lines = source.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let eventLine = try #require(lines.firstIndex { $0.contains(#""event": "JOB_STATUS_CHANGE""#) && $0.contains(#""status": "created""#) })
        lines[eventLine] = lines[eventLine].replacingOccurrences(of: #""status": "created""#, with: #""status": "creating""#)
        let commandLine = try #require(lines.firstIndex { $0.contains(#""execute": "blockdev-mirror""#) })
        lines[commandLine] = lines[commandLine].replacingOccurrences(of: #""device": "#, with: #""devise": "#)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-real-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mutated = dir.appendingPathComponent("mutated.log")
        try lines.joined(separator: "\n").write(to: mutated, atomically: true, encoding: .utf8)

        let r = try CLI.run(["--format", "json", mutated.path])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = report["findings"] as? [[String: Any]] ?? []
        let summary = try #require(report["summary"] as? [String: Any])
        let errorsAt = { (line: Int) in findings.filter { $0["line"] as? Int == line && $0["severity"] as? String == "error" } }
        #expect(errorsAt(eventLine + 1).contains { $0["rule"] as? String == "enum-value" || ($0["message"] as? String ?? "").contains("creating") },
                "the event's enum value at line \(eventLine + 1): \(findings.prefix(5))")
        _ = summary
        #expect(!errorsAt(commandLine + 1).isEmpty, "the command's renamed argument at line \(commandLine + 1)")
    }
}

/// A live QEMU 7.2 driven over QMP on stdio: fresh transcripts, compact and pretty.
@Suite(.serialized,
       .enabled(if: RealQEMU.toolsAvailable, "needs the built qmp-lint (swift build) and python3"),
       .enabled(if: RealQEMU.qemu != nil, "qemu-system-x86_64 is not on PATH (apt-get install --no-install-recommends qemu-system-x86): the live QEMU test is skipped"))
struct RealQEMULiveTests {
    struct Session: Sendable, CustomTestStringConvertible {
        var name: String
        var args: [String]
        var testDescription: String { name }
    }

    static let sessions = [
        Session(name: "compact-ids", args: []),
        Session(name: "pretty", args: ["--pretty", "--no-ids"]),
        Session(name: "compact-ids-errors", args: ["--errors"]),
    ]

    /// The events a session must make QEMU emit (BLOCK_IO_ERROR and BLOCK_WRITE_THRESHOLD depend
    /// on timing and are not required).
    static let expectedEvents: Set<String> = [
        "RESUME", "STOP", "RESET", "DEVICE_DELETED", "DEVICE_TRAY_MOVED", "JOB_STATUS_CHANGE", "BLOCK_JOB_READY",
        "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_ERROR", "BLOCK_JOB_PENDING", "DUMP_COMPLETED",
        "MIGRATION", "MIGRATION_PASS", "POWERDOWN", "SHUTDOWN",
    ]

    @Test(arguments: sessions)
    func liveSession(_ session: Session) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let transcript = dir.appendingPathComponent(session.name + ".log").path
        let started = Date()
        let r = try RealQEMU.run(
            try #require(RealQEMU.python),
            [RealQEMU.tools.appendingPathComponent("qmp_session.py").path, "--out", transcript,
             "--qemu", try #require(RealQEMU.qemu), "--stderr", transcript + ".stderr"] + session.args,
            timeout: 90)
        let stderr = (try? String(contentsOfFile: transcript + ".stderr", encoding: .utf8)) ?? ""
        try #require(r.status == 0, "qmp_session.py exited \(r.status): \(r.stderr)\nQEMU: \(stderr.suffix(2000))")
        print("live QEMU session \(session.name): \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        let counts = try RealQEMU.count(transcript)
        #expect(counts.greetings == 1)
        #expect(counts.events >= 150, "only \(counts.events) events")
        #expect(Set(counts.eventsByName.keys).isSuperset(of: Self.expectedEvents),
                "missing: \(Self.expectedEvents.subtracting(counts.eventsByName.keys).sorted())")
        #expect(counts.commands == counts.replies)
        if session.args.contains("--errors") { #expect(counts.errors >= 4, "the rejected commands are missing") }
        try RealQEMU.checkEveryWay(transcript, label: "live " + session.name, counts: counts)
    }
}
