import Foundation
import Testing
@testable import QMPLint

/// Merging the JSON reports of groups of files equals the report of all files in one run.
@Suite struct MergeTests {
    static func jsonReport(_ paths: [String], dir: URL, name: String) throws -> (String, URL) {
        var s = LintSettings()
        s.paths = paths
        s.format = .json
        s.progress = false
        let out = dir.appendingPathComponent(name)
        s.output = out.path
        _ = LintRunner.runWritingFiles(s)
        return (try String(contentsOf: out, encoding: .utf8), out)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func mergeOfRandomGroupsEqualsOneRun(seed: UInt64) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-merge-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var files = try FileManager.default.subpathsOfDirectory(atPath: TestPaths.fixtures.path)
            .filter { $0.hasSuffix(".log") || $0.hasSuffix(".out") || $0.hasSuffix(".txt") }
            .map { TestPaths.fixtures.appendingPathComponent($0).path }
        if TestPaths.sharedAvailable {
            let pages = TestPaths.shared.appendingPathComponent("corpus/transcripts/pages")
            files += try FileManager.default.contentsOfDirectory(atPath: pages.path).map { pages.appendingPathComponent($0).path }
        }
        files.append(dir.appendingPathComponent("missing.log").path)  // unreadable: counted once, wherever it lands
        var rng = SplitMix(seed: seed)
        let groupCount = 1 + Int(rng.next() % 4)
        var groups = Array(repeating: [String](), count: groupCount)
        for f in files { groups[Int(rng.next() % UInt64(groupCount))].append(f) }
        let (whole, _) = try Self.jsonReport(files, dir: dir, name: "all.json")
        var parts: [LintReport] = []
        for (i, g) in groups.enumerated() where !g.isEmpty {
            let (_, url) = try Self.jsonReport(g, dir: dir, name: "part\(i).json")
            parts.append(try ReportMerging.read(Array(try Data(contentsOf: url)), path: url.path))
        }
        let merged = JSONReporter.render(
            ReportMerging.merge(parts), options: ReportOptions(rules: RuleCatalog.all, ruleDocs: .standard))
        #expect(merged == whole)
    }

    /// Every field of the JSON report survives reading it back: streams, per-file schemas, read
    /// errors, first and last event times, event hashes.
    @Test func jsonReportRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = [TestPaths.fixture("streams"), TestPaths.fixture("examples"), TestPaths.fixture("cli"),
                      dir.appendingPathComponent("missing.log").path]
        let (text, url) = try Self.jsonReport(inputs, dir: dir, name: "r.json")
        let report = try ReportMerging.read(Array(try Data(contentsOf: url)), path: url.path)
        #expect(report.findings.contains { $0.stream != nil })
        #expect(report.findings.allSatisfy { !$0.eventHash.isEmpty })
        #expect(report.files.contains { $0.readError != nil })
        #expect(report.files.allSatisfy { $0.schema != nil })
        #expect(report.summary.firstEvent != nil && report.summary.lastEvent != nil)
        #expect(JSONReporter.render(report, options: ReportOptions(rules: RuleCatalog.all, ruleDocs: .standard)) == text)
    }

    /// Two files holding the same query-qmp-schema reply each name the schema after themselves
    /// (so a file's report does not depend on which other files share its run).
    @Test func identicalIntrospectionRepliesNameTheirOwnFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-replies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reply = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("schema-readers/introspection-transcript.replies"))
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        for name in ["a.replies", "b.replies", "c.replies"] { try reply.write(to: logs.appendingPathComponent(name)) }
        let (_, url) = try Self.jsonReport([logs.path], dir: dir, name: "r.json")
        let report = try ReportMerging.read(Array(try Data(contentsOf: url)), path: url.path)
        let replies = report.files.filter { $0.path.hasSuffix(".replies") }
        #expect(replies.count == 3)
        for f in replies { #expect(f.schema?.name == "query-qmp-schema of \(f.path)") }
    }

    @Test func overlappingReportsAreFound() throws {
        func part(_ paths: [String]) -> LintReport {
            LintReport(toolVersion: "", schema: SchemaChoice(name: "", reason: ""), summary: ReportSummary(),
                       files: paths.map { FileSummary(path: $0) }, findings: [])
        }
        try ReportMerging.checkDisjoint([part(["a.log", "b.log"]), part(["c.log"])], paths: ["1.json", "2.json"])
        // One run naming a file twice is not an overlap between reports.
        try ReportMerging.checkDisjoint([part(["a.log", "a.log"])], paths: ["1.json"])
        #expect {
            try ReportMerging.checkDisjoint([part(["a.log", "b.log"]), part(["c.log", "b.log"])], paths: ["1.json", "2.json"])
        } throws: { error in
            "\(error)".hasPrefix("b.log is in both 1.json and 2.json")
        }
    }

    @Test func timesRoundTrip() {
        for t in [EventTime(seconds: 0, microseconds: 0), EventTime(seconds: 1_748_852_043, microseconds: 101_233),
                  EventTime(seconds: 951_782_400, microseconds: 999_999)] {
            #expect(EventTime(iso8601: t.iso8601) == t)
        }
    }

    @Test func notAReportIsAnError() {
        #expect(throws: ReportMerging.ReadError.self) { _ = try ReportMerging.read(Array("[1]".utf8), path: "x.json") }
        #expect(throws: ReportMerging.ReadError.self) { _ = try ReportMerging.read(Array("{".utf8), path: "x.json") }
    }
}
