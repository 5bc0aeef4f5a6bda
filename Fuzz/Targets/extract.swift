// The extractor through the whole pipeline on in-memory input (every dialect on every unit):
// - nothing crashes or hangs, whatever the chunk sizes;
// - every marker lands in exactly one bucket (sum of buckets = independent count);
// - small chunks (cut wherever a unit starts) find exactly what one chunk finds;
// - validation and every report format survive what was found, and the machine-readable
//   formats stay well-formed (JSON parses, no raw control bytes).
#if canImport(Glibc)
import Glibc
#endif

let validating = SchemaSelectingProvider(fixed: nil)

public func extractFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    // The first byte picks the small chunks' size; the rest is the log.
    let knob = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let small = 8 << (knob & 7)

    let whole = extractionLinter().lint(bytes: bytes, path: "fuzz.log")
    let expected = bytes.withUnsafeBytes { FuzzMarkers.count($0) }
    if whole.markers.total != expected { fuzzFail("marker buckets \(whole.markers) sum to \(whole.markers.total), bytes hold \(expected)") }
    if whole.summary.bytes != bytes.count { fuzzFail("bytes \(whole.summary.bytes) != \(bytes.count)") }
    if whole.markers.events > whole.summary.events { fuzzFail("event bucket \(whole.markers.events) > events \(whole.summary.events)") }

    let cut = extractionLinter(ChunkGeometry(size: small, lookahead: 1 << 20)).lint(bytes: bytes, path: "fuzz.log")
    if cut.markers != whole.markers || cut.summary.events != whole.summary.events
        || cut.summary.malformed != whole.summary.malformed || cut.summary.lines != whole.summary.lines {
        fuzzFail("chunks of \(small) give \(cut.markers) events \(cut.summary.events) malformed \(cut.summary.malformed) lines \(cut.summary.lines); one chunk gives \(whole.markers) \(whole.summary.events) \(whole.summary.malformed) \(whole.summary.lines)")
    }

    // Validation and the reports.
    // Events are recorded too, so the formats that show them (timeline, html) render them.
    var linter = Linter(jobs: 1, selector: validating)
    linter.eventBudget = EventBudget()
    let checked = linter.lint(bytes: bytes, path: "fuzz.log")
    if checked.summary.events != whole.summary.events { fuzzFail("validating run found \(checked.summary.events) events, not \(whole.summary.events)") }
    var results = [checked]
    let timeline = EventTimeline.collect(from: &results, cap: EventTimeline.defaultCap)
    if timeline.events.count != checked.summary.events { fuzzFail("recorded \(timeline.events.count) of \(checked.summary.events) events") }
    var report = Linter.assemble(results, schema: validating.defaultChoice)
    report.timeline = timeline
    let options = ReportOptions(rules: RuleCatalog.all, workingDirectory: "/fuzz")
    for reporter in Reporters.all {
        let out = reporter.renderBytes(report, options: options)
        checkRendering(reporter.identifier, out)
    }
    return 0
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
