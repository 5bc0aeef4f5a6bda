import Foundation
import Testing

@testable import QMPLint

/// What a run over a fixture log reports, built the way the chunk reader builds it (one event per
/// line starting with `{`, `eventHash` the hash of the event's text) with a fixed checker:
/// every BLOCK_IO_ERROR gets two errors and a note, OLD_EVENT a warning. Kept independent of the
/// JSON parser so the baseline is tested on its own; `Linter.assemble` makes the report.
func baselineReport(_ files: [(fixture: String, displayPath: String)]) throws -> LintReport {
    var results: [FileResult] = []
    for (fixture, display) in files {
        let text = try String(contentsOfFile: TestPaths.fixture("baseline/" + fixture), encoding: .utf8)
        var r = FileResult(path: display)
        r.summary.bytes = text.utf8.count
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        r.summary.lines = lines.count
        for (i, line) in lines.enumerated() where line.hasPrefix("{") {
            guard let range = line.range(of: #""event": "([A-Z_]+)""#, options: .regularExpression) else { continue }
            let name = String(line[range].dropFirst(10).dropLast())
            let hash = StableHash.hex(of: String(line))
            var raw: [(rule: String, severity: Severity, pointer: String)] = []
            switch name {
            case "BLOCK_IO_ERROR":
                raw = [
                    ("missing-member", .error, "/data/operation"), ("missing-member", .error, "/data/action"),
                    ("device-name", .note, "/data/device"),
                ]
            case "OLD_EVENT":
                raw = [("deprecated-event", .warning, "")]
            default:
                break
            }
            r.summary.events += 1
            r.eventsByName[name, default: EventCount()].total += 1
            for f in raw {
                r.findings.append(
                    ReportFinding(
                        file: display, line: i + 1, column: 1, eventLine: i + 1, event: name, rule: f.rule,
                        severity: f.severity, message: "\(f.rule) at \(f.pointer)", pointer: f.pointer, eventHash: hash,
                        sourceLine: String(line)))
                r.findingsByRule[f.rule, default: 0] += 1
                switch f.severity {
                case .error: r.summary.errors += 1
                case .warning: r.summary.warnings += 1
                case .note: r.summary.notes += 1
                }
            }
            if raw.contains(where: { $0.severity == .error }) {
                r.summary.invalidEvents += 1
                r.eventsByName[name, default: EventCount()].invalid += 1
            }
        }
        results.append(r)
    }
    return Linter.assemble(results, schema: SchemaChoice(name: "test", reason: "test"))
}

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-\(UUID().uuidString)-\(name)").path
}

@Suite struct BaselineTests {
    static let updating = ProcessInfo.processInfo.environment["QMPLINT_UPDATE_GOLDEN"] == "1"

    @Test func makeMergesIdenticalFindingsAndMatchesTheGoldenFile() throws {
        let report = try baselineReport([("before.log", "vm.log")])
        #expect(report.findings.count == 7)
        let baseline = Baseline.make(from: report)
        #expect(baseline.entries.count == 4)
        #expect(baseline.findingCount == 7)
        #expect(baseline.entries.map(\.count) == [1, 2, 2, 2])
        #expect(
            baseline.entries.map(\.key.rule) == ["deprecated-event", "device-name", "missing-member", "missing-member"])
        let golden = TestPaths.fixture("baseline/before.baseline.json")
        if Self.updating { try baseline.write(to: golden) }
        #expect(
            baseline.rendered() == (try String(contentsOfFile: golden, encoding: .utf8)),
            "before.baseline.json differs (QMPLINT_UPDATE_GOLDEN=1 to regenerate)")
    }

    @Test func writeThenLoadGivesTheSameBaseline() throws {
        let baseline = Baseline.make(
            from: try baselineReport([("before.log", "vm.log"), ("after-lines-inserted.log", "b/\"odd\" ü.log")]))
        let path = temporaryPath("baseline.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try baseline.write(to: path)
        let loaded = try Baseline.load(path: path)
        #expect(loaded == baseline)
        #expect(loaded.rendered() == baseline.rendered())
    }

    @Test func outputIsByteIdenticalWhateverTheFindingOrder() throws {
        let report = try baselineReport([("before.log", "vm.log"), ("after-lines-inserted.log", "other.log")])
        var shuffled = report
        shuffled.findings.reverse()
        shuffled.findings.swapAt(0, shuffled.findings.count / 2)
        #expect(Baseline.make(from: shuffled).rendered() == Baseline.make(from: report).rendered())
        #expect(Baseline.make(from: report).rendered() == Baseline.make(from: report).rendered())
        // Entries given in any order, some repeated, merge into the same file.
        let baseline = Baseline.make(from: report)
        let split = baseline.entries.reversed().flatMap { e in
            (0..<e.count).map { _ in Baseline.Entry(key: e.key, count: 1) }
        }
        #expect(Baseline(entries: split).rendered() == baseline.rendered())
    }

    @Test func suppressionSurvivesInsertedLinesAndRespectsCounts() throws {
        let baseline = Baseline.make(from: try baselineReport([("before.log", "vm.log")]))
        let after = try baselineReport([("after-lines-inserted.log", "vm.log")])
        #expect(after.findings.count == 13)
        let (filtered, suppressed) = baseline.filter(after)
        #expect(suppressed == 7)
        // Two identical BLOCK_IO_ERROR events were known; the third copy (line 9) and the new one
        // (line 10) remain, wherever the known ones moved to.
        #expect(filtered.findings.map(\.eventLine) == [9, 9, 9, 10, 10, 10])
        #expect(Set(filtered.findings.map(\.event)) == ["BLOCK_IO_ERROR"])

        let s = filtered.summary
        #expect(s.errors == 4)
        #expect(s.warnings == 0)
        #expect(s.notes == 2)
        #expect(s.findingsByRule == ["missing-member": 4, "device-name": 2])
        #expect(s.invalidEvents == 2)
        #expect(s.eventsByName["BLOCK_IO_ERROR"] == EventCount(total: 4, invalid: 2))
        #expect(s.eventsByName["OLD_EVENT"] == EventCount(total: 1, invalid: 0))
        #expect(s.eventsByName["STOP"] == EventCount(total: 1, invalid: 0))
        #expect(s.events == after.summary.events)
        #expect(s.lines == after.summary.lines)
        let file = try #require(filtered.files.first)
        #expect((file.errors, file.warnings, file.notes, file.invalidEvents) == (4, 0, 2, 2))
    }

    @Test func aBaselineOnlyMatchesItsOwnFile() throws {
        let baseline = Baseline.make(from: try baselineReport([("before.log", "vm.log")]))
        let elsewhere = try baselineReport([("before.log", "other.log")])
        let (filtered, suppressed) = baseline.filter(elsewhere)
        #expect(suppressed == 0)
        #expect(filtered == elsewhere)
    }

    @Test func filteringEverythingLeavesACleanReport() throws {
        let report = try baselineReport([("before.log", "vm.log"), ("after-lines-inserted.log", "b.log")])
        let (filtered, suppressed) = Baseline.make(from: report).filter(report)
        #expect(suppressed == report.findings.count)
        #expect(filtered.findings.isEmpty)
        #expect(filtered.summary.errors == 0 && filtered.summary.warnings == 0 && filtered.summary.notes == 0)
        #expect(filtered.summary.invalidEvents == 0)
        #expect(filtered.summary.findingsByRule.isEmpty)
        #expect(filtered.summary.eventsByName.values.allSatisfy { $0.invalid == 0 })
        #expect(filtered.files.allSatisfy { $0.errors == 0 && $0.invalidEvents == 0 })
        #expect(filtered.summary.events == report.summary.events)
    }

    /// The recount agrees with the pipeline's own counts on an unfiltered report.
    @Test func recountMatchesThePipeline() throws {
        let report = try baselineReport([("before.log", "vm.log"), ("after-lines-inserted.log", "b.log")])
        var recounted = report
        Baseline.recount(&recounted)
        #expect(recounted == report)
    }

    @Test func malformedTextIsNotCountedAsAnInvalidEvent() throws {
        let findings = [
            ReportFinding(
                file: "a.log", line: 1, column: 1, eventLine: 1, event: nil, rule: "malformed-json",
                severity: .error, message: "malformed event", pointer: "", eventHash: "1", sourceLine: ""),
            ReportFinding(
                file: "a.log", line: 2, column: 1, eventLine: 2, event: "X", rule: "bad-type",
                severity: .error, message: "m", pointer: "/data", eventHash: "2", sourceLine: ""),
            ReportFinding(
                file: "a.log", line: 3, column: 1, eventLine: 3, event: "X", rule: "bad-type",
                severity: .error, message: "m", pointer: "/data", eventHash: "3", sourceLine: ""),
        ]
        var summary = ReportSummary()
        summary.eventsByName["X"] = EventCount(total: 2, invalid: 2)
        var file = FileSummary(path: "a.log")
        file.errors = 3
        file.invalidEvents = 2
        file.malformed = 1
        summary.errors = 3
        summary.invalidEvents = 2
        summary.malformed = 1
        summary.findingsByRule = ["malformed-json": 1, "bad-type": 2]
        let report = LintReport(
            toolVersion: "t", schema: SchemaChoice(name: "s", reason: "r"), summary: summary,
            files: [file], findings: findings)
        let baseline = Baseline(entries: [Baseline.Entry(key: .init(findings[2]), count: 1)])
        let (filtered, suppressed) = baseline.filter(report)
        #expect(suppressed == 1)
        #expect(filtered.summary.invalidEvents == 1)
        #expect(filtered.summary.eventsByName["X"] == EventCount(total: 2, invalid: 1))
        #expect(filtered.summary.errors == 2)
        #expect(filtered.summary.malformed == 1)
        #expect(filtered.files[0].invalidEvents == 1)
        #expect(filtered.summary.findingsByRule == ["malformed-json": 1, "bad-type": 1])
        // A null event name round-trips.
        let withNull = Baseline.make(from: report)
        #expect(withNull.rendered().contains("\"event\": null"))
        #expect(try Baseline.parse(Data(withNull.rendered().utf8), path: "b") == withNull)
    }
}

@Suite struct BaselineLoadingTests {
    func loadError(_ fixture: String) -> String? {
        do {
            _ = try Baseline.load(path: TestPaths.fixture("baseline/" + fixture))
            return nil
        } catch {
            return error.description.replacingOccurrences(of: TestPaths.fixture("baseline") + "/", with: "")
        }
    }

    func parseError(_ json: String) -> String? {
        do {
            _ = try Baseline.parse(Data(json.utf8), path: "b.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func wrongVersionIsRefused() {
        #expect(
            loadError("wrong-version.baseline.json")
                == "wrong-version.baseline.json: /baselineVersion: baseline version 2 is not supported (this qmp-lint reads version 1)"
        )
    }

    @Test func syntaxErrorHasAPosition() {
        #expect(
            loadError("syntax-error.baseline.json") == "syntax-error.baseline.json:5:48: invalid JSON: expected string key")
        #expect(parseError("") == "b.json:1:1: invalid JSON: the text ends inside a value")
        #expect(
            parseError("{\"baselineVersion\": 1,\n \"entries\": [")
                == "b.json:2:14: invalid JSON: the text ends inside a value")
    }

    @Test func badCountNamesTheEntry() {
        #expect(
            loadError("bad-count.baseline.json")
                == "bad-count.baseline.json: /entries/1/count: 'count' must be an integer of at least 1")
    }

    @Test func missingFileIsAnError() {
        #expect(loadError("no-such.baseline.json") == "no-such.baseline.json: cannot read: No such file or directory")
    }

    @Test(
        arguments: [
            ("[]", "b.json: not a qmp-lint baseline: the top level must be an object"),
            ("{}", "b.json: not a qmp-lint baseline: no 'baselineVersion'"),
            (
                "{\"baselineVersion\": \"1\", \"entries\": []}",
                "b.json: /baselineVersion: 'baselineVersion' must be an integer"
            ),
            (
                "{\"baselineVersion\": true, \"entries\": []}",
                "b.json: /baselineVersion: 'baselineVersion' must be an integer"
            ),
            (
                "{\"baselineVersion\": 1.5, \"entries\": []}",
                "b.json: /baselineVersion: 'baselineVersion' must be an integer"
            ),
            (
                "{\"baselineVersion\": 1, \"tool\": \"other\", \"entries\": []}",
                "b.json: /tool: 'tool' must be \"qmp-lint\""
            ),
            ("{\"baselineVersion\": 1}", "b.json: no 'entries'"),
            ("{\"baselineVersion\": 1, \"entries\": {}}", "b.json: /entries: 'entries' must be an array"),
            ("{\"baselineVersion\": 1, \"entries\": [], \"extra\": 1}", "b.json: /extra: unknown member 'extra'"),
            ("{\"baselineVersion\": 1, \"entries\": [3]}", "b.json: /entries/0: an entry must be an object"),
            (
                "{\"baselineVersion\": 1, \"entries\": [{\"rule\": \"r\", \"event\": null, \"eventHash\": \"h\", \"pointer\": \"\"}]}",
                "b.json: /entries/0: missing 'file'"
            ),
            (
                "{\"baselineVersion\": 1, \"entries\": [{\"file\": 1, \"rule\": \"r\", \"event\": null, \"eventHash\": \"h\", \"pointer\": \"\"}]}",
                "b.json: /entries/0/file: 'file' must be a string"
            ),
            (
                "{\"baselineVersion\": 1, \"entries\": [{\"file\": \"f\", \"rule\": \"r\", \"event\": 2, \"eventHash\": \"h\", \"pointer\": \"\"}]}",
                "b.json: /entries/0/event: 'event' must be a string or null"
            ),
            (
                "{\"baselineVersion\": 1, \"entries\": [{\"file\": \"f\", \"rule\": \"r\", \"event\": \"E\", \"eventHash\": \"h\", \"pointer\": \"\", \"line\": 3}]}",
                "b.json: /entries/0/line: unknown member 'line'"
            ),
            (
                "{\"baselineVersion\": 1, \"entries\": [{\"file\": \"f\", \"rule\": \"r\", \"event\": \"E\", \"eventHash\": \"h\", \"pointer\": \"\", \"count\": 2.0}]}",
                "b.json: /entries/0/count: 'count' must be an integer of at least 1"
            ),
        ] as [(String, String?)])
    func malformedBaselineIsExplained(_ json: String, _ expected: String?) {
        #expect(parseError(json) == expected)
    }

    @Test func countDefaultsToOneAndRepeatsMerge() throws {
        let json = """
            {"baselineVersion": 1, "entries": [
              {"file": "f", "rule": "r", "event": "E", "eventHash": "h", "pointer": "/a"},
              {"file": "f", "rule": "r", "event": "E", "eventHash": "h", "pointer": "/a", "count": 2}
            ]}
            """
        let b = try Baseline.parse(Data(json.utf8), path: "b.json")
        #expect(b.entries.count == 1)
        #expect(b.entries[0].count == 3)
    }

    @Test func emptyBaselineRendersAnEmptyList() throws {
        let empty = Baseline(entries: [])
        #expect(empty.rendered() == "{\n  \"baselineVersion\": 1,\n  \"tool\": \"qmp-lint\",\n  \"entries\": []\n}\n")
        #expect(try Baseline.parse(Data(empty.rendered().utf8), path: "e") == empty)
    }
}
