import Foundation
import Testing
@testable import QMPLint

/// A live run (issue 17, item 1) reads a stream that pauses where it paused: the extra cuts at
/// those places must not change the report, and every finding is shown once, as it becomes final.
@Suite struct LiveStreamTests {
    /// Hands out `pieces` one by one, the stream going quiet after each (as a pipe whose writer
    /// writes one record at a time).
    final class PausingSource: PollableSource {
        var pieces: [[UInt8]]
        var offset = 0
        var quietDue = false
        var knownSize: Int? { nil }
        init(_ pieces: [[UInt8]]) { self.pieces = pieces }

        func wait(_ waiting: Waiting, allowQuiet: Bool) -> Waiting.Outcome {
            if quietDue && allowQuiet {
                quietDue = false
                return .quiet
            }
            return .data
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            guard let piece = pieces.first else { return 0 }
            let n = min(buffer.count, piece.count - offset)
            piece.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            if offset == piece.count {
                pieces.removeFirst()
                offset = 0
                quietDue = true
            }
            return n
        }
    }

    /// `text` in pieces ending where a unit ends (a writer that writes whole records).
    static func records(_ text: String) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        var pieces: [[UInt8]] = []
        var from = 0
        bytes.withUnsafeBytes { b in
            for i in b.indices where b[i] == 0x0A && i + 1 < b.count {
                if LineShape.startsUnit(b, at: i + 1, floor: 0, limit: b.count) {
                    pieces.append(Array(bytes[from...i]))
                    from = i + 1
                }
            }
        }
        if from < bytes.count { pieces.append(Array(bytes[from...])) }
        return pieces
    }

    static func linter() -> Linter {
        var l = Linter(jobs: 1, selector: SchemaSelectingProvider(fixed: nil, rules: RuleSet()))
        l.captureSourceLines = false
        return l
    }

    static func json(_ r: FileResult, _ l: Linter) -> String {
        var r = r
        if r.summary.schema == nil { r.summary.schema = l.selector.defaultChoice }
        let report = Linter.assemble([r], schema: l.selector.defaultChoice)
        return JSONReporter.render(report, options: ReportOptions())
    }

    @Test(arguments: ["libvirt", "wire", "mixed"])
    func pausesAtRecordsChangeNothing(_ name: String) throws {
        let text = switch name {
        case "libvirt": SplitPointDeterminismTests.libvirtLog
        case "wire": SplitPointDeterminismTests.wireLog
        default: SplitPointDeterminismTests.mixedLog
        }
        let plain = Self.linter()
        let whole = plain.lint(bytes: Array(text.utf8), path: "log")
        let pieces = Self.records(text)
        #expect(pieces.count > 3)
        var shown: [String] = []
        var live = Self.linter()
        live.live = LiveOutput(reporter: JSONLReporter.self, options: ReportOptions()) { shown.append($0) }
        let paused = live.lint(PausingSource(pieces), path: "log")
        #expect(Self.json(paused, live) == Self.json(whole, plain))
        // Each finding shown once (the run's findings, in the order found).
        let lines = shown.joined().split(separator: "\n").map(String.init).sorted()
        let expected = JSONLReporter.render(Linter.assemble([whole], schema: plain.selector.defaultChoice),
                                            options: ReportOptions())
            .split(separator: "\n").dropLast().map(String.init).sorted()
        #expect(lines == expected)
    }

    @Test func quietCutsAfterTheLastCompleteLineUnlessItLeavesJSONOpen() {
        func cut(_ s: String) -> Int? { Array(s.utf8).withUnsafeBytes { Run.quietCut($0, from: 0) } }
        #expect(cut(#"{"event": "STOP"}"# + "\n") == 18)
        #expect(cut(#"{"event": "STOP"}"# + "\n{\"ev") == 18)
        #expect(cut("no newline yet") == nil)
        #expect(cut("event STOP at 1.0 for domain 'vm': {\n") == nil)
        #expect(cut("{\n  \"event\": \"STOP\",\n") == nil)
        #expect(cut("{\n  \"event\": \"STOP\"\n}\n") == 22)
    }
}
