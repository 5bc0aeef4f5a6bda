import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// The text documentation reader on a hand-written document and on malformed ones.
    @Suite("text documentation reader")
    struct TextDocReaderTests {
        static let shapes = SchemaReaderPaths.fixture("textdoc-shapes.txt")

        @Test func shapes() throws {
            let s = try TextDocSchemaReader.read(path: Self.shapes)
            #expect(s.events.map(\.name) == ["LAMP_OFF", "LAMP_ON", "PANEL_INFO", "SENSOR_REPORT"])
            #expect(s.summary == [
                // The json-type is in the last group naming one; groups may nest and wrap.
                "LAMP_ON": "{lamp: str, level?: int, note: any, colour: str}",
                "LAMP_OFF": "-",
                "SENSOR_REPORT": "{sensor: {id: int, label?: str}, readings: [any], raw: any, ok: bool, ratio: number, state: any}",
                "PANEL_INFO": "any",
            ])
            #expect(s.unresolvedReferences == [
                UnresolvedTypeReference(event: "SENSOR_REPORT", pointer: "/data/state", typeName: "SensorState", line: 49),
                UnresolvedTypeReference(event: "PANEL_INFO", pointer: "/data", typeName: "PanelInfo", line: 56),
            ])
            #expect(s.memberType("SENSOR_REPORT", "sensor")?.name == "SENSOR_REPORT-data.sensor")
        }

        /// A schema that defines the referenced types (as a QAPI source would).
        static func definitions() -> Schema {
            let types = [
                SchemaType(name: "int16", kind: .builtin(.int16)),
                SchemaType(name: "PanelInfo", kind: .object(SchemaObject(members: [
                    SchemaMember(name: "width", type: 0, optional: false),
                    SchemaMember(name: "height", type: 0, optional: true),
                    SchemaMember(name: "state", type: 2, optional: true),
                    SchemaMember(name: "label", type: 3, optional: true),
                ]))),
                SchemaType(name: "SensorState", kind: .enumeration([SchemaEnumValue(name: "ok"), SchemaEnumValue(name: "broken")])),
                SchemaType(name: "str", kind: .builtin(.str)),
            ]
            return Schema(name: "defs", origin: SchemaOrigin(kind: .builtin), types: types, events: [])
        }

        @Test func referencesResolveAgainstAnotherSchema() throws {
            let s = try TextDocSchemaReader.read(path: Self.shapes, resolvingAgainst: Self.definitions())
            #expect(s.unresolvedReferences.isEmpty)
            #expect(s.summary["PANEL_INFO"] == "{width: int16, height?: int16, state?: enum(ok|broken), label?: str}")
            #expect(s.memberType("SENSOR_REPORT", "state")?.name == "SensorState")
            // SensorState is imported once, shared by both uses.
            #expect(s.types.filter { $0.name == "SensorState" }.count == 1)
            // A builtin the document already uses is shared, not duplicated.
            #expect(s.types.filter { $0.name == "str" }.count == 1)
            #expect(s.types.filter { $0.name == "int16" }.count == 1)
        }

        @Test func crlfLinesAndNoTrailingNewline() throws {
            let text = "PING\r\n----\r\n\r\nData:\r\n\r\n- \"n\": count (json-int)"
            let s = try TextDocSchemaReader.read(text: text, path: "crlf.txt")
            #expect(s.summary == ["PING": "{n: int}"])
        }

        @Test(arguments: [
            // (document, line, column, words of the message)
            ("Nothing to see here.\n", 1, 1, "no events found"),
            ("A\n---\n\nData:\n\n- \"lamp Lamp name (json-string)\n", 6, 3, "unterminated member name"),
            ("A\n---\n\nData:\n\n- \"lamp\" Lamp name (json-string)\n", 6, 10, "expected ':' after member name \"lamp\""),
            ("A\n---\n\nData:\n\n- lamp: Lamp name (json-string)\n", 6, 3, "cannot read member line of A"),
            ("A\n---\n\nData:\n\n- \"lamp\": Lamp name\n  of the hall (json-strng)\n", 7, 16, "unknown type json-strng"),
            ("A\n---\n\nData: maybe\n", 4, 7, "cannot read the Data line of A"),
            ("A\n---\n\nData:\n\nExample:\n\n{ \"event\": \"A\" }\n", 4, 1, "lists no members"),
            ("A\n---\n\nData:\n\nThe lamp.\n- \"lamp\": x (json-string)\n", 6, 1, "expected a member line"),
            ("A\n---\n\nData: None.\n\nB\n---\n\nData: None.\n\nA\n---\n", 11, 1, "documented twice (first at line 1)"),
            ("A\n---\n\nData:\n\n- \"x\": one (json-int)\n- \"x\": two (json-int)\n", 7, 3, "listed twice"),
            ("A\n---\n\nData:\n\n- \"x\": one (json-string)\n  - \"y\": two (json-int)\n", 7, 5, "only json-object and json-array"),
            ("A\n---\n\n - data: PanelInfo type as described in qapi-schema.json\n - \"x\": (json-int)\n", 5, 4, "both a type reference"),
        ])
        func malformedDocuments(text: String, line: Int, column: Int, message: String) {
            guard let error = readError({ () throws(SchemaReadError) -> Schema in
                try TextDocSchemaReader.read(text: text, path: "doc.txt")
            }) else {
                Issue.record("no error for \(text)")
                return
            }
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.path == "doc.txt")
        }
    }
}

@Suite struct TextDocDataTwiceTests {
    @Test func dataReferenceGivenTwiceIsAPositionedError() {
        let text = "X_EVENT\n-------\n\nEmitted sometimes.\n\n - data: Foo type as described in qapi-schema.json\n - data: Bar type as described in qapi-schema.json\n"
        #expect(throws: SchemaReadError.self) { try TextDocSchemaReader.read(text: text, path: "t.txt") }
        do {
            _ = try TextDocSchemaReader.read(text: text, path: "t.txt")
        } catch {
            #expect(error.line == 7, "\(error)")
            #expect(error.message.contains("given twice"), "\(error)")
        }
    }
}
