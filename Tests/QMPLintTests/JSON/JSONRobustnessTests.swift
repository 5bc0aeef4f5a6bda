import Testing
@testable import QMPLint

/// Cut and mangled input: every prefix and many single-byte mutations of real-looking lines
/// parse or fail cleanly, and a limit behaves exactly like the end of the buffer.
struct JSONRobustnessTests {
    static let samples: [String] = [
        #"{"timestamp": {"seconds": 1709288573, "microseconds": 12388}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "drive0", "len": 73747988480, "offset": 7143424, "speed": 0, "type": "commit"}}"#,
        #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": ""}, "capabilities": ["oob"]}}"#,
        #"{'event': 'STOP', 'data': {'reason': 'it\'s "x"', 'ok': True, 'n': None, 'e': -1.5e+3}}"#,
        #"{"timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "event": "X", "data": {"offset": (filtered)}}"#,
        "{\n    QMP_VERSION\n}",
        #"[{"a\u00e9\ud83d\ude00": [[], {}, [1, -0, 18446744073709551616]]}, "\\\/\b\f\n\r\t"]"#,
    ]

    @Test(arguments: samples)
    func everyPrefixIsCutOrComplete(_ text: String) {
        let bytes = Array(text.utf8)
        let whole = ParsedJSON(bytes, options: .lenient, document: false)
        #expect(whole.end == bytes.count)
        for length in 0..<bytes.count {
            let limited = ParsedJSON(bytes, options: .lenient, document: false, limit: length)
            let copied = ParsedJSON(Array(bytes[0..<length]), options: .lenient, document: false)
            #expect(limited.result == copied.result, "prefix \(length)")
            if let error = limited.error {
                #expect(error.offset <= length)
            }
        }
    }

    @Test(arguments: samples)
    func mutationsNeverCrash(_ text: String) {
        var rng = SplitMix(seed: UInt64(text.utf8.count))
        let bytes = Array(text.utf8)
        let alphabet = Array(#"{}[]:,"'\ u0aeEtfnTFN-+.()_ZX"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xFF]
        for _ in 0..<400 {
            var mutated = bytes
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(mutated.count))
                switch rng.next() % 3 {
                case 0: mutated[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: mutated.remove(at: at)
                default: mutated.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
                if mutated.isEmpty { mutated = [0x20] }
            }
            for options in [JSONParser.Options.strict, .lenient] {
                let p = ParsedJSON(mutated, options: options)
                if p.ok {
                    // A successful parse yields a consistent tape.
                    #expect(Int(p.tape[0].next) == p.tape.nodes.count)
                    var w = JSONWriter()
                    w.value(p.tape, 0)
                    #expect(ParsedJSON(w.bytes).ok, "\(w.text)")
                } else {
                    #expect(p.error!.offset <= mutated.count)
                }
            }
        }
    }
}

