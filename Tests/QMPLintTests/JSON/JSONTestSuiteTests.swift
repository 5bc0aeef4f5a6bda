import Foundation
import Testing
@testable import QMPLint

/// JSONTestSuite (`../shared/corpus/json-test-suite/test_parsing`): strict mode accepts every
/// `y_` file, rejects every `n_` file, and returns (either way) on every `i_` file.
@Suite(.enabled(if: JSONTestPaths.testSuiteAvailable, "../shared/corpus/json-test-suite is absent"))
struct JSONTestSuiteTests {
    @Test(arguments: JSONTestPaths.testSuiteFiles)
    func strictVerdict(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: JSONTestPaths.testSuite.appendingPathComponent(name)))
        let parsed = ParsedJSON(bytes)
        if name.hasPrefix("y_") {
            #expect(parsed.ok, "\(name): \(String(describing: parsed.error))")
            #expect(parsed.end == bytes.count)
        } else if name.hasPrefix("n_") {
            #expect(!parsed.ok, "\(name) was accepted")
        }
        // Lenient mode must never crash either, and every string it keeps must decode.
        let lenient = ParsedJSON(bytes, options: .lenient)
        if lenient.ok {
            for (index, node) in lenient.tape.nodes.enumerated() where node.kind == .string {
                _ = lenient.tape.string(index)
            }
        }
    }

    @Test func everyNodeIsWellFormedOnAcceptedFiles() throws {
        for name in JSONTestPaths.testSuiteFiles where name.hasPrefix("y_") {
            let bytes = try [UInt8](Data(contentsOf: JSONTestPaths.testSuite.appendingPathComponent(name)))
            let parsed = ParsedJSON(bytes)
            let nodes = parsed.tape.nodes
            #expect(!nodes.isEmpty)
            #expect(nodes.first.map { Int($0.next) } == nodes.count, "\(name)")
            for node in nodes {
                #expect(node.start < node.end && node.end <= bytes.count, "\(name)")
            }
        }
    }
}
