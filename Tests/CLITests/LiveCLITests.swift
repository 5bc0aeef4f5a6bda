import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A `qmp-lint` process whose standard input stays open as long as the test wants, its output
/// collected as it comes: for runs that must show findings before their input ends.
final class LiveRun: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    private let out = Pipe(), err = Pipe()
    private let lock = NSLock()
    private var stdoutBytes = Data(), stderrBytes = Data()
    private var readers: [Thread] = []
    let started = Date()

    init(_ args: [String], cwd: URL? = nil) throws {
        process.executableURL = CLI.binary!
        process.arguments = args
        process.currentDirectoryURL = cwd ?? CLI.root
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = nil
        process.environment = env
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            let t = Thread { [self] in
                let h = pipe.fileHandleForReading
                while true {
                    let d = h.availableData
                    if d.isEmpty { break }
                    lock.lock()
                    if isOut { stdoutBytes.append(d) } else { stderrBytes.append(d) }
                    lock.unlock()
                }
            }
            t.start()
            readers.append(t)
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: stdoutBytes, as: UTF8.self) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: stderrBytes, as: UTF8.self) }

    func write(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    /// Seconds until standard output holds `text` `times` times, nil after `timeout` seconds.
    func waitFor(_ text: String, times: Int = 1, timeout: TimeInterval = 10) -> TimeInterval? {
        let from = Date()
        while Date().timeIntervalSince(from) < timeout {
            if stdout.components(separatedBy: text).count - 1 >= times { return Date().timeIntervalSince(from) }
            usleep(20_000)
        }
        return nil
    }

    /// The exit status, nil (after killing it) when it did not exit within `timeout` seconds.
    func exitStatus(timeout: TimeInterval = 10) -> Int32? {
        let from = Date()
        while process.isRunning && Date().timeIntervalSince(from) < timeout { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        // The output is complete once the readers saw its end.
        for _ in 0..<250 where readers.contains(where: { !$0.isFinished }) { usleep(20_000) }
        return process.terminationStatus
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }
}

/// Streaming (issue 17, item 1): findings of a pipe that stays open are shown as soon as they are
/// known, SIGINT ends a run with the report of what was read, and `--follow` reads a growing,
/// truncated and rotated file like `tail -F`. Latency is printed; the target is 2 s (about 0.8 s
/// measured on an idle 2-core machine), asserted as `limit` so that CI, which runs other suites
/// and a sanitizer build on the same 2 cores, does not fail it by load alone: a run that does
/// not stream never shows the finding while its input stays open, whatever the limit.
@Suite(.serialized, .enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct LiveCLITests {
    /// A SHUTDOWN whose `guest` is a string: one type-mismatch error.
    static let bad = #"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": "yes", "reason": "host-qmp-quit"}}"#
    static let good = #"{"timestamp": {"seconds": 2, "microseconds": 0}, "event": "STOP"}"#

    static let limit: TimeInterval = 4

    static func count(_ text: String, in s: String) -> Int { s.components(separatedBy: text).count - 1 }

    @Test func findingOfAPipeThatStaysOpenIsShownAtOnce() throws {
        let run = try LiveRun(["-"])
        run.write(Self.bad + "\n")
        let latency = run.waitFor("[type-mismatch]")
        print("live text finding after \(latency.map { String(format: "%.3f s", $0) } ?? "never")")
        #expect(latency != nil && latency! < Self.limit, "stdout: \(run.stdout) stderr: \(run.stderr)")
        #expect(!run.stdout.contains("1 event"), "no summary before the end")
        run.write(Self.good + "\n")
        try run.input.fileHandleForWriting.close()
        #expect(run.exitStatus() == 1)
        #expect(Self.count("[type-mismatch]", in: run.stdout) == 1, "\(run.stdout)")
        #expect(run.stdout.contains("2 events (1 invalid, 0 malformed): 1 error"), "\(run.stdout)")
    }

    @Test func jsonLinesFindingOfAPipeThatStaysOpenIsShownAtOnce() throws {
        let run = try LiveRun(["--format", "jsonl", "-"])
        run.write(Self.bad + "\n")
        let latency = run.waitFor("\"rule\":\"type-mismatch\"")
        print("live jsonl finding after \(latency.map { String(format: "%.3f s", $0) } ?? "never")")
        #expect(latency != nil && latency! < Self.limit, "stdout: \(run.stdout) stderr: \(run.stderr)")
        try run.input.fileHandleForWriting.close()
        #expect(run.exitStatus() == 1)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(run.stdout)")
        #expect(lines.last?.hasPrefix("{\"summary\":") == true)
    }

    @Test func sigintPrintsTheReportOfWhatWasRead() throws {
        let run = try LiveRun(["-"])
        run.write(Self.bad + "\n" + Self.good + "\n")
        #expect(run.waitFor("[type-mismatch]") != nil, "stderr: \(run.stderr)")
        run.signal(SIGINT)
        #expect(run.exitStatus() == 1, "the status of a run of that content")
        #expect(Self.count("[type-mismatch]", in: run.stdout) == 1, "\(run.stdout)")
        #expect(run.stdout.contains("1 file, "), "\(run.stdout)")
        #expect(run.stdout.contains("2 events (1 invalid, 0 malformed): 1 error"), "\(run.stdout)")
    }

    @Test func sigtermEndsACleanRunWithStatusZero() throws {
        let run = try LiveRun(["-"])
        run.write(Self.good + "\n")
        Thread.sleep(forTimeInterval: 0.5)
        run.signal(SIGTERM)
        #expect(run.exitStatus() == 0)
        #expect(run.stdout.contains("1 event (0 invalid, 0 malformed)"), "\(run.stdout)")
    }

    /// A format that cannot stream writes its whole report when the run is interrupted.
    @Test func sigintWritesAJSONReportOfWhatWasRead() throws {
        let run = try LiveRun(["--format", "json", "-"])
        run.write(Self.bad + "\n")
        Thread.sleep(forTimeInterval: 1)
        #expect(run.stdout.isEmpty)
        run.signal(SIGINT)
        #expect(run.exitStatus() == 1)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let summary = json?["summary"] as? [String: Any]
        #expect(summary?["events"] as? Int == 1, "\(run.stdout)")
    }

    @Test func followReadsAppendedTruncatedAndRotatedFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-follow-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("vm.log")
        try Data().write(to: log)
        let run = try LiveRun(["--follow", log.path])
        func append(_ line: String) throws {
            let h = try FileHandle(forWritingTo: log)
            try h.seekToEnd()
            h.write(Data((line + "\n").utf8))
            try h.close()
        }
        Thread.sleep(forTimeInterval: 0.3)
        try append(Self.bad)
        let appended = run.waitFor("[type-mismatch]")
        print("--follow: appended finding after \(appended.map { String(format: "%.3f s", $0) } ?? "never")")
        #expect(appended != nil && appended! < Self.limit, "stdout: \(run.stdout) stderr: \(run.stderr)")
        // Truncated, then written again: read from its start.
        try Data((Self.good + "\n" + Self.bad + "\n").utf8).write(to: log)
        let truncated = run.waitFor("[type-mismatch]", times: 2)
        print("--follow: finding after truncation after \(truncated.map { String(format: "%.3f s", $0) } ?? "never")")
        #expect(truncated != nil && truncated! < Self.limit, "stdout: \(run.stdout) stderr: \(run.stderr)")
        // Rotated: the path names a new file.
        try FileManager.default.moveItem(at: log, to: dir.appendingPathComponent("vm.log.1"))
        try Data((Self.bad + "\n").utf8).write(to: log)
        let rotated = run.waitFor("[type-mismatch]", times: 3)
        print("--follow: finding after rotation after \(rotated.map { String(format: "%.3f s", $0) } ?? "never")")
        #expect(rotated != nil && rotated! < Self.limit, "stdout: \(run.stdout) stderr: \(run.stderr)")
        run.signal(SIGINT)
        #expect(run.exitStatus() == 1)
        #expect(Self.count("[type-mismatch]", in: run.stdout) == 3, "\(run.stdout)")
        #expect(run.stdout.contains("4 events (3 invalid, 0 malformed): 3 errors"), "\(run.stdout)")
        #expect(run.stderr.contains("read again from its start"), "\(run.stderr)")
        #expect(run.stderr.contains("rotated"), "\(run.stderr)")
    }

    /// `--min-severity` applies to what is shown live, and nothing is shown twice.
    @Test func liveOutputHonoursMinSeverityAndQuiet() throws {
        let run = try LiveRun(["--min-severity", "error", "-q", "-"])
        run.write(Self.bad + "\n")
        #expect(run.waitFor("[type-mismatch]") != nil, "stderr: \(run.stderr)")
        try run.input.fileHandleForWriting.close()
        #expect(run.exitStatus() == 1)
        #expect(Self.count("[type-mismatch]", in: run.stdout) == 1, "\(run.stdout)")
        #expect(!run.stdout.contains("events"), "--quiet: no summary")
    }
}
