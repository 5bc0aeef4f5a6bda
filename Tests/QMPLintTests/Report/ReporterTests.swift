import Foundation
import Testing

@testable import QMPLint

@Suite struct ReporterRegistryTests {
    @Test func identifiersAreUniqueAndFindable() {
        #expect(Set(Reporters.identifiers).count == Reporters.all.count)
        for reporter in Reporters.all {
            #expect(Reporters.named(reporter.identifier).map(ObjectIdentifier.init) == ObjectIdentifier(reporter))
            #expect(reporter.identifier == reporter.identifier.lowercased())
            #expect(!reporter.description.isEmpty)
        }
        #expect(Reporters.named("nope") == nil)
        #expect(ObjectIdentifier(Reporters.default) == ObjectIdentifier(TextReporter.self))
        #expect(
            Reporters.identifiers == [
                "text", "json", "jsonl", "csv", "sarif", "junit", "github", "gitlab", "markdown", "timeline", "html",
            ])
    }
}

@Suite struct ReporterBehaviourTests {
    let report = ReportFixtures.report
    let options = ReportFixtures.options

    @Test func plainTextCarriesNoControlCharacters() {
        for options in [options, ReportOptions(quiet: true), ReportOptions(summaryOnly: true)] {
            let text = TextReporter.render(report, options: options)
            #expect(
                !text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) })
        }
        for format in ["github", "markdown", "timeline", "html"] {
            let text = Reporters.named(format)!.render(report, options: options)
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(format)")
        }
    }

    @Test func colourUsesOnlyItsOwnEscapes() {
        var options = options
        options.color = true
        var text = TextReporter.render(report, options: options)
        #expect(text.contains("\u{1B}[1;31merror\u{1B}[0m"))
        for sgr in ["\u{1B}[1m", "\u{1B}[0m", "\u{1B}[1;31m", "\u{1B}[1;33m", "\u{1B}[1;36m"] {
            text = text.replacingOccurrences(of: sgr, with: "")
        }
        #expect(!text.contains("\u{1B}"))
    }

    @Test func quietIsSilentWhenClean() {
        #expect(TextReporter.render(ReportFixtures.cleanReport, options: ReportOptions(quiet: true)).isEmpty)
    }

    @Test func jsonLinesStreamMatchesRender() {
        var streamed = ""
        for f in report.findings { streamed += JSONLReporter.line(for: f, url: options.ruleURL(f.rule)) }
        streamed += JSONLReporter.summaryLine(for: report.summary)
        #expect(streamed == JSONLReporter.render(report, options: options))
        #expect(streamed.split(separator: "\n").count == report.findings.count + 1)
    }

    @Test func jsonReportReadsBack() throws {
        let data = Data(JSONReporter.render(report, options: options).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == report.findings.count)
        #expect(findings.map { $0["message"] as? String } == report.findings.map(\.message))
        let summary = try #require(object["summary"] as? [String: Any])
        #expect((summary["eventsByName"] as? [String: Int])?["DEVICE_DELETED"] == 2)
        #expect((summary["invalidByName"] as? [String: Int])?["DEVICE_DELETED"] == 1)
    }

    @Test func sarifIndexesAreConsistent() throws {
        let data = Data(SARIFReporter.render(report, options: options).utf8)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(
            ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == report.findings.count)
        var fingerprints = Set<String>()
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
            let location = try #require(
                ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?[
                    "artifactLocation"] as? [String: Any])
            let artifact = try #require(location["index"] as? Int)
            #expect(
                (artifacts[artifact]["location"] as? [String: Any])?["uri"] as? String == location["uri"] as? String)
            fingerprints.insert(
                try #require((result["partialFingerprints"] as? [String: String])?["qmpLintEventHash/v1"]))
        }
        #expect(fingerprints.count == results.count)
        // Every rule a finding names is described, catalogue rules first.
        #expect(Set(rules.compactMap { $0["id"] as? String }).isSuperset(of: report.findings.map(\.rule)))
        #expect(rules.first?["id"] as? String == "missing-member")
    }

    @Test func sarifColumnsCountCodePoints() {
        let line = "é日{x"
        let f = ReportFinding(
            file: "f", line: 1, column: 6, eventLine: 1, event: nil, rule: "r", severity: .note,
            message: "", pointer: "", eventHash: "", sourceLine: line)
        #expect(SARIFReporter.codePointColumn(f) == 3)
        var trimmed = f
        trimmed.column = 99
        #expect(SARIFReporter.codePointColumn(trimmed) == 99)
    }

    @Test func sarifFingerprintsAreStableAcrossLineMoves() {
        var moved = report
        moved.findings = moved.findings.map {
            var f = $0
            f.line += 10
            f.eventLine += 10
            return f
        }
        let fingerprints = { (r: LintReport) in
            SARIFReporter.render(r, options: options).split(separator: "\n").filter { $0.contains("qmpLintEventHash") }
        }
        #expect(fingerprints(report) == fingerprints(moved))
    }

    @Test func gitlabFingerprintsAreUniqueAndSeveritiesMapped() throws {
        let data = Data(GitLabCodeQualityReporter.render(report, options: options).utf8)
        let issues = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(issues.count == report.findings.count + report.summary.unreadableFiles)
        #expect(Set(issues.compactMap { $0["fingerprint"] as? String }).count == issues.count)
        #expect(Set(issues.compactMap { $0["severity"] as? String }) == ["major", "minor", "info"])
    }

    @Test func junitTestCaseNamesAreUniquePerSuite() {
        let xml = JUnitReporter.render(report, options: options)
        for suite in xml.components(separatedBy: "<testsuite ").dropFirst() {
            let names = suite.components(separatedBy: "<testcase name=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(Set(names).count == names.count)
        }
        #expect(xml.contains("failures=\"7\" errors=\"1\""))
    }

    @Test func markdownCapsTheFindingList() {
        var options = options
        options.markdownFindingLimit = 2
        let md = MarkdownReporter.render(report, options: options)
        #expect(md.contains("And \(report.findings.count - 2) more findings."))
        #expect(md.components(separatedBy: "\n- ").count == 3)
        options.markdownFindingLimit = 100
        let all = MarkdownReporter.render(report, options: options)
        #expect(all.components(separatedBy: "\n- ").count == report.findings.count + 1)
        #expect(!all.contains("<script>") && all.contains("&lt;script&gt;"))
        #expect(!all.contains("more findings"))
    }
}

@Suite struct RuleCatalogRendererTests {
    static let rules =
        ReportFixtures.rules + [
            RuleDescription(
                id: "odd-example", severity: .note, description: "Examples with ``` fences | pipes.",
                rationale: "", triggering: ["line one\nline \"two\" with \\n and ````"], nonTriggering: [])
        ]

    @Test(arguments: ["text", "text-verbose", "markdown", "json"])
    func matchesGoldenFile(_ variant: String) throws {
        let rendered: String
        let ext: String
        switch variant {
        case "text":
            rendered = RuleCatalogRenderer.text(Self.rules)
            ext = "txt"
        case "text-verbose":
            rendered = RuleCatalogRenderer.text(Self.rules, verbose: true)
            ext = "txt"
        case "markdown":
            rendered = RuleCatalogRenderer.markdown(Self.rules)
            ext = "md"
        default:
            rendered = RuleCatalogRenderer.json(Self.rules)
            ext = "json"
        }
        let url = ReportPaths.golden.appendingPathComponent("rules-\(variant).\(ext)")
        if GoldenReportTests.updating {
            try Data(rendered.utf8).write(to: url)
            return
        }
        #expect(Array(rendered.utf8) == Array(try Data(contentsOf: url)), "\(url.lastPathComponent) differs")
    }

    @Test func markdownFenceOutgrowsBackticksInside() {
        let md = RuleCatalogRenderer.markdown(Self.rules)
        #expect(md.contains("`````\nline one\nline \"two\" with \\n and ````\n`````"))
    }

    @Test func jsonReadsBack() throws {
        let data = Data(RuleCatalogRenderer.json(Self.rules).utf8)
        let rules = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == Self.rules.map(\.id))
        #expect((rules.last?["triggering"] as? [String]) == Self.rules.last?.triggering)
    }
}
