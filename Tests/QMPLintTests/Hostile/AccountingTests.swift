import Foundation
import Testing
@testable import QMPLint

/// Every event marker in the input ends up in exactly one bucket: the buckets' sum equals a
/// count made without the extractor (`HostileMarkers`), whatever the text and chunk size.
@Suite struct AccountingTests {
    static func check(_ bytes: [UInt8], _ label: String, chunks: [Int] = [1 << 22]) {
        let expected = HostileMarkers.count(bytes)
        for c in chunks {
            let r = lintBytes(bytes, geometry: ChunkGeometry(size: c, lookahead: 4 * c))
            #expect(r.markerTotal == expected, "\(label) chunk \(c): \(r.markers) vs \(expected) markers in the bytes")
            #expect(r.markers.events <= r.summary.events, "\(label)")
            #expect(r.summary.bytes == bytes.count, "\(label)")
        }
    }

    /// Every file of the shared corpora: transcripts, JSONTestSuite, QAPI sources, documents.
    @Test(.enabled(if: TestPaths.sharedAvailable, "needs ../shared"))
    func sharedCorpus() throws {
        let root = TestPaths.sharedPath("corpus")
        let files = InputDiscovery().discover([root]).inputs
        #expect(files.count > 100)
        for path in files {
            var source = try InputOpener.open(path)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                bytes += chunk[0..<n]
            }
            Self.check(bytes, path, chunks: [1 << 22, 4096])
        }
    }

    /// The generated benchmark corpus (2 MB, two seeds).
    @Test(.enabled(if: TestPaths.sharedAvailable && TestPaths.pythonAvailable, "needs ../shared and python3"),
          arguments: [5, 23])
    func generatedCorpus(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-hostile-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("corpus.log").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [TestPaths.sharedPath("bench/gen_corpus.py"), "--seed", "\(seed)", "--size-mb", "2", "--out", out]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        Self.check(bytes, "gen seed \(seed)", chunks: [1 << 22, 1 << 16])
    }

    /// Random mixes of records of every dialect, truncations, look-alikes, CR/CRLF, NULs.
    @Test(arguments: 0..<400)
    func randomMixes(seed: Int) {
        var g = HostileLogGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        let records = (0..<g.int(1...60)).map { _ in g.record() }
        let bytes = HostileLogGenerator.join(records)
        Self.check(bytes, "seed \(seed)", chunks: [1 << 16, 512, 160])
    }

    /// Noise lines inserted between records never lose an event or a malformed one.
    @Test(arguments: 0..<400)
    func noiseNeverLosesEvents(seed: Int) {
        var g = HostileLogGenerator(seed: UInt64(seed) &* 104_729 &+ 3)
        let records = (0..<g.int(1...40)).map { _ in g.record() }
        let plain = lintBytes(HostileLogGenerator.join(records))
        var noise: [Int: [[UInt8]]] = [:]
        for i in records.indices where g.chance(0.5) { noise[i] = (0..<g.int(1...20)).map { _ in g.noise() } }
        let noisy = HostileLogGenerator.join(records, noiseAfter: noise)
        let r = lintBytes(noisy)
        #expect(r.summary.events + r.summary.malformed >= plain.summary.events + plain.summary.malformed,
                "seed \(seed): \(plain.summary.events)+\(plain.summary.malformed) -> \(r.summary.events)+\(r.summary.malformed)")
        #expect(r.markerTotal == HostileMarkers.count(noisy), "seed \(seed)")
    }
}
