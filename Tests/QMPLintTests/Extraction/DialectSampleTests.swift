import Testing
@testable import QMPLint

/// Every dialect's sample lines are proven: its pattern compiles, and extraction finds exactly
/// the events the sample says.
@Suite struct DialectSampleTests {
    static let samples: [(Dialect.ID, String, Int)] = Dialect.all.flatMap { d in d.samples.map { (d.id, $0.text, $0.events) } }

    @Test(arguments: Dialect.all.map(\.id))
    func patternsCompile(_ id: Dialect.ID) throws {
        let d = Dialect.all.first { $0.id == id }!
        for p in d.patterns { _ = try Regex(p) }
    }

    @Test(arguments: samples.indices)
    func sampleYieldsItsEvents(_ i: Int) {
        let (id, text, events) = Self.samples[i]
        let r = extract(text + "\n")
        #expect(r.summary.events == events, "\(id): \(text)")
        #expect(r.summary.malformed == 0, "\(id): \(text)")
    }
}
