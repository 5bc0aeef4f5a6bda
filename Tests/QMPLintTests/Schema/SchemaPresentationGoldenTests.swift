import Foundation
import Testing
@testable import QMPLint

/// One golden output of a `schema` subcommand, rendered by the library (the CLI tests compare
/// the binary's output with the same files).
struct SchemaGolden: Sendable, CustomTestStringConvertible {
    var file: String
    var render: @Sendable () throws -> String
    var testDescription: String { file }

    static let dir = TestPaths.fixtures.appendingPathComponent("schema-presentation")
    /// The fixture schemas, named as the CLI names them (`--schema PATH`, relative).
    static let newPath = "Fixtures/schema-readers/qapi-commands", oldPath = "Fixtures/schema-readers/qapi-commands-old"

    static func fixture(_ rel: String) throws -> Schema {
        try QAPISchemaReader.read(path: TestPaths.repoRoot.appendingPathComponent(rel).path, name: rel)
    }

    static var all: [SchemaGolden] {
        var out: [SchemaGolden] = [
            SchemaGolden(file: "commands.txt") { SchemaPresentation.commands(try fixture(newPath), json: false) },
            SchemaGolden(file: "commands.json") { SchemaPresentation.commands(try fixture(newPath), json: true) },
            SchemaGolden(file: "diff.txt") { SchemaPresentation.diff(try fixture(oldPath), try fixture(newPath), json: false) },
            SchemaGolden(file: "diff.json") { SchemaPresentation.diff(try fixture(oldPath), try fixture(newPath), json: true) },
            SchemaGolden(file: "commands-qemu-10.2.0.txt") {
                SchemaPresentation.commands(try BuiltinCatalogs.load(version: "10.2.0"), json: false)
            },
            SchemaGolden(file: "diff-qemu-8.2.0-qemu-10.2.0.txt") {
                SchemaPresentation.diff(try BuiltinCatalogs.load(version: "8.2.0"), try BuiltinCatalogs.load(version: "10.2.0"), json: false)
            },
        ]
        for name in ["fixture-add", "lamp-set", "lamp-query", "lamp-version", "raw-set", "power-off", "lamp-old", "x-lamp-debug", "ping"] {
            for json in [false, true] {
                out.append(SchemaGolden(file: "show-\(name).\(json ? "json" : "txt")") {
                    SchemaPresentation.show(name, in: try fixture(newPath), json: json) ?? "<none>"
                })
            }
        }
        return out
    }
}

/// Golden files under Fixtures/schema-presentation; `QMPLINT_UPDATE_GOLDEN=1` rewrites them.
@Suite struct SchemaPresentationGoldenTests {
    static let updating = ProcessInfo.processInfo.environment["QMPLINT_UPDATE_GOLDEN"] == "1"

    @Test(arguments: SchemaGolden.all)
    func matchesGoldenFile(_ golden: SchemaGolden) throws {
        let rendered = try golden.render()
        let url = SchemaGolden.dir.appendingPathComponent(golden.file)
        if Self.updating {
            try FileManager.default.createDirectory(at: SchemaGolden.dir, withIntermediateDirectories: true)
            try Data(rendered.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(rendered == expected, "\(golden.file) differs (QMPLINT_UPDATE_GOLDEN=1 to regenerate)")
    }

    /// An event shown by name is as before commands existed; a command is found too.
    @Test func showFindsEventsAndCommands() throws {
        let s = try SchemaGolden.fixture(SchemaGolden.newPath)
        #expect(SchemaPresentation.show("LAMP_CHANGED", in: s, json: false) == "LAMP_CHANGED (\(s.name)), since 1.0\n  lamp: str\n  level: uint8\n")
        #expect(SchemaPresentation.show("ping", in: s, json: false)?.hasPrefix("ping (\(s.name)), since 1.0\n  arguments: none\n") == true)
        #expect(SchemaPresentation.show("nope", in: s, json: false) == nil)
    }
}
