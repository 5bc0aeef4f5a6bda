import Testing

@testable import QMPLint

/// A strict RFC 4180 reader, written here independently of the writer, to read reports back.
enum RFC4180 {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var atFieldStart = true
        func endField() {
            record.append(field)
            field = ""
            atFieldStart = true
        }
        while let c = scalars.popFirst() {
            if atFieldStart && c == "\"" {
                atFieldStart = false
                // Quoted field: until a quote not followed by another quote.
                while true {
                    guard let q = scalars.popFirst() else { throw ParseError(description: "unterminated quote") }
                    if q == "\"" {
                        if scalars.first == "\"" {
                            scalars.removeFirst()
                            field.unicodeScalars.append("\"")
                        } else {
                            break
                        }
                    } else {
                        field.unicodeScalars.append(q)
                    }
                }
                guard let next = scalars.first, next == "," || next == "\r" else {
                    throw ParseError(description: "text after closing quote")
                }
                continue
            }
            atFieldStart = false
            switch c {
            case ",":
                endField()
            case "\r":
                guard scalars.popFirst() == "\n" else { throw ParseError(description: "CR without LF") }
                endField()
                records.append(record)
                record = []
            case "\"", "\n":
                throw ParseError(description: "\(c) in an unquoted field")
            default:
                field.unicodeScalars.append(c)
            }
        }
        guard record.isEmpty && field.isEmpty else { throw ParseError(description: "last record without CRLF") }
        return records
    }
}

@Suite struct CSVReporterTests {
    @Test func findingsRoundTrip() throws {
        let report = ReportFixtures.report
        let rows = try RFC4180.parse(CSVReporter.render(report, options: ReportOptions()))
        #expect(rows.first == CSVReporter.findingColumns)
        let expected = report.findings.map { f in
            [
                f.file, String(f.line), String(f.column), String(f.eventLine), f.event ?? "", f.rule,
                f.severity.rawValue, f.message, f.pointer,
            ].map(CSVReporter.neutralised)
        }
        #expect(rows.dropFirst().map { $0.map { Array($0.utf8) } } == expected.map { $0.map { Array($0.utf8) } })
    }

    @Test(arguments: [
        "plain", "", "a,b", "say \"hi\"", "\"", "\"\"", "line1\nline2", "cr\rlf", "crlf\r\n", ",\",\n",
        "trailing space ", " leading", "é日本🙂", "x|<script>", "a\u{2028}b",
    ])
    func fieldRoundTrips(_ value: String) throws {
        var text = ""
        CSVReporter.appendRecord([value, "after"], to: &text)
        let rows = try RFC4180.parse(text)
        #expect(rows.count == 1)
        #expect(rows.first.map { $0.map { Array($0.utf8) } } == [Array(value.utf8), Array("after".utf8)])
    }

    /// Controls a terminal or spreadsheet would act on are escaped; formulas become text (OWASP).
    @Test(arguments: [
        ("\u{1B}[31m", "\\x1b[31m"), ("bell\u{07}bs\u{08}", "bell\\x07bs\\x08"), ("c1\u{9B}", "c1\\u{9b}"),
        ("rlo\u{202E}lri\u{2067}", "rlo\\u{202e}lri\\u{2067}"), ("del\u{7F}", "del\\x7f"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"), ("+1", "'+1"), ("-1+1", "'-1+1"),
        ("  =1", "'  =1"), ("\t=1", "'\t=1"), ("\t", "'\t"), ("\rx", "'\rx"), ("a=1", "a=1"), ("1-2", "1-2"),
    ])
    func fieldIsNeutralised(_ value: String, _ written: String) throws {
        var text = ""
        CSVReporter.appendRecord([value, "after"], to: &text)
        let rows = try RFC4180.parse(text)
        #expect(rows.first.map { $0.map { Array($0.utf8) } } == [Array(written.utf8), Array("after".utf8)])
    }

    @Test func summaryRowsCountEventsByName() throws {
        var options = ReportOptions()
        options.summaryOnly = true
        let rows = try RFC4180.parse(CSVReporter.render(ReportFixtures.report, options: options))
        #expect(rows.first == ["event", "total", "valid", "invalid"])
        #expect(rows.contains(["DEVICE_DELETED", "2", "1", "1"]))
        #expect(rows.contains(["weird|<b>`x`", "1", "0", "1"]))
        #expect(rows.count == ReportFixtures.report.summary.eventsByName.count + 1)
    }
}
