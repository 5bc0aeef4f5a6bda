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
            let small = 64 << (knob & 3)
            let geometry = [(1 << 20, 1 << 20, 1 << 16), (small, small << (1 + (knob >> 2 & 3)), 16 << (knob >> 4 & 3))]
            var results: [FileResult] = []
            for (buffer, maxBuffer, history) in geometry {
                var options = FileLinter<FixedProvider<NameOnlyChecker>>.Options()
                options.bufferSize = buffer; options.maxBuffer = maxBuffer; options.history = history
                var linter = FileLinter(provider: FixedProvider { NameOnlyChecker() }, options: options)
                var source: any ByteSource = MemorySource(bytes)
                results.append(linter.lint(&source, displayPath: url.lastPathComponent))
            }
            let expected = bytes.withUnsafeBytes { HostileMarkers.count($0) }
            #expect(results[0].markers.values.reduce(0, +) == expected, "\(url.lastPathComponent)")
            if results[1].summary.readError == nil {
                // A tiny history may miss an echo (seen as an event instead), never lose a marker.
                func folded(_ r: FileResult) -> [MarkerBucket: Int] {
                    var m = r.markers
                    if let e = m.removeValue(forKey: .echo) { m[.event, default: 0] += e }
                    return m
                }
                #expect(folded(results[1]) == folded(results[0]), "\(url.lastPathComponent)")
                #expect(results[1].summary.events + (results[1].markers[.echo] ?? 0)
                        == results[0].summary.events + (results[0].markers[.echo] ?? 0), "\(url.lastPathComponent)")
            }
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
