import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// `--schema PATH`: the form is recognised from the first bytes and the right reader runs.
    @Suite("schema file loader")
    struct SchemaFileLoaderTests {
        @Test(arguments: [
            ("# QAPI schema\n{ 'include': 'common.json' }\n", SchemaFileLoader.Format.qapiSource),
            ("{ 'enum': 'Tone', 'data': [ 'low' ] }", .qapiSource),
            ("\u{FEFF}[{\"name\": \"E\", \"meta-type\": \"event\"}]", .introspection),
            ("  {\"return\": [], \"id\": 1}", .introspection),
            ("{\n  \"execute\": \"qmp_capabilities\"\n}\n\n{\n  \"return\": {}\n}\n", .introspection),
            ("{}", .introspection),
            ("10:00 reply {\"return\": [{\"name\": \"E\", \"meta-type\": \"event\"}]}", .introspection),
            ("SHUTDOWN\n--------\n\nData: None.\n", .textDoc),
            ("", .textDoc),
        ])
        func recognisesTheForm(text: String, format: SchemaFileLoader.Format) {
            var text = text
            let found = text.withUTF8 { SchemaFileLoader.format(of: UnsafeRawBufferPointer($0)) }
            #expect(found == format)
        }

        @Test(arguments: [
            ("introspection-masked.json", SchemaOrigin.Kind.introspection, ["DOOR_OPENED", "IDLE", "LIGHT_CHANGED"]),
            ("introspection-transcript.replies", .introspection, ["BEEP"]),
            ("textdoc-shapes.txt", .textDoc, ["LAMP_OFF", "LAMP_ON", "PANEL_INFO", "SENSOR_REPORT"]),
            ("qapi-mini", .qapiSource, ["BEEP", "PANEL_INFO"]),
            ("qapi-mini/qapi-schema.json", .qapiSource, ["BEEP", "PANEL_INFO"]),
        ])
        func loadsEachForm(fixture: String, kind: SchemaOrigin.Kind, events: [String]) throws {
            let s = try SchemaFileLoader.load(path: SchemaReaderPaths.fixture(fixture))
            #expect(s.origin.kind == kind)
            #expect(s.events.map(\.name) == events)
        }

        @Test func textDocResolvedAgainstQAPISource() throws {
            let qapi = try SchemaFileLoader.load(path: SchemaReaderPaths.fixture("qapi-mini"))
            let s = try SchemaFileLoader.load(path: SchemaReaderPaths.fixture("textdoc-shapes.txt"), resolvingAgainst: qapi)
            #expect(s.unresolvedReferences.map(\.typeName) == ["SensorState"])
            #expect(s.summary["PANEL_INFO"] == "{width: uint16, tone?: enum(low|high)}")
        }

        @Test func missingPathIsAnError() {
            let e = readError { () throws(SchemaReadError) -> Schema in
                try SchemaFileLoader.load(path: "/nonexistent/qmp-schema")
            }
            #expect(e?.path == "/nonexistent/qmp-schema")
            #expect(e?.message == "no such file or directory")
        }
    }
}
