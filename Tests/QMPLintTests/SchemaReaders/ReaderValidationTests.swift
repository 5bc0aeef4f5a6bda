import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// Schemas from the readers drive the validator: events written here are checked against
    /// what the readers produced.
    @Suite("validation against read schemas")
    struct ReaderValidationTests {
        /// Findings for one event given as JSON text.
        static func findings(_ text: String, _ validator: MessageValidator) -> [RawFinding] {
            var tape = JSONTape()
            var findings: [RawFinding] = []
            var bytes = text
            bytes.withUTF8 { u in
                guard case .success = JSONParser.parseDocument(UnsafeRawBufferPointer(u), options: .strict, into: &tape) else {
                    Issue.record("test event is not JSON: \(text)")
                    return
                }
                _ = validator.validate(event: 0, in: tape, into: &findings)
            }
            return findings
        }

        static let timestamp = "\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}"

        @Test(.enabled(if: SchemaReaderPaths.capsAvailable, "../shared/corpus/transcripts/libvirt-caps is absent"))
        func shutdownAgainstQemu91Introspection() throws {
            let v = MessageValidator(schema: try IntrospectionReader.read(path: SchemaReaderPaths.caps("caps_9.1.0_x86_64.replies")))
            let good = "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}, \(Self.timestamp)}"
            #expect(Self.findings(good, v).isEmpty)

            let bad = "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"guest-shutdwn\"}, \(Self.timestamp)}"
            let f = Self.findings(bad, v)
            #expect(f.map(\.rule) == ["enum-value"])
            #expect(f.first?.pointer == "/data/reason")
            #expect(f.first?.message.contains("did you mean \"guest-shutdown\"") == true, "\(f)")

            let missing = "{\"event\": \"SHUTDOWN\", \"data\": {\"reason\": \"host-signal\"}, \(Self.timestamp)}"
            #expect(Self.findings(missing, v).map(\.rule) == ["missing-member"])

            let stop = "{\"event\": \"STOP\", \"data\": {}, \(Self.timestamp)}"
            #expect(Self.findings(stop, v).map(\.rule) == ["empty-data"])
        }

        /// The seed writes `sector-count` where QEMU writes `sectors-count`: each schema flags
        /// the other's spelling.
        @Test(.enabled(if: SchemaReaderPaths.seedAvailable && SchemaReaderPaths.docsAvailable,
                       "../shared/seed or ../shared/corpus/docs is absent"))
        func seedAndQemuDocDisagreeOnOneMember() throws {
            let seed = MessageValidator(schema: try TextDocSchemaReader.read(path: SchemaReaderPaths.seed))
            let qemu = MessageValidator(schema: try TextDocSchemaReader.read(path: SchemaReaderPaths.doc("qmp-events-2.1.0.txt")))
            let asSeed = "{\"event\": \"QUORUM_FAILURE\", \"data\": {\"reference\": \"usr1\", \"sector-num\": 345435, \"sector-count\": 5}, \(Self.timestamp)}"
            let asQemu = "{\"event\": \"QUORUM_FAILURE\", \"data\": {\"reference\": \"usr1\", \"sector-num\": 345435, \"sectors-count\": 5}, \(Self.timestamp)}"
            #expect(Self.findings(asSeed, seed).isEmpty)
            #expect(Self.findings(asQemu, qemu).isEmpty)
            #expect(Set(Self.findings(asSeed, qemu).map(\.rule)) == ["unexpected-member", "missing-member"])
            #expect(Set(Self.findings(asQemu, seed).map(\.rule)) == ["unexpected-member", "missing-member"])
        }

        /// Text-doc types: a json-string member given a number is a type mismatch; an untyped
        /// member takes anything; an optional one may be left out.
        @Test func textDocTypesValidate() throws {
            let v = MessageValidator(schema: try TextDocSchemaReader.read(path: SchemaReaderPaths.fixture("textdoc-shapes.txt")))
            let ok = "{\"event\": \"LAMP_ON\", \"data\": {\"lamp\": \"hall\", \"note\": [1], \"colour\": \"warm\"}, \(Self.timestamp)}"
            #expect(Self.findings(ok, v).isEmpty)
            let wrong = "{\"event\": \"LAMP_ON\", \"data\": {\"lamp\": 3, \"note\": null, \"colour\": \"warm\"}, \(Self.timestamp)}"
            #expect(Self.findings(wrong, v).map(\.rule) == ["type-mismatch"])
            let nested = "{\"event\": \"SENSOR_REPORT\", \"data\": {\"sensor\": {\"id\": \"x\"}, \"readings\": [1, \"a\"], "
                + "\"raw\": {\"k\": 1}, \"ok\": true, \"ratio\": 0.5, \"state\": \"?\"}, \(Self.timestamp)}"
            let f = Self.findings(nested, v)
            #expect(f.map(\.rule) == ["type-mismatch"])
            #expect(f.first?.pointer == "/data/sensor/id")
        }
    }
}
