import Testing
@testable import QMPLint

struct JSONStringDecoderTests {
    private func decode(_ raw: [UInt8], singleQuoted: Bool = false) -> String {
        raw.withUnsafeBytes { JSONStringDecoder.decode($0, singleQuoted: singleQuoted) }
    }

    private func decode(_ raw: String, singleQuoted: Bool = false) -> String {
        decode(Array(raw.utf8), singleQuoted: singleQuoted)
    }

    @Test(arguments: [
        (#""""#, ""),
        (#""plain""#, "plain"),
        (#""a\"b\\c\/d""#, #"a"b\c/d"#),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\u0000""#, "\u{0}"),
        (#""\ud834\udd1e""#, "𝄞"),
        (#""\uD800""#, "\u{FFFD}"),
        (#""\uDC00x""#, "\u{FFFD}x"),
        (#""\uD800\u0041""#, "\u{FFFD}A"),
        (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        (#""é😀""#, "é😀"),
    ])
    func escapes(raw: String, decoded: String) {
        #expect(decode(raw) == decoded)
    }

    @Test func singleQuotedEscapes() {
        #expect(decode(#"'it\'s "quoted"'"#, singleQuoted: true) == #"it's "quoted""#)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        // 0xFF, a lone continuation byte, a truncated 3-byte sequence, an encoded surrogate.
        #expect(decode([0x22, 0x61, 0xFF, 0x62, 0x22]) == "a\u{FFFD}b")
        #expect(decode([0x22, 0x80, 0x22]) == "\u{FFFD}")
        #expect(decode([0x22, 0xE2, 0x82, 0x22]) == "\u{FFFD}")
        #expect(decode([0x22, 0xED, 0xA0, 0x80, 0x22]) == "\u{FFFD}\u{FFFD}\u{FFFD}")
        // Same result on the escape path as on the fast path (matching Swift's own repair).
        let raw: [UInt8] = [0x22, 0xF0, 0x9F, 0x98, 0x5C, 0x6E, 0xC3, 0x22]
        #expect(decode(raw) == "\u{FFFD}\n\u{FFFD}")
        let bytes: [UInt8] = [0xF0, 0x9F, 0x98, 0x78, 0xE0, 0x80, 0xC3]
        let swift = String(decoding: bytes, as: UTF8.self)
        #expect(decode([0x22] + bytes + [0x5C, 0x6E, 0x22]) == swift + "\n")
    }

    @Test func decodeIntoBytes() {
        var out: [UInt8] = [0x3E]
        Array(#""a\u00e9""#.utf8).withUnsafeBytes { JSONStringDecoder.decode($0, singleQuoted: false, into: &out) }
        #expect(out == [0x3E, 0x61, 0xC3, 0xA9])
    }

    @Test func tapeStringEquality() {
        let p = ParsedJSON(#"{"k\u0065y": "v", "plain": "w"}"#)
        #expect(p.tape.stringEquals(1, "key"))
        #expect(!p.tape.stringEquals(1, "kex"))
        #expect(p.tape.stringEquals(3, "plain"))
        #expect(p.tape.member(0, "key") == 2)
    }
}
