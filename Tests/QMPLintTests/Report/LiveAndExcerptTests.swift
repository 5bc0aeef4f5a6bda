import Foundation
import Testing

@testable import QMPLint

/// The seams a live run uses: a live format's output is its pieces, one event at a time.
@Suite struct LiveReporterTests {
    static let formats: [any LiveReporter.Type] = [TextReporter.self, JSONLReporter.self, GitHubActionsReporter.self]

    /// What a live run prints (pieces in arrival order) is what `write` prints for the same report.
    @Test func livePiecesMakeTheWholeReport() {
        let report = ReportFixtures.report
        for options in [ReportFixtures.options, ReportOptions(listNotes: false), ReportOptions(quiet: true)] {
            for format in Self.formats {
                var live = ""
                for group in report.findingsByFile {
                    if let s = group.summary { live += format.liveInput(s, options: options) }
                    let findings = group.findings[...]
                    for range in ReportFinding.eventGroups(findings) {
                        live += format.liveFindings(findings[range], options: options)
                    }
                }
                live += format.liveEnd(report, options: options)
                #expect(live == format.render(report, options: options), "\(format.identifier)")
            }
        }
    }

    @Test func eventGroupsKeepOneEventsFindingsTogether() {
        let findings = ReportFixtures.report.findings
        let groups = ReportFinding.eventGroups(findings[...])
        #expect(groups.map(\.count).reduce(0, +) == findings.count)
        for g in groups {
            #expect(findings[g].allSatisfy { ReportFinding.sameEvent($0, findings[g.lowerBound]) })
        }
        // The two duplicate-key findings of line 9 are one event's.
        #expect(groups.contains { findings[$0].filter { $0.rule == "duplicate-key" }.count == 2 })
    }

    @Test func sourceLinesAreKeptForTheFormatsThatShowThem() {
        #expect(
            ReportFormat.allCases.filter { $0.reporter.needsSourceLines } == [.text, .sarif, .junit, .html])
    }

    @Test func formatsAreOneEnum() {
        #expect(ReportFormat.allCases.map(\.rawValue) == Reporters.identifiers)
        for f in ReportFormat.allCases { #expect(f.reporter.identifier == f.rawValue) }
        if case .failure(let e) = ReportFormat.parse("jsonn") {
            #expect(e.description.hasPrefix("unknown format 'jsonn' (did you mean 'json'?)"))
        } else {
            Issue.record("jsonn parsed")
        }
    }
}

/// Windows of long lines around the findings' columns.
@Suite struct SourceExcerptTests {
    /// Display columns of a row (all test text is one column per scalar but the CJK).
    static func width(_ s: String) -> Int { TextReporter.displayWidth(s) }

    @Test func shortLinesAreShownWhole() {
        let e = SourceExcerpt("{\"event\": \"STOP\"}", cutBefore: false, cutAfter: false)
        let rows = e.rows(carets: [(10, "^")], width: 80)
        #expect(rows.count == 1)
        #expect(rows[0].text == "{\"event\": \"STOP\"}")
        #expect(rows[0].marks == String(repeating: " ", count: 10) + "^")
    }

    @Test(arguments: [20, 41, 80, 120])
    func longLinesFitWithTheCaretUnderTheColumn(width: Int) {
        let line = String(repeating: "a", count: 3000) + "TARGET" + String(repeating: "b", count: 3000)
        let e = SourceExcerpt(line, cutBefore: false, cutAfter: false)
        let column = e.column(ofByte: 3000)!
        let rows = e.rows(carets: [(column, "^")], width: width)
        #expect(rows.count == 1)
        let text = Array(rows[0].text.unicodeScalars)
        #expect(text.count == width)
        #expect(text.first == "…" && text.last == "…")
        let at = rows[0].marks.unicodeScalars.count - 1
        #expect(String(String.UnicodeScalarView(text[at..<at + 6])) == "TARGET")
    }

    @Test func escapesAndWideCharactersAreNeverCut() {
        let line = String(repeating: "日本", count: 100) + "\u{1B}[2J" + String(repeating: "x", count: 300)
        let e = SourceExcerpt(line, cutBefore: false, cutAfter: false)
        let target = e.column(ofByte: 600)!  // the ESC
        let rows = e.rows(carets: [(target, "^")], width: 41)
        #expect(Self.width(rows[0].text) <= 41)
        #expect(rows[0].text.contains("\\x1b[2J"))
        let at = rows[0].marks.unicodeScalars.count - 1
        let prefix = String(String.UnicodeScalarView(rows[0].text.unicodeScalars.prefix(while: { _ in true })))
        // The caret's column, counted in display columns, is the escape's first column.
        var columns = 0
        var found = false
        for scalar in prefix.unicodeScalars {
            if columns == at {
                found = scalar == "\\"
                break
            }
            columns += DisplayText.width(of: scalar)
        }
        #expect(found)
    }

    @Test func caretsTooFarApartGetTheirOwnRows() {
        let line = String(repeating: "x", count: 500)
        let e = SourceExcerpt(line, cutBefore: false, cutAfter: false)
        let rows = e.rows(carets: [(10, "^"), (12, "^"), (400, "^")], width: 80)
        #expect(rows.count == 2)
        #expect(rows[0].marks.filter { $0 == "^" }.count == 2)
        #expect(rows[1].marks.filter { $0 == "^" }.count == 1)
    }

    @Test func aWindowOfALineIsMarkedAsCut() {
        let e = SourceExcerpt("middle of a line", cutBefore: true, cutAfter: true)
        #expect(e.rows(carets: [(0, "^")], width: 80)[0].text == "…middle of a line…")
        #expect(e.rows(carets: [(0, "^")], width: 80)[0].marks == " ^")
    }
}

/// The text kept of a finding's line: whole when short, a window of a long line.
@Suite struct SourceLineCaptureTests {
    static func capture(_ text: String, at offset: Int) -> SourceLineCapture.Excerpt {
        var c = SourceLineCapture()
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { c.excerpt($0, at: offset) }
    }

    @Test func shortLineIsKeptWhole() {
        let x = Self.capture("first\r\nsecond line\r\nthird\n", at: 10)
        #expect(x.text == "second line")
        #expect(x.lineStart == 7 && x.start == 1 && !x.truncated)
    }

    @Test func longLineKeepsAWindowOnWholeCharacters() {
        let line = String(repeating: "é", count: 3000)  // two bytes each
        for offset in [0, 1, 2999, 3001, 5999] {
            let x = Self.capture(line + "\n", at: offset)
            #expect(x.text.utf8.count <= 2 * SourceLineCapture.margin)
            #expect(!x.text.contains("\u{FFFD}"), "offset \(offset)")
            #expect(x.start >= 1 && (x.start - 1) % 2 == 0)
            #expect(offset >= x.start - 1 && offset <= x.start - 1 + x.text.utf8.count)
            #expect(x.truncated == (x.start - 1 + x.text.utf8.count < line.utf8.count))
        }
    }

    @Test func findingsAlongALongLineGetTheirOwnWindows() {
        let line = Array((String(repeating: "a", count: 5000) + "\n").utf8)
        var c = SourceLineCapture()
        line.withUnsafeBytes { buffer in
            let a = c.excerpt(buffer, at: 100)
            let b = c.excerpt(buffer, at: 150)  // well inside the first window: shared
            let z = c.excerpt(buffer, at: 4900)
            #expect(a.start == b.start)
            #expect(z.start > a.start && 4900 - (z.start - 1) < z.text.utf8.count)
        }
    }
}

/// `--min-severity`: what the reports show.
@Suite struct SeverityThresholdTests {
    @Test func findingsAndTheirCountsBelowTheMinimumAreLeftOut() {
        let report = ReportFixtures.report
        let (shown, hidden) = report.showing(minimum: .warning) { _ in .note }
        #expect(hidden == report.summary.notes)
        #expect(shown.findings.allSatisfy { $0.severity >= .warning })
        #expect(shown.summary.notes == 0 && shown.files.allSatisfy { $0.notes == 0 })
        #expect(shown.summary.errors == report.summary.errors && shown.summary.warnings == report.summary.warnings)
        #expect(shown.summary.findingsByRule["timestamp-order"] == nil)
        let (errors, h2) = report.showing(minimum: .error) { _ in .warning }
        #expect(h2 == report.summary.notes + report.summary.warnings)
        #expect(errors.findings.allSatisfy { $0.severity == .error })
        #expect(report.showing(minimum: .note) { _ in .note }.report == report)
    }

    @Test func failLevels() {
        #expect(LintSettings.FailLevel.error.fails(.error) && !LintSettings.FailLevel.error.fails(.warning))
        #expect(LintSettings.FailLevel.warning.fails(.warning) && !LintSettings.FailLevel.warning.fails(.note))
        #expect(!LintSettings.FailLevel.never.fails(.error))
        var s = LintSettings()
        s.strict = true
        #expect(s.failOn == .warning)
    }

    @Test(arguments: [
        ("8.2", "8.2.0"), ("8.2.1", "8.2.0"), ("9.1", "8.2.0"), ("10.2.50", "10.2.50"), ("99.0", "10.2.50"),
    ])
    func versionsResolveToTheNearestRelease(_ text: String, _ release: String) throws {
        #expect(try QEMUVersionRequest.resolve(text).get() == release)
    }

    @Test(arguments: ["8", "banana", "1.0", "8.", ".2", "8.2.3.4", "-1.0", ""])
    func badVersionsSayWhatIsWrong(_ text: String) {
        guard case .failure(let p) = QEMUVersionRequest.resolve(text) else {
            Issue.record("\(text) resolved")
            return
        }
        #expect(p.description.contains("'\(text)'") || p.description.contains("QEMU \(text)"))
    }
}
