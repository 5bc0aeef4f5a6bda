import Foundation
import Testing

/// Runs the built `qmp-lint` binary and checks stdout, stderr and exit status.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: URL? {
        for config in ["debug", "release"] {
            let u = root.appendingPathComponent(".build/\(config)/qmp-lint")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return nil
    }
    static var available: Bool { binary != nil }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// `environment`: variables to set (a nil value removes one); NO_COLOR=1 and no COLUMNS
    /// unless it says otherwise.
    static func run(
        _ args: [String], stdin: Data? = nil, cwd: URL? = nil, environment: [String: String?] = [:]
    ) throws -> Result {
        let p = Process()
        p.executableURL = binary!
        p.arguments = args
        p.currentDirectoryURL = cwd ?? root
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct CLITests {
    @Test func cleanInputExitsZero() throws {
        let r = try CLI.run(["Fixtures/cli/clean.log"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 event"))
    }

    @Test func errorFindingsExitOne() throws {
        let r = try CLI.run(["Fixtures/cli/malformed.log"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("Fixtures/cli/malformed.log:2:"))
        #expect(r.stdout.contains("[malformed-json]"))
    }

    @Test func unreadableInputExitsTwoAndOthersStillChecked() throws {
        let r = try CLI.run(["--format", "json", "Fixtures/cli/does-not-exist.log", "Fixtures/cli/clean.log"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("does-not-exist.log"))
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let summary = json["summary"] as! [String: Any]
        #expect(summary["events"] as? Int == 1)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CLI.run(["--format", "nope", "Fixtures/cli/clean.log"]).status == 64)
        #expect(try CLI.run(["--jobs", "0", "Fixtures/cli/clean.log"]).status == 64)
        #expect(try CLI.run(["--no-such-flag"]).status == 64)
    }

    @Test func standardInput() throws {
        let r = try CLI.run(["--format", "json", "-"], stdin: Data("event STOP at 1.000002 for domain vm: <null>\n".utf8))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"<stdin>\""))
    }

    @Test(arguments: ["text", "json", "jsonl", "csv", "sarif", "junit", "github", "gitlab", "markdown", "timeline", "html"])
    func everyFormatRuns(_ format: String) throws {
        let r = try CLI.run(["--format", format, "Fixtures/cli/malformed.log"])
        #expect(r.status == 1, "\(format): \(r.stderr)")
        #expect(!r.stdout.isEmpty)
        if ["json", "sarif", "gitlab"].contains(format) {
            #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil, "\(format) is not JSON")
        }
    }

    @Test func extraReportsAndOutputFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let main = dir.appendingPathComponent("r.json").path
        let sarif = dir.appendingPathComponent("r.sarif").path
        let r = try CLI.run(["--format", "json", "-o", main, "--report", "sarif=\(sarif)", "Fixtures/cli/malformed.log"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: main))
        #expect(FileManager.default.fileExists(atPath: sarif))
    }

    @Test func gzipInputIsReadTransparently() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-gz-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = dir.appendingPathComponent("capture.log.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(CLI.root.path)/Fixtures/cli/clean.log' > '\(gz.path)'"]
        try p.run(); p.waitUntilExit()
        let r = try CLI.run(["--format", "json", gz.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"events\": 1"))
    }

    @Test func rulesCommandListsEveryRule() throws {
        let r = try CLI.run(["rules", "--format", "json"])
        #expect(r.status == 0)
        for id in ["malformed-json", "missing-member", "unknown-event", "type-mismatch"] { #expect(r.stdout.contains(id)) }
    }

    @Test func deterministicAcrossRunsAndJobs() throws {
        let a = try CLI.run(["--format", "json", "--jobs", "1", "Fixtures"])
        let b = try CLI.run(["--format", "json", "--jobs", "2", "Fixtures"])
        #expect(a.stdout == b.stdout)
    }
}

/// The README's example prints what the README shows.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct ReadmeExampleTests {
    @Test func exampleOutputMatchesTheReadme() throws {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        let intro = "What `swift run qmp-lint Fixtures/examples/host-incident.log` prints:\n\n```text\n"
        let start = try #require(readme.range(of: intro))
        let end = try #require(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        let shown = String(readme[start.upperBound..<end.lowerBound])
        let r = try CLI.run(["Fixtures/examples/host-incident.log"])
        #expect(r.status == 1)
        #expect(r.stdout == shown)
    }
}
