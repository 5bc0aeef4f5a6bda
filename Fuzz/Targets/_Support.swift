// Shared by every fuzz target (compiled into the same module as the library sources, so
// internal API is reachable). Not a target itself: Fuzz/build.sh skips names starting with _.
#if canImport(Glibc)
import Glibc
#endif

/// Stops the run with a message libFuzzer records beside the crashing input.
func fuzzFail(_ message: String) -> Never {
    let text = Array("FUZZ INVARIANT BROKEN: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// A linter that finds and counts but makes no finding but extraction's own: extraction under test.
/// Extraction's own rules only; one provider for every input (it caches the loaded schema: a new
/// one per input decoded the newest catalog twice per run and cost most of the fuzzer's time).
let extractionSelector = SchemaSelectingProvider(
    fixed: nil, rules: RuleSet(disabled: Set(RuleCatalog.ids).subtracting(["malformed-json", "unparsed-event-text"])))

func extractionLinter(_ geometry: ChunkGeometry = ChunkGeometry(), recordEvents: Bool = false) -> Linter {
    var linter = Linter(jobs: 1, selector: extractionSelector)
    linter.geometry = geometry
    if recordEvents { linter.eventBudget = EventBudget() }
    return linter
}

/// Counts event markers in raw bytes without the extractor: quoted `"event"` / `'event'`
/// (same quote both sides), `\"event\"`, plus lines that are virsh records.
enum FuzzMarkers {
    nonisolated(unsafe) static let virsh = try! Regex(VirshEventDialect.recordPattern)

    static func count(_ b: UnsafeRawBufferPointer) -> Int {
        var n = 0
        let e: [UInt8] = Array("event".utf8)
        var i = 1
        while i + 5 < b.count {
            if b[i] == e[0] && b[i + 1] == e[1] && b[i + 2] == e[2] && b[i + 3] == e[3] && b[i + 4] == e[4] {
                let q = b[i - 1]
                if (q == 0x22 || q == 0x27) && b[i + 5] == q { n += 1 }
                else if q == 0x22, i >= 2, b[i - 2] == 0x5C, b[i + 5] == 0x5C, i + 6 < b.count, b[i + 6] == 0x22 { n += 1 }
                i += 5
            } else {
                i += 1
            }
        }
        var ls = 0
        while ls < b.count {
            var le = ls
            while le < b.count && b[le] != 0x0A { le += 1 }
            var ce = le
            if ce > ls && b[ce - 1] == 0x0D { ce -= 1 }
            let ts = ls < ce && b[ls] == 0x0D ? ls + 1 : ls
            if ce - ts >= 6, (try? virsh.firstMatch(in: b, from: ts, to: ce, anchored: true)) ?? nil != nil { n += 1 }
            ls = le + 1
        }
        return n
    }
}

/// Validates a test event of each of the first events of `schema` (whatever their names and
/// members): a schema a reader built must never make the validator trap.
func fuzzValidateEvents(of schema: Schema, data: String) {
    let validator = MessageValidator(schema: schema)
    var tape = JSONTape()
    for e in schema.events.prefix(8) {
        let event = #"{"event": "\#(e.name)", "timestamp": {"seconds": 1, "microseconds": 2}, "data": \#(data)}"#
        Array(event.utf8).withUnsafeBytes { b in
            // A name holding a quote makes text that is not JSON: nothing to validate.
            guard case .success = JSONParser.parseDocument(b, options: .strict, into: &tape) else { return }
            var findings: [RawFinding] = []
            _ = validator.validate(event: 0, in: tape, into: &findings)
        }
    }
}

/// One binary holds every target (one build in CI); QMPLINT_FUZZ_TARGET picks the one to run.
enum FuzzTarget {
    nonisolated(unsafe) static let current: (UnsafePointer<UInt8>, Int) -> Int32 = {
        let name = getenv("QMPLINT_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        switch name {
        case "json": return jsonFuzz
        case "extract": return extractFuzz
        case "qapi": return qapiFuzz
        case "textdoc": return textdocFuzz
        case "gzip": return gzipFuzz
        default: fuzzFail("set QMPLINT_FUZZ_TARGET to json, extract, qapi, textdoc or gzip (got '\(name)')")
        }
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzTarget.current(data, size)
}
