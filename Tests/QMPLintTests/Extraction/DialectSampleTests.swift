import Testing
@testable import QMPLint

/// Records what the extractor finds, as `kind name` (`event STOP`, `command query-status`,
/// `reply`, `greeting`), in text order.
final class RecordingSink: MessageSink {
    var messages: [String] = []
    var malformed: [MalformedMessage] = []
    var unparsed: [Int] = []
    var markers = MarkerCounts()

    func message(_ m: ExtractedMessage, tape: JSONTape, text: ExtractionText) {
        switch m.envelope {
        case .virsh(let name, _, _, _):
            messages.append("event \(name)")
        case .json(let root):
            switch m.kind {
            case .event: messages.append("event " + (tape.member(root, "event").map { tape.string($0) } ?? "?"))
            case .command:
                let e = tape.member(root, "execute") ?? tape.member(root, "exec-oob")
                messages.append("command " + (e.map { tape.string($0) } ?? "?"))
            case .reply: messages.append("reply")
            case .greeting: messages.append("greeting")
            }
        }
    }
    func malformed(_ m: MalformedMessage, text: ExtractionText) { malformed.append(m) }
    func unparsed(at offset: Int, text: ExtractionText) { unparsed.append(text.inputOffset(offset)) }
    func markers(_ bucket: MarkerBucket, count: Int) { markers[bucket] += count }

    /// Extracts `text` and records it.
    static func read(_ text: String) -> RecordingSink {
        let sink = RecordingSink()
        Array(text.utf8).withUnsafeBytes { MessageExtractor().scan($0, sink: sink) }
        return sink
    }
}

/// Every dialect's samples are proven: extraction finds exactly the messages each sample says,
/// in order, and nothing malformed or unparsed.
@Suite struct DialectSampleTests {
    static let samples: [(DialectID, DialectSample)] = Dialects.all.flatMap { d in d.samples.map { (d.id, $0) } }

    @Test func everyDialectHasSamples() {
        for d in Dialects.all { #expect(!d.samples.isEmpty, "\(d.id)") }
        #expect(Set(Dialects.all.map { $0.id }) == Set(DialectID.allCases))
    }

    @Test(arguments: samples.indices)
    func sampleYieldsItsMessages(_ i: Int) {
        let (id, sample) = Self.samples[i]
        let r = RecordingSink.read(sample.text + "\n")
        #expect(r.messages == sample.messages, "\(id): \(sample.text)")
        #expect(r.malformed.isEmpty && r.unparsed.isEmpty, "\(id): \(sample.text)")
    }
}
