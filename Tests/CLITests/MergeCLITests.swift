import Foundation
import Testing

/// `qmp-lint merge` (exit statuses, formats, bad and overlapping reports) and `--stdin-filename`,
/// the two pieces the Spark recipe (Recipes/spark) is built from.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct MergeCLITests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-merge-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Writes the JSON report of `inputs` to `name` and returns its path.
    func report(_ name: String, _ inputs: [String]) throws -> String {
        let r = try CLI.run(["--no-config", "--format", "json", "-o", path(name)] + inputs)
        #expect([0, 1, 2].contains(r.status), "\(r.stderr)")
        return path(name)
    }

    @Test func exitStatusFollowsTheMergedReport() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let clean = try report("clean.json", ["Fixtures/cli/clean.log"])
        let bad = try report("bad.json", ["Fixtures/cli/malformed.log"])
        let missing = try report("missing.json", ["Fixtures/cli/does-not-exist.log"])
        #expect(try CLI.run(["merge", clean]).status == 0)
        #expect(try CLI.run(["merge", clean, bad]).status == 1)
        #expect(try CLI.run(["merge", clean, bad, missing]).status == 2)
        // Warnings only (a second STOP without RESUME): clean, unless --strict.
        try Data(
            ("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 0}, \"event\": \"STOP\"}\n"
                + "{\"timestamp\": {\"seconds\": 2, \"microseconds\": 0}, \"event\": \"STOP\"}\n").utf8
        )
        .write(to: URL(fileURLWithPath: path("stops.log")))
        let warn = try report("warn.json", [path("stops.log")])
        #expect(try CLI.run(["merge", clean, warn]).status == 0)
        #expect(try CLI.run(["merge", "--strict", clean, warn]).status == 1)
    }

    @Test func mergedReportInEveryFormatAndToAFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try report("a.json", ["Fixtures/cli/clean.log"])
        let b = try report("b.json", ["Fixtures/cli/malformed.log"])
        for format in ["text", "json", "jsonl", "csv", "sarif", "junit", "github", "gitlab", "markdown"] {
            let out = path("merged.\(format)")
            let r = try CLI.run(["merge", "--format", format, "-o", out, a, b])
            #expect(r.status == 1, "\(format): \(r.stderr)")
            #expect(r.stdout.isEmpty)
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.contains("Fixtures/cli/malformed.log"), "\(format)")
        }
        #expect(try CLI.run(["merge", "--format", "nope", a]).status == 64)
    }

    /// SARIF and GitLab fingerprints come from the event hash, which the JSON report carries.
    @Test func fingerprintsSurviveTheMerge() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try CLI.run([
            "--no-config", "--format", "gitlab", "Fixtures/cli/malformed.log", "Fixtures/examples/host-incident.log",
        ])
        let a = try report("a.json", ["Fixtures/cli/malformed.log"])
        let b = try report("b.json", ["Fixtures/examples/host-incident.log"])
        let merged = try CLI.run(["merge", "--format", "gitlab", b, a])
        #expect(merged.stdout == one.stdout)
    }

    @Test func aBadReportIsAUsageErrorNamingTheFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try report("good.json", ["Fixtures/cli/clean.log"])
        try Data("{\"not\": \"a report\"}".utf8).write(to: URL(fileURLWithPath: path("other.json")))
        try Data("{\"reportVersion\": 1, ".utf8).write(to: URL(fileURLWithPath: path("cut.json")))
        for (file, words) in [
            ("other.json", "not a qmp-lint JSON report"), ("cut.json", "not JSON"),
            ("absent.json", "cannot read report"),
        ] {
            let r = try CLI.run(["merge", good, path(file)])
            #expect(r.status == 64, "\(file)")
            #expect(r.stderr.contains(path(file)) && r.stderr.contains(words), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func overlappingReportsAreRefusedNamingTheFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try report("a.json", ["Fixtures/cli/clean.log", "Fixtures/cli/malformed.log"])
        let b = try report("b.json", ["Fixtures/cli/malformed.log"])
        for args in [[a, b], [a, a]] {
            let r = try CLI.run(["merge"] + args)
            #expect(r.status == 64)
            #expect(r.stderr.contains("Fixtures/cli/") && r.stderr.contains("disjoint"), "\(r.stderr)")
        }
    }

    @Test func standardInputUnderAGivenName() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = "Fixtures/examples/host-incident.log"
        let direct = try CLI.run(["--no-config", "--format", "json", file])
        let bytes = try Data(contentsOf: CLI.root.appendingPathComponent(file))
        let piped = try CLI.run(["--no-config", "--format", "json", "--stdin-filename", file, "-"], stdin: bytes)
        #expect(piped.status == direct.status)
        #expect(piped.stdout == direct.stdout)
        // A cut gzip stream is reported under the name too.
        let gz = URL(fileURLWithPath: path("x.log.gz"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(CLI.root.path)/\(file)' | head -c 200 > '\(gz.path)'"]
        try p.run()
        p.waitUntilExit()
        let cut = try CLI.run(
            ["--no-config", "--format", "json", "--stdin-filename", "s3a://fleet/host1/x.log.gz", "-"],
            stdin: try Data(contentsOf: gz))
        #expect(cut.status == 2)
        #expect(cut.stdout.contains("\"path\": \"s3a://fleet/host1/x.log.gz\""))
        #expect(cut.stderr.contains("s3a://fleet/host1/x.log.gz"))
        #expect(!cut.stdout.contains("<stdin>"))
        #expect(try CLI.run(["--stdin-filename", "x.log", file]).status == 64)
    }
}
