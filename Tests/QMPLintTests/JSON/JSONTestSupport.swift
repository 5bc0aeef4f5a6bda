import Foundation
@testable import QMPLint

/// Locations of test inputs for the JSON tests, found from this file's path.
enum JSONTestPaths {
    /// The repository root (three levels above this file's folder).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `<repo>/../shared`, the read-only reference corpus.
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// JSONTestSuite's `test_parsing` folder.
    static let testSuite = shared.appendingPathComponent("corpus/json-test-suite/test_parsing")

    /// True when the JSONTestSuite corpus is present.
    static var testSuiteAvailable: Bool {
        FileManager.default.fileExists(atPath: testSuite.path)
    }

    /// The suite's file names, sorted; empty when the corpus is absent.
    static var testSuiteFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: testSuite.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Fixtures/json.
    static let fixtures = repoRoot.appendingPathComponent("Fixtures/json")
}

/// Owns a copy of some bytes and the tape of their parse (the tape points into the copy).
final class ParsedJSON {
    let buffer: UnsafeMutableRawBufferPointer
    var tape = JSONTape()
    let result: Result<Int, JSONParseError>

    init(_ bytes: [UInt8], options: JSONParser.Options = .strict, document: Bool = true,
         from: Int = 0, limit: Int? = nil) {
        buffer = .allocate(byteCount: max(bytes.count, 1), alignment: 8)
        buffer.copyBytes(from: bytes)
        let view = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<bytes.count])
        if document {
            result = JSONParser.parseDocument(view, options: options, into: &tape)
        } else {
            result = JSONParser.parseValue(view, from: from, limit: limit, options: options, into: &tape)
        }
    }

    convenience init(_ text: String, options: JSONParser.Options = .strict, document: Bool = true,
                     from: Int = 0, limit: Int? = nil) {
        self.init(Array(text.utf8), options: options, document: document, from: from, limit: limit)
    }

    deinit { buffer.deallocate() }

    var ok: Bool { if case .success = result { return true } else { return false } }
    var end: Int? { if case .success(let e) = result { return e } else { return nil } }
    var error: JSONParseError? { if case .failure(let e) = result { return e } else { return nil } }
    var kinds: [JSONKind] { tape.nodes.map(\.kind) }
}
