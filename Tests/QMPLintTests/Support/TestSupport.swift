import Foundation
import Testing
@testable import QMPLint

/// Locations of the repository's fixtures and of the shared corpora beside the checkout.
enum TestPaths {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repoRoot.appendingPathComponent("Fixtures")
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("corpus").path) }
    static var pythonAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func sharedPath(_ rel: String) -> String { shared.appendingPathComponent(rel).path }
}

/// A checker that only names events: extraction tests count what was found, not findings.
struct NameOnlyChecker: EventChecker {
    mutating func check(_ event: ExtractedEvent, tape: JSONTape, findings: inout [RawFinding]) -> String? {
        switch event.envelope {
        case .json(let root):
            return tape.member(root, "event").map { tape.string($0) }
        case .record(let name, _, _, _):
            return name
        }
    }
}

/// Hands out one fixed checker.
struct FixedProvider<C: EventChecker>: CheckerProvider, @unchecked Sendable {
    let make: () -> C
    func checker(path: String, head: UnsafeRawBufferPointer) -> (C, SchemaChoice) {
        (make(), SchemaChoice(name: "test", reason: "test"))
    }
}

/// Runs extraction over text and returns what one file would report.
func extract(_ text: String, bufferSize: Int = 1 << 16, history: Int = 1 << 12) -> FileResult {
    var options = FileLinter<FixedProvider<NameOnlyChecker>>.Options()
    options.bufferSize = bufferSize
    options.history = history
    var linter = FileLinter(provider: FixedProvider { NameOnlyChecker() }, options: options)
    var source: any ByteSource = MemorySource(text)
    return linter.lint(&source, displayPath: "test.log")
}

/// Events found, as (line, name) in order, by recording checker.
struct RecordingChecker: EventChecker {
    final class Box: @unchecked Sendable { var events: [(start: Int, name: String, dialect: Dialect.ID)] = [] }
    let box = Box()
    mutating func check(_ event: ExtractedEvent, tape: JSONTape, findings: inout [RawFinding]) -> String? {
        var c = NameOnlyChecker()
        let name = c.check(event, tape: tape, findings: &findings) ?? "?"
        box.events.append((event.start, name, event.dialect))
        return name
    }
}

func extractNames(_ text: String, bufferSize: Int = 1 << 16) -> [String] {
    let checker = RecordingChecker()
    var options = FileLinter<FixedProvider<RecordingChecker>>.Options()
    options.bufferSize = bufferSize
    options.history = 1 << 10
    var linter = FileLinter(provider: FixedProvider { checker }, options: options)
    var source: any ByteSource = MemorySource(text)
    _ = linter.lint(&source, displayPath: "t")
    return checker.box.events.map(\.name)
}

extension LintRunner {
    /// A whole run as the front end makes it, for tests: the reports written to their files,
    /// the exit status returned (74 when a report could not be written; 64 for a usage error).
    static func runWritingFiles(_ settings: LintSettings) -> QMPLint.ExitStatus {
        guard let outcome = try? run(settings) else { return .usage }
        return outcome.writeReportFiles().isEmpty ? outcome.status : .outputError
    }
}
