import Testing
@testable import QMPLint

struct JSONWriterTests {
    private func sample(_ w: inout JSONWriter) {
        w.object { w in
            w.member("name", "missing-member")
            w.member("line", 12)
            w.member("big", UInt64.max)
            w.member("neg", Int64.min)
            w.member("ok", false)
            w.member("skipped", ifPresent: nil)
            w.key("none"); w.null()
            w.array("empty") { _ in }
            w.object("nested") { w in w.array("xs") { w in w.integer(1); w.string("two"); w.object { _ in } } }
        }
    }

    @Test func compact() {
        var w = JSONWriter()
        sample(&w)
        #expect(w.text == #"{"name":"missing-member","line":12,"big":18446744073709551615,"neg":-9223372036854775808,"ok":false,"none":null,"empty":[],"nested":{"xs":[1,"two",{}]}}"#)
    }

    @Test func pretty() {
        var w = JSONWriter(pretty: true)
        sample(&w)
        let expected = """
        {
          "name": "missing-member",
          "line": 12,
          "big": 18446744073709551615,
          "neg": -9223372036854775808,
          "ok": false,
          "none": null,
          "empty": [],
          "nested": {
            "xs": [
              1,
              "two",
              {}
            ]
          }
        }
        """
        #expect(w.text == expected)
    }

    @Test func stringEscaping() {
        var w = JSONWriter()
        w.string("q\"b\\s/\u{8}\u{C}\n\r\t\u{1}\u{1F}\u{7F}é\u{2028}\u{2029}😀")
        #expect(w.text == #""q\"b\\s/\b\f\n\r\t\u0001\u001f\u007fé\u2028\u2029😀""#)
        // What the writer escapes, the parser reads back.
        let back = ParsedJSON(w.bytes)
        #expect(back.tape.string(0) == "q\"b\\s/\u{8}\u{C}\n\r\t\u{1}\u{1F}\u{7F}é\u{2028}\u{2029}😀")
    }

    @Test func numbers() {
        var w = JSONWriter()
        w.array { w in
            w.number(1.5); w.number(1e-5); w.number(.infinity); w.integer(0); w.integer(-42)
        }
        #expect(w.text == "[1.5,1e-05,null,0,-42]")
    }

    @Test func reset() {
        var w = JSONWriter()
        w.integer(1)
        w.reset()
        w.object { w in w.member("a", 1) }
        #expect(w.text == #"{"a":1}"#)
    }

    @Test func reserialisesTapeValues() {
        let text = #"{'event': 'STOP', "x": [1.50, -0, 18446744073709551616, True, None, {}, []], "s": "\u0041\n", "t": TIMESTAMP, "o": (filtered)}"#
        let p = ParsedJSON(text, options: .lenient)
        #expect(p.ok)
        var w = JSONWriter()
        w.value(p.tape, 0)
        #expect(w.text == #"{"event":"STOP","x":[1.50,-0,18446744073709551616,true,null,{},[]],"s":"A\n","t":"TIMESTAMP","o":"(filtered)"}"#)
        var member = JSONWriter()
        member.value(p.tape, p.tape.member(0, "x")!)
        #expect(member.text == "[1.50,-0,18446744073709551616,true,null,{},[]]")
        var greeting = JSONWriter(pretty: true)
        let g = ParsedJSON("{\n    QMP_VERSION\n}", options: .lenient)
        greeting.value(g.tape, 0)
        #expect(greeting.text == "{\n  \"QMP_VERSION\": \"QMP_VERSION\"\n}")
    }
}
