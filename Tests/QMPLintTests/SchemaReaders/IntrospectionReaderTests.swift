import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// The introspection reader on small hand-written inputs: masked names, both enum
    /// spellings, unions, alternates, optional members, and every error with its position.
    @Suite("introspection reader")
    struct IntrospectionReaderTests {
        static let masked = SchemaReaderPaths.fixture("introspection-masked.json")

        @Test func readsEventsAndTheirClosureOnly() throws {
            let s = try IntrospectionReader.read(path: Self.masked)
            #expect(s.events.map(\.name) == ["DOOR_OPENED", "IDLE", "LIGHT_CHANGED"])
            #expect(s.name == "introspection-masked.json")
            #expect(s.version == nil)
            #expect(s.integerWidthsLost)
            // The unused enum "10" and the command are not part of the schema.
            #expect(!s.types.contains { $0.name == "10" || $0.name == "ping" })
            #expect(!s.types.contains { if case .enumeration(let v) = $0.kind { v.map(\.name) == ["unused"] } else { false } })
        }

        @Test func eventWithEmptyArgTypeHasNoData() throws {
            let s = try IntrospectionReader.read(path: Self.masked)
            #expect(try #require(s.event(named: "IDLE")).data == nil)
        }

        @Test func membersOptionalityEnumsAndFeatures() throws {
            let s = try IntrospectionReader.read(path: Self.masked)
            let ev = try #require(s.event(named: "LIGHT_CHANGED"))
            #expect(s.types[try #require(ev.data)].name == "LIGHT_CHANGED-data")
            #expect(s.render(ev.data!) ==
                "{lamp: str, level?: int, colour: enum(red|green|blue), mode: enum(on|off|dim), history?: [int]}")
            let members = try #require(s.dataMembers("LIGHT_CHANGED"))
            #expect(members.first { $0.name == "mode" }?.features == ["unstable"])
            // `members` (with features) wins over `values` when both are given.
            guard case .enumeration(let modes) = try #require(s.memberType("LIGHT_CHANGED", "mode")).kind else {
                Issue.record("mode is not an enum")
                return
            }
            #expect(modes.map(\.features) == [[], [], ["deprecated"]])
            // Masked names become the path of first use; real names stay.
            #expect(s.memberType("LIGHT_CHANGED", "colour")?.name == "LIGHT_CHANGED-data.colour")
            #expect(s.memberType("LIGHT_CHANGED", "history")?.name == "[int]")
            #expect(s.memberType("LIGHT_CHANGED", "lamp")?.name == "str")
        }

        @Test func unionsAndAlternates() throws {
            let s = try IntrospectionReader.read(path: Self.masked)
            let ev = try #require(s.event(named: "DOOR_OPENED"))
            #expect(ev.features == ["deprecated"])
            guard case .object(let o) = s.types[try #require(ev.data)].kind else {
                Issue.record("DOOR_OPENED data is not an object")
                return
            }
            #expect(o.discriminator == "kind")
            #expect(o.variants.map(\.value) == ["front", "back"])
            #expect(s.render(o.variants[0].type) == "{bell?: bool, weight: number}")
            #expect(s.render(o.variants[1].type) == "{}")
            let whereType = try #require(s.memberType("DOOR_OPENED", "where"))
            guard case .alternate(let alts) = whereType.kind else {
                Issue.record("where is not an alternate")
                return
            }
            #expect(alts.map { s.render($0) } == ["str", "null", "[{extra: any}]"])
            #expect(s.types[alts[2]].name == "[DOOR_OPENED-data.where|2]")
        }

        @Test func replyObjectGivesTheSameSchema() throws {
            let array = try String(contentsOfFile: Self.masked, encoding: .utf8)
            let a = try readIntrospection(array)
            let b = try readIntrospection("{\"return\": \(array), \"id\": \"libvirt-4\"}")
            #expect(a.summary == b.summary)
            #expect(a.types == b.types)
        }

        @Test func transcriptUsesTheQueryQmpSchemaReplyAndVersion() throws {
            let s = try IntrospectionReader.read(path: SchemaReaderPaths.fixture("introspection-transcript.replies"))
            #expect(s.version == "5.3.1")
            #expect(s.summary == ["BEEP": "{pitch: int}"])
        }

        @Test func replyInsideALogIsFound() throws {
            let text = """
                2024-05-01 10:00:00.000+0000: starting up
                reply: {"return": [{"name": "BEEP", "meta-type": "event", "arg-type": "1"}, \
                {"name": "1", "meta-type": "object", "members": [{"name": "pitch", "type": "int", "default": null}]}, \
                {"name": "int", "meta-type": "builtin", "json-type": "int"}], "id": "x"}
                """
            #expect(try readIntrospection(text).summary == ["BEEP": "{pitch?: int}"])
        }

        @Test func recursiveTypesTerminate() throws {
            let s = try readIntrospection("""
                [{"name": "TREE", "meta-type": "event", "arg-type": "1"},
                 {"name": "1", "meta-type": "object", "members": [{"name": "kids", "type": "[1]", "default": null}]},
                 {"name": "[1]", "meta-type": "array", "element-type": "1"}]
                """)
            let data = try #require(s.event(named: "TREE")?.data)
            guard case .object(let o) = s.types[data].kind, case .array(let e) = s.types[o.members[0].type].kind else {
                Issue.record("unexpected shape")
                return
            }
            #expect(e == data)
        }

        // MARK: Errors

        @Test(arguments: [
            // (input, line, column (1-based, bytes), words of the message)
            ("hello", 1, 1, "not JSON"),
            ("{\"return\": [ {\"name\": \"x\" ,, ] }", 1, 28, "not JSON: expected string key"),
            ("{\"return\": {}, \"id\": 1}", 1, 1, "no schema array"),
            ("[\n  {\"name\": \"E\", \"meta-type\": \"event\", \"arg-type\": \"7\"}\n]", 2, 51,
             "\"7\" referenced by event E is not defined"),
            ("[{\"name\": 3, \"meta-type\": \"enum\"}]", 1, 11, "\"name\" of a SchemaInfo entry must be a string"),
            ("[{\"name\": \"E\", \"meta-type\": \"event\", \"arg-type\": \"1\"},\n {\"name\": \"1\", \"meta-type\": \"enum\"}]",
             2, 2, "neither \"members\" nor \"values\""),
            ("[{\"name\": \"E\", \"meta-type\": \"event\", \"arg-type\": \"str\"},\n {\"name\": \"str\", \"meta-type\": \"builtin\", \"json-type\": \"text\"}]",
             2, 55, "unknown json-type \"text\""),
            ("[{\"name\": \"E\", \"meta-type\": \"event\", \"arg-type\": \"1\"},\n {\"name\": \"1\", \"meta-type\": \"object\", \"members\": [{\"name\": \"m\"}]}]",
             2, 51, "member \"m\" of type \"1\" has no \"type\""),
            ("[{\"name\": \"E\", \"meta-type\": \"event\", \"arg-type\": \"1\"},\n {\"name\": \"1\", \"meta-type\": \"object\", \"members\": {}}]",
             2, 50, "must be an array"),
            ("[\"SHUTDOWN\"]", 1, 2, "must be an object"),
            ("[{\"name\": \"E\", \"meta-type\": \"event\"}, {\"name\": \"E\", \"meta-type\": \"event\"}]", 1, 39, "defined twice"),
            ("[] []", 1, 4, "unexpected data after the SchemaInfo array"),
        ])
        func errorsArePlaced(input: String, line: Int, column: Int, message: String) {
            guard let error = readError({ () throws(SchemaReadError) -> Schema in try readIntrospection(input) }) else {
                Issue.record("no error for \(input)")
                return
            }
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.path == "test.json")
        }

        @Test func missingFileIsAnError() {
            let e = readError { () throws(SchemaReadError) -> Schema in try IntrospectionReader.read(path: "/nonexistent/schema.json") }
            #expect(e?.message == "cannot read file")
        }
    }
}
