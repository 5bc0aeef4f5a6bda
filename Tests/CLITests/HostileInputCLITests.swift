import Foundation
import Testing

/// Broken inputs through the command line: each a clear message naming the file and the place,
/// the right exit status, and the other inputs still checked.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct HostileInputCLITests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("Fixtures/cli/clean.log"), to: dir.appendingPathComponent("clean.log"))
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func summary(_ r: CLI.Result) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return json["summary"] as! [String: Any]
    }

    /// Eight copies of the example log, gzip-compressed by the system's gzip.
    func gzipped() throws -> [UInt8] {
        let text = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/examples/host-incident.log"), encoding: .utf8)
        try write("plain.log", Array(String(repeating: text, count: 8).utf8))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c plain.log > whole.gz"]
        p.currentDirectoryURL = dir
        try p.run(); p.waitUntilExit()
        return try [UInt8](Data(contentsOf: dir.appendingPathComponent("whole.gz")))
    }

    @Test func emptyFileIsCleanAndCounted() throws {
        try write("empty.log", [])
        let r = try CLI.run(["--format", "json", "empty.log"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try summary(r)["files"] as? Int == 1)
        #expect(try summary(r)["events"] as? Int == 0)
    }

    @Test func truncatedAndCorruptGzipSayWhereAndOthersAreChecked() throws {
        let gz = try gzipped()
        try write("trunc.gz", Array(gz.prefix(300)))
        try write("corrupt.gz", Array(gz.prefix(100)) + [UInt8](repeating: 0xA5, count: 200) + Array(gz.dropFirst(300)))
        let r = try CLI.run(["--format", "json", "trunc.gz", "corrupt.gz", "clean.log"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("trunc.gz: at byte ") && r.stderr.contains("truncated gzip data"), "\(r.stderr)")
        #expect(r.stderr.contains("corrupt.gz: at byte ") && r.stderr.contains("corrupt gzip data"), "\(r.stderr)")
        let s = try summary(r)
        #expect(s["files"] as? Int == 3)
        #expect((s["events"] as? Int ?? 0) >= 1)  // clean.log's, plus whatever came before each fault
        #expect(s["unreadableFiles"] as? Int == 2)
    }

    @Test func unreadableInputMidRead() throws {
        // /proc/self/mem opens but its first read fails (EIO), even for root.
        let r = try CLI.run(["--format", "json", "/proc/self/mem", "clean.log"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("/proc/self/mem: at byte 0: read failed"), "\(r.stderr)")
        #expect(try summary(r)["events"] as? Int == 1)
    }

    @Test func symlinkLoopIsSkippedWithAMessage() throws {
        try write("tree/a/clean.log", Array("event STOP at 1.000002 for domain vm: <null>\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("tree/a/up").path, withDestinationPath: "..")
        let r = try CLI.run(["-L", "--format", "json", "tree"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("tree/a/up: directory loop"), "\(r.stderr)")
        #expect(try summary(r)["events"] as? Int == 1)
    }

    @Test func fifoInATreeIsSkippedNamedIsRead() throws {
        try write("tree/clean.log", Array("event STOP at 1.000002 for domain vm: <null>\n".utf8))
        let fifo = dir.appendingPathComponent("tree/pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let r = try CLI.run(["--format", "json", "tree"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stderr.contains("tree/pipe: not a regular file"), "\(r.stderr)")
        #expect(try summary(r)["events"] as? Int == 1)
    }

    @Test func schemaIncludeCycleAndMissingInclude() throws {
        try write("cycle/qapi-schema.json", Array("{ 'include': 'b.json' }\n{ 'event': 'X' }\n".utf8))
        try write("cycle/b.json", Array("# b\n  { 'include': 'qapi-schema.json' }\n".utf8))
        let c = try CLI.run(["--schema", "cycle", "clean.log"], cwd: dir)
        #expect(c.status == 64)
        #expect(c.stderr.contains("cycle/b.json:2:3: include cycle"), "\(c.stderr)")
        try write("missing/qapi-schema.json", Array("{ 'event': 'X' }\n{ 'include': 'gone.json' }\n".utf8))
        let m = try CLI.run(["--schema", "missing", "clean.log"], cwd: dir)
        #expect(m.status == 64)
        #expect(m.stderr.contains("missing/qapi-schema.json:2:1: included file 'gone.json' cannot be read"), "\(m.stderr)")
    }

    @Test func configurationWithWrongTypes() throws {
        try write(".qmp-lint.yml", Array("strict: maybe\njobs: [1]\n".utf8))
        let r = try CLI.run(["clean.log"], cwd: dir)
        #expect(r.status == 64)
        #expect(r.stderr.contains(".qmp-lint.yml:1:9:"), "\(r.stderr)")
    }

    @Test func controlCharactersFromLogsAreNotSentToTheTerminal() throws {
        // An escape sequence inside a malformed event: shown escaped in text output.
        try write("esc.log", Array("{\"event\": \"STOP\u{1B}[2J\", \"timestamp\": {\"seconds\": 1, \"microseconds\": \u{1B}]0;pwned\u{07}}}\n".utf8))
        let r = try CLI.run(["--color", "never", "esc.log"], cwd: dir)
        #expect(r.status == 1)
        #expect(!r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{07}"))
        #expect(r.stdout.contains("\\x1b") || r.stdout.contains("\\u{1b}") || r.stdout.contains("\\e"), "\(r.stdout)")
    }
}
