import Foundation
import Testing
@testable import QMPLint

/// Replays the inputs the fuzzers once failed on (Fixtures/hostile/crashes/<target>/) through
/// the same calls the fuzz targets make, so a fixed bug stays fixed without libFuzzer.
@Suite struct FuzzReplayTests {
    static func inputs(_ target: String) -> [URL] {
        let dir = TestPaths.fixtures.appendingPathComponent("hostile/crashes/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test(.timeLimit(.minutes(1))) func extractInputs() throws {
        for url in Self.inputs("extract") {
            let data = try [UInt8](Data(contentsOf: url))
            guard let knob = data.first.map(Int.init) else { continue }
            let bytes = Array(data.dropFirst())
            let small = 16 << (knob & 3)
            let whole = lintBytes(bytes)
            // Cut anywhere a unit starts (the lookahead never forces a cut inside one).
            let cut = lintBytes(bytes, geometry: ChunkGeometry(size: small, lookahead: 1 << 20))
            let expected = bytes.withUnsafeBytes { HostileMarkers.count($0) }
            #expect(whole.markers.total == expected, "\(url.lastPathComponent)")
            #expect(cut.markers == whole.markers, "\(url.lastPathComponent)")
            #expect(cut.summary.events == whole.summary.events && cut.summary.malformed == whole.summary.malformed,
                    "\(url.lastPathComponent)")
        }
    }

    @Test(.timeLimit(.minutes(1))) func jsonInputs() throws {
        for url in Self.inputs("json") {
            let data = try [UInt8](Data(contentsOf: url))
            var tape = JSONTape()
            data.withUnsafeBytes { b in
                for options in [JSONParser.Options.strict, .lenient] {
                    _ = JSONParser.parseDocument(b, options: options, into: &tape)
                    for p in b.indices where b[p] == 0x7B || b[p] == 0x5B {
                        _ = JSONParser.parseValue(b, from: p, options: options, into: &tape)
                    }
                }
            }
        }
    }

    /// Text-documentation inputs: read to a schema or a positioned error, never a trap.
    @Test(.timeLimit(.minutes(1))) func textdocInputs() throws {
        for url in Self.inputs("textdoc") {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            do {
                _ = try TextDocSchemaReader.read(text: text, path: url.lastPathComponent)
            } catch {
                #expect(error.line >= 1 && error.column >= 1, "\(url.lastPathComponent): \(error)")
            }
        }
    }

    /// QAPI-source inputs (the fuzz target's layout: main file, NUL, an included file).
    @Test(.timeLimit(.minutes(1))) func qapiInputs() throws {
        for url in Self.inputs("qapi") {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            let cut = text.firstIndex(of: "\u{0}") ?? text.endIndex
            let other = cut < text.endIndex ? String(text[text.index(after: cut)...]) : "{ 'include': 'main.json' }"
            let files = ["/f/main.json": String(text[..<cut]), "/f/other.json": other]
            do {
                _ = try QAPISchemaReader.read(path: "/f/main.json", provider: { files[$0] })
            } catch {
                #expect(error.line >= 1 && error.column >= 1, "\(url.lastPathComponent): \(error)")
            }
        }
    }
}
