import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
@Suite("introspection of libvirt capability transcripts",
       .enabled(if: SchemaReaderPaths.capsAvailable, "../shared/corpus/transcripts/libvirt-caps is absent"))
struct IntrospectionCorpusTests {
    @Test(arguments: [
        ("caps_4.2.0.x86_64.replies", 44, "4.2.0"),
        ("caps_7.2.0_x86_64.replies", 52, "7.2.0"),
        ("caps_9.1.0_x86_64.replies", 53, "9.0.90"),
    ])
    func loads(file: String, events: Int, version: String) throws {
        let s = try IntrospectionReader.read(path: SchemaReaderPaths.caps(file))
        #expect(s.events.count == events)
        #expect(s.version == version)
        #expect(s.integerWidthsLost)
        #expect(s.origin.kind == .introspection)
        #expect(s.name == file)
    }
}
}
