import Foundation
import Testing

@testable import QMPLint

/// One golden file: a format, the report and options it renders, and the file it must equal.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    enum Fixture: Sendable { case full, clean, empty, warningsAndAbove }
    var name: String
    var format: String
    var fixture: Fixture
    var options: ReportOptions

    var testDescription: String { name }

    var report: LintReport {
        switch fixture {
        case .full: ReportFixtures.report
        case .clean: ReportFixtures.cleanReport
        case .empty: ReportFixtures.emptyReport
        case .warningsAndAbove: ReportFixtures.report.showing(minimum: .warning) { _ in .note }.report
        }
    }

    var reporter: any Reporter.Type { Reporters.named(format)! }
    var fileName: String { "\(name).\(reporter.fileExtension)" }
    var url: URL { ReportPaths.golden.appendingPathComponent(fileName) }
    func render() -> String { reporter.render(report, options: options) }

    static var all: [GoldenCase] {
        let options = ReportFixtures.options
        var cases = Reporters.identifiers.map { GoldenCase(name: $0, format: $0, fixture: .full, options: options) }
        cases += Reporters.identifiers.map {
            GoldenCase(name: "\($0)-clean", format: $0, fixture: .clean, options: options)
        }
        cases += Reporters.identifiers.map {
            GoldenCase(name: "\($0)-empty", format: $0, fixture: .empty, options: options)
        }
        var color = options
        color.color = true
        var quiet = options
        quiet.quiet = true
        var summary = options
        summary.summaryOnly = true
        var notesSummarised = options
        notesSummarised.listNotes = false
        var wide = options
        wide.width = 120
        var warnings = options
        warnings.minimumSeverity = .warning
        cases += [
            GoldenCase(name: "text-color", format: "text", fixture: .full, options: color),
            GoldenCase(name: "text-quiet", format: "text", fixture: .full, options: quiet),
            GoldenCase(name: "text-summary", format: "text", fixture: .full, options: summary),
            GoldenCase(name: "csv-summary", format: "csv", fixture: .full, options: summary),
            GoldenCase(name: "markdown-summary", format: "markdown", fixture: .full, options: summary),
            // The CLI's default: notes counted per rule, not listed.
            GoldenCase(name: "text-notes-summarised", format: "text", fixture: .full, options: notesSummarised),
            GoldenCase(name: "text-wide", format: "text", fixture: .full, options: wide),
            // --min-severity warning: notes left out of the report and of its totals.
            GoldenCase(name: "text-warnings", format: "text", fixture: .warningsAndAbove, options: warnings),
            GoldenCase(name: "github-warnings", format: "github", fixture: .warningsAndAbove, options: warnings),
        ]
        return cases
    }
}

/// Golden files under Fixtures/report/golden; `QMPLINT_UPDATE_GOLDEN=1` rewrites them.
@Suite struct GoldenReportTests {
    static let updating = ProcessInfo.processInfo.environment["QMPLINT_UPDATE_GOLDEN"] == "1"

    @Test(arguments: GoldenCase.all)
    func matchesGoldenFile(_ golden: GoldenCase) throws {
        let rendered = golden.render()
        if Self.updating {
            try FileManager.default.createDirectory(at: ReportPaths.golden, withIntermediateDirectories: true)
            try Data(rendered.utf8).write(to: golden.url)
            return
        }
        let expected = try Data(contentsOf: golden.url)
        let same = Array(rendered.utf8) == Array(expected)
        #expect(
            same,
            "\(golden.fileName) differs (QMPLINT_UPDATE_GOLDEN=1 to regenerate): \(firstDifference(rendered, expected))"
        )
    }

    @Test(arguments: GoldenCase.all)
    func isDeterministic(_ golden: GoldenCase) {
        // Rebuild the report each time, so dictionaries are rehashed with fresh seeds.
        #expect(Array(golden.render().utf8) == Array(golden.render().utf8))
    }

    @Test(arguments: GoldenCase.all)
    func endsWithNewline(_ golden: GoldenCase) {
        let text = golden.render()
        #expect(text.isEmpty || text.utf8.last == UInt8(ascii: "\n"))
    }

    private func firstDifference(_ rendered: String, _ expected: Data) -> String {
        let a = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "<end>"
            let y = i < b.count ? String(b[i]) : "<end>"
            if Array(x.utf8) != Array(y.utf8) {
                return "line \(i + 1): got \(x.debugDescription), want \(y.debugDescription)"
            }
        }
        return "same lines, different bytes"
    }
}
