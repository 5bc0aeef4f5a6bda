import Testing
@testable import QMPLint

struct JSONParserTapeTests {
    @Test func objectLayoutAndOffsets() {
        let text = #"{"a": [1, true], "b": null}"#
        let p = ParsedJSON(text)
        #expect(p.end == text.utf8.count)
        #expect(p.kinds == [.object, .string, .array, .integer, .bool, .string, .null])
        let t = p.tape
        #expect(t[0].count == 2 && t[0].next == 7 && t[0].start == 0 && t[0].end == 27)
        #expect(t[1].start == 1 && t[1].end == 4)          // "a"
        #expect(t[2].count == 2 && t[2].next == 5 && t[2].start == 6 && t[2].end == 15)
        #expect(t[3].start == 7 && t[3].end == 8 && t[3].magnitude == 1)
        #expect(t[4].flags == JSONNode.isTrue && t[4].start == 10 && t[4].end == 14)
        #expect(t[6].start == 22 && t[6].end == 26)
        #expect(t.member(0, "b") == 6)
        #expect(t.member(0, "c") == nil)
        #expect(t.rawText(2) == "[1, true]")
        var members: [String] = []
        t.forEachMember(0) { k, _ in members.append(t.string(k)) }
        #expect(members == ["a", "b"])
    }

    @Test func emptyContainersAndNesting() {
        let p = ParsedJSON(#"[{}, [], [[]], {"x": {}}]"#)
        #expect(p.kinds == [.array, .object, .array, .array, .array, .object, .string, .object])
        let t = p.tape
        #expect(t[0].count == 4 && t[0].next == 8)
        #expect(t[1].count == 0 && t[1].next == 2)
        #expect(t[3].count == 1 && t[3].next == 5)
        #expect(t[5].count == 1 && t[5].next == 8)
        var elements: [Int] = []
        t.forEachElement(0) { _, e in elements.append(e) }
        #expect(elements == [1, 2, 3, 5])
    }

    @Test(arguments: [
        ("0", UInt64(0), false, false),
        ("-0", 0, true, false),
        ("9223372036854775807", 9_223_372_036_854_775_807, false, false),
        ("-9223372036854775808", 9_223_372_036_854_775_808, true, false),
        ("18446744073709551615", UInt64.max, false, false),
        ("18446744073709551616", UInt64.max, false, true),
        ("-18446744073709551616", UInt64.max, true, true),
        ("123456789012345678901234567890", UInt64.max, false, true),
        ("9223372036853727232", 9_223_372_036_853_727_232, false, false),
    ])
    func exactIntegers(text: String, magnitude: UInt64, negative: Bool, overflow: Bool) {
        let p = ParsedJSON(text)
        #expect(p.ok)
        let n = p.tape[0]
        #expect(n.kind == .integer)
        #expect(n.magnitude == magnitude)
        #expect((n.flags & JSONNode.negative != 0) == negative)
        #expect((n.flags & JSONNode.overflow != 0) == overflow)
    }

    @Test func integersOfEveryLength() {
        var digits = ""
        for n in 1...21 {
            digits += String((n * 7) % 10 == 0 ? 1 : (n * 7) % 10)
            for text in [digits, "-" + digits, "[" + digits + "]", digits + ".5"] {
                let p = ParsedJSON(text)
                #expect(p.ok, "\(text)")
                let node = p.tape.nodes.last!
                if text.hasSuffix(".5") { #expect(node.kind == .number); continue }
                let expected = UInt64(digits)
                #expect(node.kind == .integer)
                #expect((node.flags & JSONNode.overflow != 0) == (expected == nil), "\(text)")
                #expect(node.magnitude == expected ?? UInt64.max, "\(text)")
            }
        }
    }

    @Test func int64Accessor() {
        #expect(ParsedJSON("-9223372036854775808").tape.int64(0) == Int64.min)
        #expect(ParsedJSON("9223372036854775807").tape.int64(0) == Int64.max)
        #expect(ParsedJSON("9223372036854775808").tape.int64(0) == nil)
        #expect(ParsedJSON("-0").tape.int64(0) == 0)
    }

    @Test(arguments: ["1.5", "-0.0", "1e3", "1E+3", "-2.5e-10", "0e0"])
    func fractionsAndExponentsAreNumbers(_ text: String) {
        let p = ParsedJSON(text)
        #expect(p.ok)
        #expect(p.kinds == [.number])
        #expect(p.tape[0].end == text.utf8.count)
    }

    @Test func parseValueStopsAfterOneValue() {
        let line = #"{"a":1} {"b":2}"#
        let first = ParsedJSON(line, document: false)
        #expect(first.end == 7)
        #expect(first.tape.nodes.count == 3)
        let second = ParsedJSON(line, document: false, from: 7)
        #expect(second.end == 15)
        #expect(second.tape[0].start == 8)
        #expect(second.tape.member(0, "b").map { second.tape[$0].magnitude } == 2)
        // A number or literal followed by other text ends where the value ends.
        #expect(ParsedJSON("12 34", document: false).end == 2)
        #expect(ParsedJSON("true,", document: false).end == 4)
        #expect(ParsedJSON(#""x"trailing"#, document: false).end == 3)
    }

    @Test func parseValueHonoursLimit() {
        let text = #"{"a": 1}{"b": 2}"#
        let cut = ParsedJSON(text, document: false, limit: 6)
        #expect(cut.error == JSONParseError(kind: .unexpectedEnd, offset: 6, message: cut.error?.message ?? ""))
        let whole = ParsedJSON(text, document: false, limit: 8)
        #expect(whole.end == 8)
        let number = ParsedJSON("12345", document: false, limit: 3)
        #expect(number.end == 3 && number.tape[0].magnitude == 123)
    }

    @Test(arguments: [
        #"{"event": "STOP", "data": {"a": 1"#,
        #"{"event": "ST"#,
        #"{"event""#,
        #"{"event":"#,
        #"{"#,
        "[1, 2,",
        "[tru",
        "-",
        "1.",
        "1e",
        "1e+",
        #""\u12"#,
        #""\"#,
        "",
        "   ",
    ])
    func cutTextIsUnexpectedEnd(_ text: String) {
        let p = ParsedJSON(text, document: false)
        #expect(p.error?.kind == .unexpectedEnd)
        #expect(p.error?.offset == text.utf8.count)
    }

    @Test(arguments: [
        (#"{"a": 1 "b": 2}"#, 8, "expected ',' or '}' after object member"),
        ("[1 2]", 3, "expected ',' or ']' after array element"),
        (#"{"a" 1}"#, 5, "expected ':' after object key"),
        (#"{"a": 1,}"#, 8, "expected string key"),
        ("[1,]", 3, "expected a value"),
        (#"["\x"]"#, 3, "invalid escape"),
        (#"["\u12G4"]"#, 6, #"invalid \u escape"#),
        ("[\"a\nb\"]", 3, "control character in string"),
        ("[01]", 2, "leading zero in number"),
        ("[1.]", 3, "expected digit after '.'"),
        ("[nul]", 1, "invalid literal"),
        ("[True]", 1, "invalid literal"),
        ("['a']", 1, "expected a value"),
        ("{'a': 1}", 1, "expected string key"),
        ("[1] x", 4, "unexpected data after value"),
    ])
    func syntaxErrorsPointAtTheFault(text: String, offset: Int, message: String) {
        let p = ParsedJSON(text)
        #expect(p.error == JSONParseError(kind: .syntax, offset: offset, message: message))
    }

    @Test func invalidUTF8IsRejectedInStrictStrings() {
        let p = ParsedJSON([0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D])
        #expect(p.error == JSONParseError(kind: .syntax, offset: 3, message: "invalid UTF-8 in string"))
        // Valid multi-byte sequences pass.
        #expect(ParsedJSON(#"["é€😀"]"#).ok)
        // A sequence cut by the end of input is a cut string.
        let cut = ParsedJSON([0x22, 0xE2, 0x82], document: false)
        #expect(cut.error?.kind == .unexpectedEnd)
    }

    @Test func rawNewlineInStringFailsInLenientModeToo() {
        let p = ParsedJSON("{'a': 'cut\nhere'}", options: .lenient)
        #expect(p.error?.kind == .syntax && p.error?.offset == 10)
    }
}

struct JSONParserDepthTests {
    @Test func depthBound() {
        var o = JSONParser.Options.strict
        o.maxDepth = 3
        #expect(ParsedJSON("[[[1]]]", options: o).ok)
        let deep = ParsedJSON("[[[[1]]]]", options: o)
        #expect(deep.error == JSONParseError(kind: .tooDeep, offset: 3, message: "nesting deeper than 3"))
        #expect(ParsedJSON(#"{"a":{"b":{"c":{}}}}"#, options: o).error?.kind == .tooDeep)
    }

    @Test func millionOpenBracketsFailFast() {
        let text = [UInt8](repeating: 0x5B, count: 1_000_000)
        let p = ParsedJSON(text)
        #expect(p.error?.kind == .tooDeep && p.error?.offset == 512)
        // With the bound lifted the explicit stack copes: the text is merely cut.
        var o = JSONParser.Options.strict
        o.maxDepth = 2_000_000
        let unbounded = ParsedJSON(text, options: o)
        #expect(unbounded.error == JSONParseError(kind: .unexpectedEnd, offset: 1_000_000, message: "expected a value"))
        let closed = ParsedJSON(text + [UInt8](repeating: 0x5D, count: 1_000_000), options: o)
        #expect(closed.ok && closed.tape.nodes.count == 1_000_000 && closed.tape[0].next == 1_000_000)
    }

    @Test func unclosedBracesFailCleanly() {
        let p = ParsedJSON([UInt8](repeating: 0x7B, count: 100_000))
        #expect(p.error == JSONParseError(kind: .syntax, offset: 1, message: "expected string key"))
        let keyed = ParsedJSON(String(repeating: #"{"a":"#, count: 100_000))
        #expect(keyed.error?.kind == .tooDeep)
    }
}

struct JSONParserDuplicateKeyTests {
    @Test func duplicatesAreRecordedNotFatal() {
        let p = ParsedJSON(#"{"a": 1, "b": {"x": 1, "x": 2}, "a": 3, "\u0061": 4}"#)
        #expect(p.ok)
        let d = p.tape.duplicates.map { [$0.object, $0.key] }
        // object 0: keys at 1 ("a"), 3 ("b"), 9 ("a"), 11 ("\u0061"); object 4: keys 5, 7.
        #expect(d == [[4, 7], [0, 9], [0, 11]])
        #expect(p.tape.member(0, "a") == 2)
    }

    @Test func escapedKeyFirst() {
        #expect(ParsedJSON(#"{"\u0061": 1, "b": 2, "a": 3}"#).tape.duplicates.map(\.key) == [5])
        #expect(ParsedJSON(#"{"b": 1, "\u0062": 2}"#).tape.duplicates.map(\.key) == [3])
        #expect(ParsedJSON(#"{"a\n": 1, "a": 2, "a\n": 3}"#).tape.duplicates.map(\.key) == [5])
    }

    @Test func singleAndDoubleQuotedKeysCompareByContent() {
        let p = ParsedJSON(#"{'a': 1, "a": 2, 'b\'': 3, "b'": 4}"#, options: .lenient)
        #expect(p.tape.duplicates.map(\.key) == [3, 7])
    }

    @Test func largeObjects() {
        var members = (0..<100).map { #""k\#($0)": \#($0)"# }
        members.append(#""k5": 0"#)
        members.append(#""k\u0039\u0039": 0"#)
        members.append(#""k77": 0"#)
        let p = ParsedJSON("{" + members.joined(separator: ", ") + "}")
        #expect(p.ok)
        let keys = p.tape.duplicates.map { p.tape.string($0.key) }
        #expect(keys == ["k5", "k99", "k77"])
        #expect(p.tape.duplicates.allSatisfy { $0.object == 0 })
    }

    @Test func noFalsePositives() {
        let p = ParsedJSON(#"{"a": 1, "ab": 2, "b": {"a": 1}, "\u0062c": 3, "A": 4}"#)
        #expect(p.tape.duplicates.isEmpty)
    }
}

struct JSONParserLenientTests {
    @Test func singleQuotes() {
        let text = #"{'execute': 'qmp_capabilities', 'q': 'say "hi" it\'s'}"#
        #expect(!ParsedJSON(text).ok)
        let p = ParsedJSON(text, options: .lenient)
        #expect(p.ok)
        let t = p.tape
        #expect(t[1].flags & JSONNode.singleQuoted != 0)
        #expect(t.member(0, "execute").map { t.string($0) } == "qmp_capabilities")
        #expect(t.member(0, "q").map { t.string($0) } == #"say "hi" it's"#)
        #expect(t.member(0, "q").map { t[$0].flags } == JSONNode.singleQuoted | JSONNode.hasEscapes)
    }

    @Test func pythonLiterals() {
        let p = ParsedJSON(#"{'event': 'STOP', 'a': True, 'b': False, 'c': None, 'd': true}"#, options: .lenient)
        #expect(p.kinds == [.object, .string, .string, .string, .bool, .string, .bool, .string, .null, .string, .bool])
        #expect(p.tape[4].flags == JSONNode.isTrue && p.tape[6].flags == 0)
    }

    @Test func valuePlaceholders() {
        let text = #"{"timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "data": {"len": LEN, "offset": (filtered), "hash": HASH_2}}"#
        #expect(ParsedJSON(text).error?.kind == .syntax)
        let p = ParsedJSON(text, options: .lenient)
        #expect(p.ok)
        let t = p.tape
        let ts = t.member(0, "timestamp")!
        let seconds = t.member(ts, "seconds")!
        #expect(t[seconds].kind == .placeholder && t.rawText(seconds) == "TIMESTAMP")
        #expect(t[seconds].start == 27)
        let data = t.member(0, "data")!
        #expect(t.member(data, "len").map { t.rawText($0) } == "LEN")
        #expect(t.member(data, "offset").map { t.rawText($0) } == "(filtered)")
        #expect(t.member(data, "offset").map { t[$0].kind } == .placeholder)
        #expect(t.member(data, "hash").map { t.rawText($0) } == "HASH_2")
    }

    @Test func memberPlaceholder() {
        for text in ["{ QMP_VERSION }", "{\n    QMP_VERSION\n}\n", #"{"a": 1, QMP_VERSION, "b": 2}"#] {
            let p = ParsedJSON(text, options: .lenient)
            #expect(p.ok, "\(text)")
            let t = p.tape
            #expect(t[0].next == Int32(t.nodes.count))
            var found = false
            t.forEachMember(0) { k, v in
                if t[k].kind == .placeholder {
                    found = true
                    #expect(t[v].kind == .placeholder && t.rawText(k) == "QMP_VERSION" && t.rawText(v) == "QMP_VERSION")
                }
            }
            #expect(found)
        }
        #expect(ParsedJSON("{ QMP_VERSION: 1 }", options: .lenient).error?.kind == .syntax)
        #expect(ParsedJSON("{ qmp }", options: .lenient).error?.kind == .syntax)
        #expect(ParsedJSON("{ QMP_VERSION }").error?.kind == .syntax)
    }

    @Test func notPlaceholders() {
        for text in ["[Timestamp]", "[_X]", "[1X]", "[()]", "[(a b)]", "[NaN]", "[Infinity]"] {
            #expect(ParsedJSON(text, options: .lenient).error?.kind == .syntax, "\(text)")
        }
    }

    @Test func invalidUTF8IsKeptAndRepaired() {
        let p = ParsedJSON([0x5B, 0x22, 0x61, 0xFF, 0x62, 0x22, 0x5D], options: .lenient)
        #expect(p.ok)
        #expect(p.tape.string(1) == "a\u{FFFD}b")
    }
}
