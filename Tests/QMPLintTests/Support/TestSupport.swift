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

/// A linter that finds and counts messages but makes no finding: extraction tests count what
/// was found.
func extractionLinter(geometry: ChunkGeometry = ChunkGeometry(), recordEvents: Bool = false) -> Linter {
    // Extraction's own findings stay on: malformed text and unparsed event text.
    let all = Set(RuleCatalog.ids).subtracting(["malformed-json", "unparsed-event-text"])
    var linter = Linter(jobs: 1, selector: SchemaSelectingProvider(fixed: nil, rules: RuleSet(disabled: all)))
    linter.geometry = geometry
    if recordEvents { linter.eventBudget = EventBudget(cap: 1 << 30) }
    return linter
}

/// Runs extraction over text and returns what one file would report.
func extract(_ text: String, geometry: ChunkGeometry = ChunkGeometry()) -> FileResult {
    extractionLinter(geometry: geometry).lint(bytes: Array(text.utf8), path: "test.log")
}

/// The names of the events found, in text order.
func extractNames(_ text: String, geometry: ChunkGeometry = ChunkGeometry()) -> [String] {
    extractionLinter(geometry: geometry, recordEvents: true).lint(bytes: Array(text.utf8), path: "t").timeline.map(\.name)
}

extension LintRunner {
    /// A whole run as the front end makes it, for tests: the reports written to their files,
    /// the exit status returned (74 when a report could not be written; 64 for a usage error).
    static func runWritingFiles(_ settings: LintSettings) -> QMPLint.ExitStatus {
        guard let outcome = try? run(settings) else { return .usage }
        return outcome.writeReportFiles().isEmpty ? outcome.status : .outputError
    }
}
