import Foundation
import Testing
@testable import QMPLint

/// When `../shared` is present, every test that reads it must run: each condition those tests
/// are enabled by must hold. A missing part of the corpus (or a condition that stopped matching
/// it) fails here instead of silently skipping its suite. `.ci/run` also fails when the test log
/// shows a skip whose reason names `../shared`.
@Suite struct SharedCorpusPresenceTests {
    /// `../shared` beside the checkout, by its top-level layout (not by `corpus/`, which is
    /// what most tests test for).
    static var sharedPresent: Bool {
        ["bench", "corpus", "seed"].contains {
            FileManager.default.fileExists(atPath: TestPaths.sharedPath($0))
        }
    }

    /// What the `.enabled(if:)` conditions of the suites that read `../shared` test, by name.
    static var conditions: [(String, Bool)] {
        let exists = { (rel: String) in FileManager.default.fileExists(atPath: TestPaths.sharedPath(rel)) }
        return [
            ("TestPaths.sharedAvailable", TestPaths.sharedAvailable),
            ("TestPaths.pythonAvailable", TestPaths.pythonAvailable),
            ("SchemaReaderPaths.capsAvailable", SchemaReaderPaths.capsAvailable),
            ("SchemaReaderPaths.docsAvailable", SchemaReaderPaths.docsAvailable),
            ("SchemaReaderPaths.seedAvailable", SchemaReaderPaths.seedAvailable),
            ("JSONTestPaths.iotestsAvailable", JSONTestPaths.iotestsAvailable),
            ("JSONTestPaths.testSuiteAvailable", JSONTestPaths.testSuiteAvailable),
            ("SARIF schema", FileManager.default.fileExists(atPath: ReportSchemaTests.sarifSchema)),
            ("JUnit schema", FileManager.default.fileExists(atPath: ReportSchemaTests.junitSchema)),
            ("corpus/qapi/releases/2.1.0", exists("corpus/qapi/releases/2.1.0")),
            ("corpus/qapi/releases/7.2.0", exists("corpus/qapi/releases/7.2.0")),
            ("bench/gen_corpus.py", exists("bench/gen_corpus.py")),
            ("bench/check_report.py", exists("bench/check_report.py")),
        ]
    }

    @Test(.enabled(if: sharedPresent, "../shared is absent: nothing to check"))
    func everyConditionOnSharedHolds() {
        let failing = Self.conditions.filter { !$0.1 }.map(\.0)
        #expect(failing.isEmpty, "../shared is present, yet these conditions fail (their tests are skipped): \(failing)")
    }
}
