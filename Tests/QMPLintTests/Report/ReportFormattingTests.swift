import Foundation
import Testing

@testable import QMPLint

@Suite struct StableHashTests {
    @Test(arguments: [
        ("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8"),
    ])
    func matchesFNV1a64(_ input: String, _ expected: String) {
        #expect(StableHash.hex(of: input) == expected)
        #expect(StableHash.hex(ofBytes: Array(input.utf8)) == expected)
    }

    @Test func fieldsAreUnambiguous() {
        #expect(StableHash.hex(ofFields: ["ab", "c"]) != StableHash.hex(ofFields: ["a", "bc"]))
        #expect(StableHash.hex(ofFields: ["ab", "c"]).count == 16)
    }
}

@Suite struct JSONEscapingTests {
    @Test func escapesWhatRFC8259Requires() {
        #expect(JSONEscaping.quoted("a\"b\\c/d") == "\"a\\\"b\\\\c/d\"")
        #expect(JSONEscaping.quoted("\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}") == "\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\"")
        #expect(JSONEscaping.quoted("x\u{2028}y\u{2029}z") == "\"x\\u2028y\\u2029z\"")
        #expect(JSONEscaping.quoted("é日本🙂—") == "\"é日本🙂—\"")
    }

    @Test func everyScalarSurvivesAParser() throws {
        var all = ""
        for v in UInt32(0)..<0x300 { all.unicodeScalars.append(Unicode.Scalar(v)!) }
        all += "\u{2028}\u{2029}\u{FFFF}\u{10FFFF}🙂"
        let text = "[" + JSONEscaping.quoted(all) + "]"
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed.map { $0.map { Array($0.unicodeScalars) } } == [Array(all.unicodeScalars)])
    }

    @Test func writerPrettyAndCompact() {
        for pretty in [true, false] {
            var w = ReportJSONWriter(pretty: pretty)
            w.beginObject()
            w.member("a", 1)
            w.key("b")
            w.beginArray()
            w.endArray()
            w.key("c")
            w.beginObject()
            w.endObject()
            w.key("d")
            w.beginArray()
            w.int(1)
            w.null()
            w.endArray()
            w.member("e", nil as String?)
            w.endObject()
            let expected =
                pretty
                ? "{\n  \"a\": 1,\n  \"b\": [],\n  \"c\": {},\n  \"d\": [\n    1,\n    null\n  ],\n  \"e\": null\n}"
                : "{\"a\":1,\"b\":[],\"c\":{},\"d\":[1,null],\"e\":null}"
            #expect(w.output == expected)
        }
    }
}

@Suite struct EventTimeTests {
    @Test(arguments: [
        (Int64(0), Int64(0), "1970-01-01T00:00:00.000000Z"),
        (-1, 0, "1969-12-31T23:59:59.000000Z"),
        (0, -1, "1969-12-31T23:59:59.999999Z"),
        (0, 1_500_000, "1970-01-01T00:00:01.500000Z"),
        (951_782_400, 0, "2000-02-29T00:00:00.000000Z"),
        (1_709_288_573, 12_388, "2024-03-01T10:22:53.012388Z"),
        (4_102_444_799, 999_999, "2099-12-31T23:59:59.999999Z"),
        // Beyond four-digit years (a corrupt timestamp): the nearest displayable time.
        (253_402_300_800, 0, "9999-12-31T23:59:59.999999Z"),
        (-62_167_219_201, 0, "0000-01-01T00:00:00.000000Z"),
        (-62_167_219_200, 5, "0000-01-01T00:00:00.000005Z"),
        (Int64.max, 999_999_999, "9999-12-31T23:59:59.999999Z"),
        (Int64.min, -1, "0000-01-01T00:00:00.000000Z"),
        (-9_223_372_036_854_775_807, 2, "0000-01-01T00:00:00.000000Z"),
    ])
    func formatsUTC(_ seconds: Int64, _ micros: Int64, _ expected: String) {
        #expect(EventTime(seconds: seconds, microseconds: micros).iso8601 == expected)
    }

    @Test func absurdValuesDoNotTrap() {
        _ = EventTime(seconds: .max, microseconds: .max).iso8601
        _ = EventTime(seconds: .min, microseconds: .min).iso8601
    }
}

@Suite struct DisplayTextTests {
    @Test func controlsBecomeVisible() {
        #expect(DisplayText.escaped("\u{1B}[31mred\u{7}\t\r\n") == "\\x1b[31mred\\x07\\t\\r\\n")
        #expect(DisplayText.escaped("\u{9B}2J \u{202E}abc \u{2028}") == "\\u{9b}2J \\u{202e}abc \\u{2028}")
        #expect(DisplayText.escaped("back\\slash é日本") == "back\\slash é日本")
    }

    @Test(
        arguments: [
            ("abc{", 4, 3), ("é{", 3, 1), ("日本{", 7, 4), ("\u{1B}x{", 3, 5), ("\tx", 2, 2), ("ab", 3, 2),
            ("ab", 9, nil),
        ] as [(String, Int, Int?)])
    func caretAlignsWithEscapedText(_ line: String, _ column: Int, _ offset: Int?) {
        #expect(DisplayText.sourceExcerpt(line, column: column).caretOffset == offset)
    }

    @Test func crlfLineEndIsDropped() {
        #expect(DisplayText.sourceExcerpt("{}\r", column: 1).text == "{}")
    }
}

@Suite struct FormatEscapingTests {
    @Test func githubToolkitEscaping() {
        #expect(GitHubActionsReporter.data("50%\r\nx: a, b") == "50%25%0D%0Ax: a, b")
        #expect(GitHubActionsReporter.property("a:b,c%\n") == "a%3Ab%2Cc%25%0A")
        #expect(GitHubActionsReporter.data("\u{1B}[2J") == "\\x1b[2J")
    }

    @Test func uriPathEncoding() {
        #expect(URIText.percentEncodedPath("logs/vm one.log") == "logs/vm%20one.log")
        #expect(URIText.percentEncodedPath("a:b/ü#?%") == "a%3Ab/%C3%BC%23%3F%25")
    }

    @Test func markdownEscaping() {
        #expect(MarkdownReporter.escape("a|b`c<d>&e\r\nf\ng") == "a\\|b\\`c&lt;d&gt;&amp;e<br>f<br>g")
        #expect(MarkdownReporter.escape("*_[x](y)\\") == "\\*\\_\\[x\\](y)\\\\")
    }

    @Test func xmlEscaping() {
        #expect(XMLText.attribute("a\"<&>\n\t\r") == "\"a&quot;&lt;&amp;&gt;&#10;&#9;&#13;\"")
        #expect(XMLText.text("a\"<\n\u{1}") == "a\"&lt;\n\\x01")
    }
}
