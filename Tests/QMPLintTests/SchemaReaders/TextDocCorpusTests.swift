import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
@Suite("text documentation of events",
       .enabled(if: SchemaReaderPaths.docsAvailable, "../shared/corpus/docs is absent"))
struct TextDocCorpusTests {
    @Test func dump() throws {
        for p in [SchemaReaderPaths.doc("qmp-events-2.1.0.txt"), SchemaReaderPaths.doc("qmp-events-2.8.0.txt"), SchemaReaderPaths.seed] {
            let s = try TextDocSchemaReader.read(path: p)
            print("== \(s.name) \(s.events.count)")
            for e in s.events { print(e.name, s.summary[e.name]!) }
            print(s.unresolvedReferences)
        }
    }
}
}
