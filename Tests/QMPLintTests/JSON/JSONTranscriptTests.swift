import Foundation
import Testing
@testable import QMPLint

/// QEMU test-suite output (`../shared/corpus/transcripts/qemu-iotests/*.out`): every line that
/// opens a JSON object parses in lenient mode (placeholders included), one- or multi-line.
@Suite(.enabled(if: JSONTestPaths.iotestsAvailable, "../shared/corpus/transcripts/qemu-iotests is absent"))
struct JSONTranscriptTests {
    @Test(arguments: JSONTestPaths.iotestsFiles)
    func objectsParseLeniently(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: JSONTestPaths.iotests.appendingPathComponent(name)))
        var tape = JSONTape()
        var failures: [String] = []
        var objects = 0
        bytes.withUnsafeBytes { buffer in
            var lineStart = 0
            var skipTo = 0
            while lineStart < buffer.count {
                var lineEnd = lineStart
                while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                if lineStart >= skipTo && lineEnd > lineStart && buffer[lineStart] == 0x7B {
                    switch JSONParser.parseValue(buffer, from: lineStart, options: .lenient, into: &tape) {
                    case .success(let end):
                        objects += 1
                        skipTo = end
                    case .failure(let error):
                        let line = String(decoding: buffer[lineStart..<lineEnd], as: UTF8.self)
                        failures.append("\(error.message) at \(error.offset - lineStart): \(line)")
                    }
                }
                lineStart = lineEnd + 1
            }
        }
        #expect(failures.isEmpty, "\(name): \(failures.joined(separator: "\n"))")
        #expect(objects > 0, "\(name): no JSON object found")
    }
}

extension JSONTestPaths {
    static let iotests = shared.appendingPathComponent("corpus/transcripts/qemu-iotests")
    static var iotestsAvailable: Bool { FileManager.default.fileExists(atPath: iotests.path) }
    static var iotestsFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: iotests.path)) ?? [])
            .filter { $0.hasSuffix(".out") }.sorted()
    }
}
