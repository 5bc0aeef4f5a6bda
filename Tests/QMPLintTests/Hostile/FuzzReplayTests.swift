import CZlib
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

    @Test(.timeLimit(.minutes(5))) func extractInputs() throws {
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

    @Test(.timeLimit(.minutes(5))) func jsonInputs() throws {
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

    /// gzip inputs (the fuzz target's layout: a knob byte, then data made into members, padding
    /// and a tail): what the members hold always comes out, a fault names the bytes handed out.
    @Test(.timeLimit(.minutes(5))) func gzipInputs() throws {
        for url in Self.inputs("gzip") {
            let data = try [UInt8](Data(contentsOf: url))
            guard data.count > 2 else { continue }
            let knob = Int(data[0])
            let bytes = Array(data.dropFirst())
            let chunk = [1, 7, 4096, 1 << 16][knob & 3]
            _ = Self.gunzip([0x1F, 0x8B] + bytes.dropFirst(min(2, bytes.count)), chunk: chunk)
            let cut1 = bytes.count / 3, cut2 = bytes.count * 2 / 3
            let a = Array(bytes[..<cut1]), b = Array(bytes[cut1..<cut2]), tail = Array(bytes[cut2...])
            let level = Int32(knob >> 2 & 7) + 1
            let padding = [UInt8](repeating: 0, count: knob >> 5)
            let members = Self.gzipMember(a, level: level) + padding + Self.gzipMember(b, level: level) + padding
            let whole = Self.gunzip(members, chunk: chunk)
            #expect(whole.out == a + b && whole.error == nil && whole.notices.isEmpty, "\(url.lastPathComponent)")
            let tailed = Self.gunzip(members + tail, chunk: chunk)
            #expect(Array(tailed.out.prefix(a.count + b.count)) == a + b, "\(url.lastPathComponent)")
            if let first = tail.drop(while: { $0 == 0 }).first, first != 0x1F {
                #expect(tailed.out.count == a.count + b.count && tailed.error == nil, "\(url.lastPathComponent)")
                #expect(tailed.notices.map(\.level) == [.warning], "\(url.lastPathComponent)")
            }
            var corrupt = members
            if !corrupt.isEmpty {
                corrupt[(knob * 7919 + bytes.count) % corrupt.count] ^= UInt8(truncatingIfNeeded: knob | 1)
                _ = Self.gunzip(corrupt, chunk: chunk)
            }
        }
    }

    static func gzipMember(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        var s = z_stream()
        guard deflateInit2_(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&s) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, UInt(bytes.count))) + 64)
        var input = bytes
        let n = input.withUnsafeMutableBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                s.next_in = i.baseAddress; s.avail_in = UInt32(i.count)
                s.next_out = o.baseAddress; s.avail_out = UInt32(o.count)
                _ = deflate(&s, Z_FINISH)
                return o.count - Int(s.avail_out)
            }
        }
        return Array(out[..<n])
    }

    /// Reads a gzip stream to its end (at most 256 KiB per byte of chunk, 16 MiB), checking a fault's offset and that the end stays the end.
    static func gunzip(_ stream: [UInt8], chunk: Int) -> (out: [UInt8], error: InputError?, notices: [InputNotice]) {
        guard let gz = try? GzipSource(inner: MemorySource(stream), path: "fuzz.gz") else { return ([], nil, []) }
        var source: any ByteSource = gz
        var out: [UInt8] = []
        var error: InputError?
        var buffer = [UInt8](repeating: 0, count: chunk)
        let cap = min(16 << 20, chunk << 18)  // as the fuzz target
        reading: while out.count < cap {
            let r = buffer.withUnsafeMutableBytes { b in Result { () throws(InputError) in try source.read(into: b) } }
            switch r {
            case .success(0): break reading
            case .success(let n): out += buffer[..<n]
            case .failure(let e):
                #expect(e.offset == out.count)
                error = e
                break reading
            }
        }
        let after = buffer.withUnsafeMutableBytes { b in Result { () throws(InputError) in try source.read(into: b) } }
        if case .success(let n) = after { #expect(n == 0 || out.count >= cap) } else { Issue.record("a second fault") }
        return (out, error, gz.notices)
    }

    /// Text-documentation inputs: read to a schema or a positioned error, never a trap.
    @Test(.timeLimit(.minutes(5))) func textdocInputs() throws {
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
    @Test(.timeLimit(.minutes(5))) func qapiInputs() throws {
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
