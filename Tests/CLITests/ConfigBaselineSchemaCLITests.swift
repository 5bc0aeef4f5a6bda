import Foundation
import Testing

/// Configuration files, baselines and schema files through the command line.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct ConfigBaselineSchemaCLITests {
    static let shared = CLI.root.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("seed").path) }

    /// A scratch folder holding the example log and the given files.
    func scratch(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("Fixtures/examples/host-incident.log"),
                                         to: dir.appendingPathComponent("host.log"))
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func configurationFileIsFoundAndApplied() throws {
        let dir = try scratch([".qmp-lint.yml": "disabled-rules: [unexpected-member]\nseverity:\n  missing-member: warning\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        // Found from a subfolder too.
        let r = try CLI.run(["--format", "csv", "../host.log"], cwd: sub)
        #expect(!r.stdout.contains("unexpected-member"))
        #expect(r.stdout.contains("missing-member,warning"))
        // --no-config ignores it.
        let plain = try CLI.run(["--no-config", "--format", "csv", "../host.log"], cwd: sub)
        #expect(plain.stdout.contains("unexpected-member"))
        #expect(plain.stdout.contains("missing-member,error"))
    }

    @Test func badConfigurationIsAPositionedUsageError() throws {
        let dir = try scratch([".qmp-lint.yml": "format: text\njobs: many\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["host.log"], cwd: dir)
        #expect(r.status == 64)
        #expect(r.stderr.contains(".qmp-lint.yml:2:7:"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let unknown = try CLI.run(["--config", "other.yml", "host.log"], cwd: try scratch(["other.yml": "formt: json\n"]))
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("other.yml:1:1:") && unknown.stderr.contains("did you mean 'format'"), "\(unknown.stderr)")
    }

    @Test func configCommandPrintsAConfigurationThatReadsBack() throws {
        let dir = try scratch([".qmp-lint.yml": "qemu-version: \"8.2\"\nstrict: true\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["config", "--format", "sarif"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("qemu-version: \"8.2\"") || r.stdout.contains("qemu-version: 8.2"), "\(r.stdout)")
        #expect(r.stdout.contains("format: sarif"))
        #expect(r.stdout.contains("fail-on: warning"))
        try r.stdout.write(to: dir.appendingPathComponent("effective.yml"), atomically: true, encoding: .utf8)
        let again = try CLI.run(["config", "--config", "effective.yml"], cwd: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.split(separator: "\n").dropFirst() == r.stdout.split(separator: "\n").dropFirst())
    }

    @Test func baselineSuppressesKnownFindingsAfterLinesMove() throws {
        let dir = try scratch([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try CLI.run(["--no-config", "--write-baseline", "known.json", "host.log"], cwd: dir)
        #expect(w.status == 1)
        #expect(w.stderr.contains("wrote 9 findings to baseline known.json"), "\(w.stderr)")
        // Lines inserted before the known events, and one new defect.
        let log = dir.appendingPathComponent("host.log")
        let old = try String(contentsOf: log, encoding: .utf8)
        // (Timestamped after the log's last event: an older one is a timestamp-regression too.)
        let moved = "noise\nmore noise\n" + old + #"{"timestamp": {"seconds": 1748852999, "microseconds": 1}, "event": "SHUTDOWN", "data": {"guest": "yes", "reason": "host-qmp-quit"}}"# + "\n"
        try moved.write(to: log, atomically: true, encoding: .utf8)
        let r = try CLI.run(["--no-config", "--baseline", "known.json", "--format", "csv", "host.log"], cwd: dir)
        #expect(r.stderr.contains("9 findings suppressed"), "\(r.stderr)")
        let rows = r.stdout.split(whereSeparator: \.isNewline).dropFirst()
        #expect(rows.count == 1)
        #expect(rows.first?.contains("host.log,10,") == true, "\(r.stdout)")
        let bad = try CLI.run(["--no-config", "--baseline", "host.log", "host.log"], cwd: dir)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("host.log"))
    }

    @Test(.enabled(if: sharedAvailable, "../shared is absent"))
    func textDocumentationValidatesItsOwnExamples() throws {
        let seed = Self.shared.appendingPathComponent("seed/000_cc39a37603e1c7f3.txt").path
        let r = try CLI.run(["--format", "json", "--schema", seed, seed])
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let summary = json["summary"] as! [String: Any]
        #expect(summary["events"] as? Int == 5)
        #expect(summary["malformed"] as? Int == 0)
        // ACPIOSTInfo is only named there: noted, then resolved with a release.
        #expect(r.stderr.contains("ACPIOSTInfo"), "\(r.stderr)")
        let resolved = try CLI.run(["--format", "json", "--schema", seed, "--qemu-version", "10.2", seed])
        #expect(!resolved.stderr.contains("ACPIOSTInfo"))
        #expect(resolved.stdout.contains("types it names from qemu-10.2.0"))
    }

    @Test(.enabled(if: sharedAvailable, "../shared is absent"))
    func introspectionInAnInputSelectsThatSchema() throws {
        let caps = Self.shared.appendingPathComponent("corpus/transcripts/libvirt-caps/caps_7.2.0_x86_64.replies").path
        let r = try CLI.run(["--format", "json", caps])
        #expect(r.stdout.contains("query-qmp-schema reply in the file"), "\(r.stdout.prefix(600))")
        // As --schema, it checks other inputs.
        let iotests = Self.shared.appendingPathComponent("corpus/transcripts/qemu-iotests").path
        let s = try CLI.run(["--format", "json", "--schema", caps, iotests])
        #expect(s.status == 0 || s.status == 1, "\(s.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as! [String: Any]
        #expect((json["summary"] as! [String: Any])["events"] as? Int == 620)
    }

    @Test func readmeConfigurationExampleIsValid() throws {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```yaml\nqemu-version"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let yaml = String(readme[readme.index(start.lowerBound, offsetBy: 8)..<end.lowerBound])
        let dir = try scratch(["example.yml": yaml])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["config", "--config", "example.yml"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("unexpected-member: error"))
    }
}
