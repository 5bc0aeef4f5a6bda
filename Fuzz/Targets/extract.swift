// The extractor through FileLinter on in-memory input (every dialect is tried on every line):
// - nothing crashes or hangs, whatever the buffer sizes;
// - every marker lands in exactly one bucket (sum of buckets = independent count);
// - a small refilling buffer finds what one large buffer finds;
// - the validating checker and every report format survive what was found, and the
//   machine-readable formats stay well-formed (JSON parses, no raw control bytes).
#if canImport(Glibc)
import Glibc
#endif

let validating = SchemaSelectingProvider(fixed: nil)

func lintBytes<P: CheckerProvider>(_ bytes: [UInt8], provider: P, buffer: Int, maxBuffer: Int, history: Int,
                                   events: EventBudget? = nil) -> FileResult {
    var options = FileLinter<P>.Options()
    options.eventBudget = events
    options.bufferSize = buffer
    options.maxBuffer = maxBuffer
    options.history = history
    var linter = FileLinter(provider: provider, options: options)
    var source: any ByteSource = MemorySource(bytes)
    return linter.lint(&source, displayPath: "fuzz.log")
}

public func extractFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    // The first byte picks the small buffer's geometry; the rest is the log.
    let knob = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let small = 64 << (knob & 3)            // 64 ... 512 bytes
    let smallMax = small << (1 + (knob >> 2 & 3))
    let history = 16 << (knob >> 4 & 3)

    let names = FuzzFixedProvider(checker: FuzzNameChecker())
    let big = lintBytes(bytes, provider: names, buffer: 1 << 20, maxBuffer: 1 << 20, history: 1 << 16)
    let expected = bytes.withUnsafeBytes { FuzzMarkers.count($0) }
    let sum = big.markers.values.reduce(0, +)
    if sum != expected { fuzzFail("marker buckets \(big.markers) sum to \(sum), bytes hold \(expected)") }
    if big.summary.bytes != bytes.count { fuzzFail("bytes \(big.summary.bytes) != \(bytes.count)") }
    if (big.markers[.events] ?? 0) != big.summary.events { fuzzFail("event bucket \(big.markers[.events] ?? 0) != events \(big.summary.events)") }

    let refilled = lintBytes(bytes, provider: names, buffer: small, maxBuffer: smallMax, history: history)
    if refilled.summary.readError == nil {
        // Echo detection looks back over the kept history only: a tiny history may see an
        // echoed emission as an event (found by fuzzing with 128 bytes kept), never lose one.
        if echoFolded(refilled.markers) != echoFolded(big.markers)
            || refilled.summary.events + (refilled.markers[.echoes] ?? 0) != big.summary.events + (big.markers[.echoes] ?? 0)
            || refilled.summary.malformed != big.summary.malformed || refilled.summary.lines != big.summary.lines {
            fuzzFail("buffer \(small)/\(smallMax)/\(history) gives \(refilled.markers) events \(refilled.summary.events) malformed \(refilled.summary.malformed) lines \(refilled.summary.lines); one buffer gives \(big.markers) \(big.summary.events) \(big.summary.malformed) \(big.summary.lines)")
        }
    }

    // Validation and the reports.
    // Events are recorded too, so the formats that show them (timeline, html) render them.
    var checked = lintBytes(bytes, provider: validating, buffer: 1 << 20, maxBuffer: 1 << 20, history: 1 << 16,
                            events: EventBudget())
    if checked.summary.events != big.summary.events { fuzzFail("validating run found \(checked.summary.events) events, not \(big.summary.events)") }
    checked.beginStreams()
    checked.finishStreams()
    var results = [checked]
    let timeline = EventTimeline.collect(from: &results, cap: EventTimeline.defaultCap)
    if timeline.events.count != checked.summary.events { fuzzFail("recorded \(timeline.events.count) of \(checked.summary.events) events") }
    var report = Linter<SchemaSelectingProvider>.assemble(results, schema: validating.defaultChoice)
    report.timeline = timeline
    let options = ReportOptions(rules: RuleCatalog.all, workingDirectory: "/fuzz")
    for reporter in Reporters.all {
        let out = reporter.renderBytes(report, options: options)
        checkRendering(reporter.identifier, out)
    }
    return 0
}

/// Marker buckets with echoes counted as events.
func echoFolded(_ m: [MarkerBucket: Int]) -> [MarkerBucket: Int] {
    var m = m
    if let e = m.removeValue(forKey: .echo) { m[.event, default: 0] += e }
    return m
}

func checkRendering(_ format: String, _ out: [UInt8]) {
    // No format copies raw control bytes from a log (tab and newline are the output's own).
    // CSV is data kept byte for byte by design (RFC 4180 quoting): not checked for controls.
    // XML and JSON allow a raw DEL; what people read in a terminal or a CI log does not.
    let delAllowed = ["junit", "json", "jsonl", "sarif", "gitlab"].contains(format)
    let bad = format == "csv" ? nil : out.firstIndex { c in c < 0x20 && c != 0x0A && c != 0x09 || (c == 0x7F && !delAllowed) }
    if let bad {
        fuzzFail("\(format) output has control byte \(out[bad]) at \(bad)")
    }
    if String(validating: out, as: UTF8.self) == nil { fuzzFail("\(format) output is not UTF-8") }
    var tape = JSONTape()
    switch format {
    case "json", "sarif", "gitlab":
        out.withUnsafeBytes { b in
            if case .failure(let e) = JSONParser.parseDocument(b, options: .strict, into: &tape) {
                fuzzFail("\(format) output is not JSON: \(e.message) at \(e.offset)")
            }
        }
    case "jsonl":
        var start = 0
        for (i, c) in out.enumerated() where c == 0x0A {
            out.withUnsafeBytes { b in
                let line = UnsafeRawBufferPointer(rebasing: b[start..<i])
                if case .failure(let e) = JSONParser.parseDocument(line, options: .strict, into: &tape) {
                    fuzzFail("jsonl line is not JSON: \(e.message)")
                }
            }
            start = i + 1
        }
    default:
        break
    }
}
