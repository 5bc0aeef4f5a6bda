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
        let scan = LineObjects(bytes)
        #expect(scan.failures.isEmpty, "\(name): \(scan.failures.joined(separator: "\n"))")
        #expect(!scan.objects.isEmpty, "\(name): no JSON object found")
    }
}

/// The hand-written fixture in the same shape, checked without the shared corpus.
struct JSONFixtureTranscriptTests {
    @Test func filteredValuesFixture() throws {
        let url = JSONTestPaths.fixtures.appendingPathComponent("iotests-filtered-values.out")
        let bytes = try [UInt8](Data(contentsOf: url))
        let scan = LineObjects(bytes)
        #expect(scan.failures.isEmpty, "\(scan.failures)")
        #expect(scan.objects.count == 7)
        var tape = JSONTape()
        var placeholders: [String] = []
        var events: [String] = []
        bytes.withUnsafeBytes { buffer in
            for (start, _) in scan.objects {
                guard case .success = JSONParser.parseValue(buffer, from: start, options: .lenient, into: &tape) else {
                    continue
                }
                for (index, node) in tape.nodes.enumerated() where node.kind == .placeholder {
                    placeholders.append(tape.rawText(index))
                }
                if let event = tape.member(0, "event") { events.append(tape.string(event)) }
            }
        }
        #expect(events == ["JOB_STATUS_CHANGE", "BLOCK_JOB_READY", "BLOCK_JOB_CANCELLED"])
        #expect(placeholders == ["QMP_VERSION", "QMP_VERSION"] + Array(repeating: "TIMESTAMP", count: 4)
            + ["LEN", "OFFSET", "TIMESTAMP", "TIMESTAMP", "(filtered)"])
    }
}

/// Every value opened by a `{` at the start of a line, parsed leniently (a value may span
/// lines; lines inside a parsed value are skipped).
struct LineObjects {
    var objects: [(start: Int, end: Int)] = []
    var failures: [String] = []

    init(_ bytes: [UInt8]) {
        var tape = JSONTape()
        bytes.withUnsafeBytes { buffer in
            var lineStart = 0
            var skipTo = 0
            while lineStart < buffer.count {
                var lineEnd = lineStart
                while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                if lineStart >= skipTo && lineEnd > lineStart && buffer[lineStart] == 0x7B {
                    switch JSONParser.parseValue(buffer, from: lineStart, options: .lenient, into: &tape) {
                    case .success(let end):
                        objects.append((lineStart, end))
                        skipTo = end
                    case .failure(let error):
                        let line = String(decoding: buffer[lineStart..<lineEnd], as: UTF8.self)
                        failures.append("\(error.message) at \(error.offset - lineStart): \(line)")
                    }
                }
                lineStart = lineEnd + 1
            }
        }
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
