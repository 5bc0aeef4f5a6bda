import Foundation
import Testing

/// Inputs that fail in the ways real ones do (issue 14), through the built binary, with real
/// files, FIFOs and processes: every event read is counted, every fault is named with the
/// documented exit status, nothing from a name or a log reaches a terminal or a spreadsheet raw.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct InputFaultsCLITests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    /// `count` clean raw-QMP events (STOP and RESUME in turn), one per line.
    static func events(_ count: Int, from first: Int = 0) -> String {
        (first..<(first + count)).map { i in
            "{\"timestamp\": {\"seconds\": \(1_700_000_000 + i), \"microseconds\": \(i % 1_000_000)}, "
                + "\"event\": \"\(i % 2 == 0 ? "STOP" : "RESUME")\"}\n"
        }.joined()
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }

    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: dir.appendingPathComponent(name))) }

    /// Runs a shell command in `dir`; returns its standard output.
    @discardableResult
    func sh(_ command: String) throws -> (status: Int32, stdout: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func json(_ r: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    func summary(_ r: CLI.Result) throws -> [String: Any] { try json(r)["summary"] as! [String: Any] }
    func events(_ r: CLI.Result) throws -> Int? { try summary(r)["events"] as? Int }
    func files(_ r: CLI.Result) throws -> [String] { (try json(r)["files"] as! [[String: Any]]).map { $0["path"] as! String } }

    // MARK: 1. FIFOs

    @Test(.timeLimit(.minutes(5))) func fifoWhoseWriterConnectsLateIsWaitedFor() throws {
        try write("events.log", Self.events(500))
        #expect(mkfifo(dir.appendingPathComponent("late").path, 0o600) == 0)
        // The writer starts a second after qmp-lint (which must wait for it, like cat).
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "sleep 1; cat events.log > late"]
        writer.currentDirectoryURL = dir
        try writer.run()
        let r = try CLI.run(["--format", "json", "late"], cwd: dir)
        writer.waitUntilExit()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try events(r) == 500)
        #expect(writer.terminationStatus == 0)
    }

    @Test(.timeLimit(.minutes(5))) func fifoWithAWaitingWriterLosesNothingWithTwoJobs() throws {
        try write("events.log", Self.events(2000))
        try write("other.log", Self.events(3))
        for round in 0..<3 {
            let fifo = "waiting\(round)"
            #expect(mkfifo(dir.appendingPathComponent(fifo).path, 0o600) == 0)
            // The writer is blocked in open() before qmp-lint starts.
            let writer = Process()
            writer.executableURL = URL(fileURLWithPath: "/bin/sh")
            writer.arguments = ["-c", "cat events.log > \(fifo)"]
            writer.currentDirectoryURL = dir
            try writer.run()
            usleep(200_000)
            let r = try CLI.run(["--format", "json", "--jobs", "2", fifo, "other.log"], cwd: dir)
            writer.waitUntilExit()
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try events(r) == 2003, "round \(round)")
        }
    }

    // MARK: 3. gzip faults, compared with zcat

    /// A gzip member of `text`, made by the system's gzip.
    func gzip(_ text: String, _ name: String) throws -> [UInt8] {
        try write(name, text)
        try sh("gzip -c \(name) > \(name).gz")
        return try bytes(name + ".gz")
    }

    func zcatLines(_ name: String) throws -> Int {
        Int(try sh("zcat \(name) 2>/dev/null | wc -l").stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    @Test func gzipWithABadChecksumKeepsEverythingDecompressed() throws {
        var gz = try gzip(Self.events(20_000), "crc.log")
        gz[gz.count - 8] ^= 0xFF  // the CRC-32 of the trailer
        try write("crc.gz", gz)
        let r = try CLI.run(["--format", "json", "crc.gz"], cwd: dir)
        #expect(r.status == 2)
        #expect(try zcatLines("crc.gz") == 20_000)
        #expect(try events(r) == 20_000)
        #expect(r.stderr.contains("crc.gz: at byte \(Self.events(20_000).utf8.count): corrupt gzip data: incorrect data check"),
                "\(r.stderr)")
        #expect(r.stderr.contains("compressed byte \(gz.count - 4)"), "\(r.stderr)")
    }

    @Test func gzipWithTrailingGarbageIsAWarningAndKeepsItsEvents() throws {
        let gz = try gzip(Self.events(20_000), "junk.log")
        try write("junk.gz", gz + Array("this is not gzip\n".utf8))
        let r = try CLI.run(["--format", "json", "junk.gz"], cwd: dir)
        #expect(try zcatLines("junk.gz") == 20_000)
        #expect(try events(r) == 20_000)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("junk.gz: warning: trailing garbage ignored from compressed byte \(gz.count)"), "\(r.stderr)")
        #expect(try summary(r)["unreadableFiles"] as? Int == 0)
        // A warning, not a status line: --quiet keeps it.
        let q = try CLI.run(["--format", "json", "--quiet", "junk.gz"], cwd: dir)
        #expect(q.stderr.contains("trailing garbage"), "\(q.stderr)")
    }

    @Test func gzipMembersAfterZeroPaddingAreRead() throws {
        let a = try gzip(Self.events(1000), "a.log")
        let b = try gzip(Self.events(7, from: 1000), "b.log")
        let c = try gzip(Self.events(5, from: 1007), "c.log")
        try write("padded.gz", a + [UInt8](repeating: 0, count: 4096) + b + c + [UInt8](repeating: 0, count: 100))
        let r = try CLI.run(["--format", "json", "padded.gz"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try zcatLines("a.log.gz") + zcatLines("b.log.gz") + zcatLines("c.log.gz") == 1012)
        #expect(try events(r) == 1012)
    }

    @Test func truncatedGzipKeepsWhatZcatPrints() throws {
        let gz = try gzip(Self.events(20_000), "cut.log")
        try write("cut.gz", Array(gz.prefix(gz.count * 2 / 3)))
        let r = try CLI.run(["--format", "json", "cut.gz"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("cut.gz: at byte ") && r.stderr.contains("truncated gzip data"), "\(r.stderr)")
        // zcat prints every byte it decompressed; its complete lines are events.
        #expect(try events(r) == zcatLines("cut.gz"))
    }

    // MARK: 6. Injection

    @Test func controlCharactersInNamesNeverReachTheTerminal() throws {
        let evil = "x\u{1B}]0;pwned\u{07}.log"
        try write("tree/" + evil, Self.events(1))
        #expect(mkfifo(dir.appendingPathComponent("tree/f\u{1B}[2J").path, 0o600) == 0)
        let r = try CLI.run(["--format", "json", "tree", "gone\u{1B}[2J\u{9B}31m.log"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("skipped tree/f\\x1b[2J: not a regular file"), "\(r.stderr)")
        #expect(r.stderr.contains("gone\\x1b[2J\\u{9b}31m.log: cannot open"), "\(r.stderr)")
        #expect(!r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
        #expect(try events(r) == 1)
    }

    /// An event whose name is a spreadsheet formula and holds ESC, C1 and bidi controls.
    static let hostileEvent =
        #"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "=cmd|' /C calc'!A0\u001b[31m\u009b\u202e"}"# + "\n"
        + #"{"timestamp": {"seconds": 1, "microseconds": 3}, "event": "@SUM(1+1)\u0007\u0008"}"# + "\n"
        + #"{"timestamp": {"seconds": 1, "microseconds": 4}, "event": "  +1\u2066"}"# + "\n"
        + #"{"timestamp": {"seconds": 1, "microseconds": 5}, "event": "-2\u0085"}"# + "\n"

    @Test func csvNeutralisesFormulasAndControls() throws {
        try write("inj.log", Self.hostileEvent)
        let r = try CLI.run(["--format", "csv", "inj.log"], cwd: dir)
        #expect(r.status == 1, "\(r.stderr)")
        let rows = r.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let names = rows.map { $0.components(separatedBy: ",")[4] }
        #expect(names == [
            "'=cmd|' /C calc'!A0\\x1b[31m\\u{9b}\\u{202e}", "'@SUM(1+1)\\x07\\x08", "'  +1\\u{2066}", "'-2\\u{85}",
        ], "\(r.stdout)")
        #expect(!r.stdout.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\r" && $0 != "\n") || (0x7F...0x9F).contains($0.value)
            || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
    }

    @Test(arguments: ["json", "jsonl", "sarif", "gitlab", "junit"])
    func machineFormatsEscapeC1AndBidiControls(_ format: String) throws {
        try write("inj.log", Self.hostileEvent)
        let r = try CLI.run(["--format", format, "inj.log"], cwd: dir)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(!r.stdout.unicodeScalars.contains { (0x80...0x9F).contains($0.value)
            || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) || $0.value == 0x1B }, "\(format)")
        if format == "junit" {
            #expect(r.stdout.contains("&#x9b;&#x202e;") && r.stdout.contains("&#x2066;"), "\(r.stdout)")
        } else {
            #expect(r.stdout.contains("\\u009b\\u202e") && r.stdout.contains("\\u2066") && r.stdout.contains("\\u0085"),
                    "\(format): \(r.stdout)")
        }
    }

    // MARK: 7. File names

    @Test func latin1NamesAreReadWalkedAndNamed() throws {
        try write("names/ok.log", Self.events(1))
        let text = Self.events(2, from: 5)
        // The name `café.log` in Latin-1: not UTF-8. Written and passed by the shell as bytes.
        try sh("printf '%s' '\(text)' > \"names/$(printf 'caf\\351.log')\"")
        let walked = try CLI.run(["--format", "json", "names"], cwd: dir)
        #expect(walked.status == 0, "\(walked.stderr)")
        #expect(try events(walked) == 3)
        #expect(try files(walked) == ["names/caf\\xE9.log", "names/ok.log"])
        let binary = CLI.binary!.path
        let named = try sh("'\(binary)' --format json \"names/$(printf 'caf\\351.log')\"; echo \"status $?\"")
        #expect(named.stdout.contains("\"events\": 2") && named.stdout.contains("status 0"), "\(named.stdout)")
        #expect(named.stdout.contains("\"path\": \"names/caf\\\\xE9.log\""), "\(named.stdout)")
    }

    @Test func aFileReachedByManyPathsIsCheckedOnce() throws {
        try write("fan/one.log", Self.events(1))
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("fan/links"), withIntermediateDirectories: true)
        for i in 0..<64 {
            try fm.createSymbolicLink(atPath: dir.appendingPathComponent("fan/links/l\(i)").path, withDestinationPath: "../one.log")
        }
        try fm.createDirectory(at: dir.appendingPathComponent("fan/d"), withIntermediateDirectories: true)
        for i in 0..<4 {
            try fm.createSymbolicLink(atPath: dir.appendingPathComponent("fan/d/s\(i)").path, withDestinationPath: "../links")
        }
        let r = try CLI.run(["-L", "--format", "json", "fan"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try events(r) == 1)
        #expect(r.stderr.contains("64 more paths lead to this file"), "\(r.stderr)")
        let twice = try CLI.run(["--format", "json", "fan/one.log", "fan/one.log", "fan/links/l3"], cwd: dir)
        #expect(try events(twice) == 1)
        #expect(twice.stderr.contains("2 more paths lead to this file"), "\(twice.stderr)")
    }

    // MARK: 8. Encodings, binaries, hidden files, reports

    @Test(arguments: ["utf-16", "utf-16le", "utf-16be"])
    func utf16LogsAreDecoded(_ encoding: String) throws {
        try write("u8.log", Self.events(40))
        try sh("iconv -f utf-8 -t \(encoding) u8.log > u16.log")
        let r = try CLI.run(["--format", "json", "u16.log"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try events(r) == 40)
        #expect(r.stderr.contains("u16.log: note: read as UTF-16"), "\(r.stderr)")
    }

    @Test func binaryAndHiddenFilesInAWalk() throws {
        try write("walk/a.log", Self.events(3))
        try write("walk/.hidden.log", Self.events(3))
        try write("walk/.git/HEAD.log", Self.events(3))
        try write("walk/sub/blob.bin", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(Self.events(3).utf8))
        // A log cut by a crash: text, then NUL blocks. Text, not binary.
        try write("walk/crashed.log", Array(Self.events(2).utf8) + [UInt8](repeating: 0, count: 4096))
        let r = try CLI.run(["--format", "json", "walk"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try files(r) == ["walk/a.log", "walk/crashed.log"])
        #expect(try events(r) == 5)
        #expect(r.stderr.contains("skipped walk/sub/blob.bin: binary file (a NUL byte at byte 7)"), "\(r.stderr)")
        let hidden = try CLI.run(["--format", "json", "--hidden", "walk"], cwd: dir)
        #expect(try events(hidden) == 11)
        // Named: checked, with a notice.
        let named = try CLI.run(["--format", "json", "walk/sub/blob.bin"], cwd: dir)
        #expect(try events(named) == 3)
        #expect(named.stderr.contains("walk/sub/blob.bin: note: binary data (a NUL byte at byte 7)"), "\(named.stderr)")
    }

    @Test func aSecondRunOverAFolderDoesNotReadTheFirstRunsReports() throws {
        try write("logs/a.log", Self.events(4) + "{\"timestamp\": {\"seconds\": 9, \"microseconds\": 1}, \"event\": \"NOPE\"}\n")
        try write("logs/sub/b.log", Self.events(3, from: 10))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("logs/out"), withIntermediateDirectories: true)
        var args = ["--format", "json", "-o", "logs/report.json"]
        for format in ["sarif", "junit", "csv", "jsonl", "text", "timeline", "html", "markdown", "gitlab", "github"] {
            args += ["--report", "\(format)=logs/out/report.\(format)"]
        }
        let first = try CLI.run(args + ["logs"], cwd: dir)
        #expect(first.status == 1, "\(first.stderr)")
        let firstReport = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("logs/report.json"))) as! [String: Any]
        #expect((firstReport["summary"] as! [String: Any])["events"] as? Int == 8)
        let second = try CLI.run(args + ["logs"], cwd: dir)
        #expect(second.status == 1)
        let secondReport = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("logs/report.json"))) as! [String: Any]
        #expect((secondReport["summary"] as! [String: Any])["events"] as? Int == 8, "\(second.stderr)")
        #expect(second.stderr.contains("skipped logs/report.json: this run writes its report there"), "\(second.stderr)")
        // Reports of another run, found by their first bytes.
        let third = try CLI.run(["--format", "json", "logs"], cwd: dir)
        #expect(try events(third) == 8, "\(third.stderr)")
        #expect(third.stderr.contains("skipped logs/out/report.sarif: a qmp-lint sarif report"), "\(third.stderr)")
    }

    // MARK: 9. merge and far timestamps

    @Test func mergeRejectsCountsThatOverflowOrAreNotIntegers() throws {
        try write("a.log", Self.events(2))
        let r = try CLI.run(["--format", "json", "a.log"], cwd: dir)
        let big = r.stdout.replacingOccurrences(of: "\"events\": 2,", with: "\"events\": 9223372036854775807,")
        try write("m1.json", big.replacingOccurrences(of: "\"a.log\"", with: "\"x1.log\""))
        try write("m2.json", big.replacingOccurrences(of: "\"a.log\"", with: "\"x2.log\""))
        let overflow = try CLI.run(["merge", "m1.json", "m2.json"], cwd: dir)
        #expect(overflow.status == 64)
        #expect(overflow.stderr.contains("m2.json: summary count events"), "\(overflow.stderr)")
        try write("m3.json", r.stdout.replacingOccurrences(of: "\"events\": 2,", with: "\"events\": 1e999,"))
        let huge = try CLI.run(["merge", "m3.json"], cwd: dir)
        #expect(huge.status == 64)
        #expect(huge.stderr.contains("m3.json: events is 1e999, not a count"), "\(huge.stderr)")
    }

    @Test func timestampsFarOutOfRangeShowAsFourDigitYears() throws {
        try write("far.log", #"{"timestamp": {"seconds": 9223372036854775807, "microseconds": 2}, "event": "STOP"}"# + "\n"
            + #"{"timestamp": {"seconds": -9223372036854775807, "microseconds": 999999}, "event": "RESUME"}"# + "\n")
        let t = try CLI.run(["--format", "timeline", "far.log"], cwd: dir)
        #expect(t.stdout.contains("9999-12-31T23:59:59.999999Z  STOP"), "\(t.stdout)")
        #expect(t.stdout.range(of: #"\d{5,}-\d\d-\d\dT"#, options: .regularExpression) == nil, "\(t.stdout)")
        let j = try CLI.run(["--format", "json", "far.log"], cwd: dir)
        #expect(try summary(j)["lastEvent"] as? String == "9999-12-31T23:59:59.999999Z")
    }
}
