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

    /// The message counts, markers, command counts, dialects, inferred releases and finding
    /// kinds of the golden fixtures survive a JSON round trip.
    @Test(arguments: ["full", "clean", "empty", "kinds"])
    func newFieldsRoundTrip(_ which: String) throws {
        let report = [
            "full": ReportFixtures.report, "clean": ReportFixtures.cleanReport, "empty": ReportFixtures.emptyReport,
            "kinds": ReportFixtures.kindsReport,
        ][which]!
        let text = JSONReporter.render(report, options: ReportOptions())
        let back = try ReportMerging.read(Array(text.utf8), path: "\(which).json")
        #expect(back.summary == report.summary)
        #expect(back.files.map(\.versions) == report.files.map(\.versions))
        #expect(back.files.map(\.markers) == report.files.map(\.markers))
        #expect(back.files.map(\.dialects) == report.files.map(\.dialects))
        #expect(back.files.map(\.commandsByName) == report.files.map(\.commandsByName))
        #expect(back.files.map { [$0.commands, $0.replies, $0.errorReplies, $0.greetings, $0.echoes] }
                    == report.files.map { [$0.commands, $0.replies, $0.errorReplies, $0.greetings, $0.echoes] })
        #expect(back.findings.map(\.kind) == report.findings.map(\.kind))
        #expect(JSONReporter.render(back, options: ReportOptions()) == text)
    }

    /// Totals add through `ReportSummary.add`: counts, markers and per-command counts sum; each
    /// file keeps its own.
    @Test func mergeAddsTheNewCounts() {
        func part(_ path: String, commands: Int, device: CommandCount, markers: (Int, Int), version: String)
            -> LintReport
        {
            var f = FileSummary(path: path)
            f.commands = commands; f.replies = commands; f.errorReplies = device.errors; f.greetings = 1; f.echoes = 2
            f.commandsByName = ["device_del": device, "qmp_capabilities": CommandCount(total: commands - device.total)]
            f.markers.events = markers.0; f.markers.unparsed = markers.1
            f.dialects = ["libvirt-monitor": commands * 2 + 1]
            f.versions = [StreamVersion(stream: "mon=0x1", fits: [version], chosen: version, evidence: nil, weighed: 3,
                                        misfits: 0)]
            var s = ReportSummary()
            s.add(f, eventsByName: [:], findingsByRule: [:])
            return LintReport(
                toolVersion: "", schema: ReportFixtures.defaultSchema, summary: s, files: [f], findings: [])
        }
        let a = part("a.log", commands: 3, device: CommandCount(total: 2, errors: 1, invalid: 0), markers: (5, 1),
                     version: "7.2.0")
        let b = part("b.log", commands: 4, device: CommandCount(total: 1, errors: 0, invalid: 1), markers: (2, 0),
                     version: "8.2.0-10.2.0")
        let m = ReportMerging.merge([b, a])
        #expect(m.summary.files == 2)
        #expect(m.summary.commands == 7 && m.summary.replies == 7 && m.summary.errorReplies == 1)
        #expect(m.summary.greetings == 2 && m.summary.echoes == 4)
        #expect(m.summary.commandsByName["device_del"] == CommandCount(total: 3, errors: 1, invalid: 1))
        #expect(m.summary.commandsByName["qmp_capabilities"] == CommandCount(total: 4))
        #expect(m.summary.markers.events == 7 && m.summary.markers.unparsed == 1 && m.summary.markers.total == 8)
        #expect(m.files.map(\.path) == ["a.log", "b.log"])
        #expect(m.files.map { $0.versions.map(\.chosen) } == [["7.2.0"], ["8.2.0-10.2.0"]])
        #expect(m.files.map(\.dialects) == [["libvirt-monitor": 7], ["libvirt-monitor": 9]])
        // The same files summed as one run sums them.
        var run = ReportSummary()
        for f in [a, b].flatMap(\.files) { run.add(f, eventsByName: [:], findingsByRule: [:]) }
        #expect(m.summary == run)
    }

    /// A count of the new members that would overflow, or is not a count, is refused like the others.
    @Test func newCountsAreChecked() throws {
        var big = ReportFixtures.cleanReport
        big.summary.commandsByName = ["device_del": CommandCount(total: Int.max)]
        var one = ReportFixtures.cleanReport
        one.files = [FileSummary(path: "other.log")]
        one.summary.commandsByName = ["device_del": CommandCount(total: 1)]
        #expect { try ReportMerging.checkTotals([big, one], paths: ["big.json", "one.json"]) } throws: { e in
            "\(e)".hasPrefix("one.json: summary count commandsByName device_del count")
        }
        big.summary.commandsByName = [:]
        big.summary.markers.notEvents = Int.max
        one.summary.markers.notEvents = 1
        #expect { try ReportMerging.checkTotals([big, one], paths: ["big.json", "one.json"]) } throws: { e in
            "\(e)".contains("markers notEvents")
        }
        let text = JSONReporter.render(ReportFixtures.report, options: ReportOptions())
        for (from, to, words) in [
            ("\"replies\": 5", "\"replies\": -5", "replies is -5"),
            ("\"notEvents\": 3", "\"notEvents\": 1e999", "notEvents is 1e999"),
            ("\"kind\": \"event\"", "\"kind\": \"evnt\"", "kind is \"evnt\""),
        ] {
            let bad = text.replacingOccurrences(of: from, with: to)
            #expect(bad != text)
            #expect { _ = try ReportMerging.read(Array(bad.utf8), path: "bad.json") } throws: { e in
                "\(e)".contains(words)
            }
        }
    }

    /// A report written before the new members existed (same reportVersion) is read with them as 0.
    @Test func reportsWithoutTheNewMembersReadAsZero() throws {
        let old = """
            {"reportVersion": 1, "tool": {"name": "qmp-lint", "version": "0.1"}, "schema": null,
             "summary": {"files": 1, "events": 2, "eventsByName": {"STOP": 2}},
             "files": [{"path": "a.log", "events": 2, "schema": null, "readError": null}],
             "findings": [{"file": "a.log", "line": 1, "column": 1, "eventLine": 1, "event": "STOP",
                           "rule": "missing-timestamp", "severity": "error", "message": "m", "pointer": ""}]}
            """
        let r = try ReportMerging.read(Array(old.utf8), path: "old.json")
        #expect(r.summary.events == 2 && r.summary.commands == 0 && r.summary.markers == MarkerCounts())
        #expect(r.files[0].versions.isEmpty && r.files[0].dialects.isEmpty && r.files[0].commandsByName.isEmpty)
        #expect(r.findings[0].kind == nil)
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
