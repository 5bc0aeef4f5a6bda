import Foundation
import Testing
@testable import QMPLint

/// Commands in the schema model: the QAPI reader on a fixture with every form of the language,
/// the catalog codec, and facts of the built-in releases.
@Suite struct SchemaCommandTests {
    static let fixture = TestPaths.fixture("schema-readers/qapi-commands")

    static func load() throws -> Schema { try QAPISchemaReader.read(path: fixture, name: "qapi-commands") }

    @Test func everyFormOfCommand() throws {
        let s = try Self.load()
        #expect(s.commands.map(\.name) == [
            "fixture-add", "lamp-dim", "lamp-info", "lamp-names", "lamp-old", "lamp-pick", "lamp-query", "lamp-set",
            "lamp-shape", "lamp-version", "old-raw", "ping", "power-off", "raw-set", "x-lamp-debug",
        ])
        #expect(s.errorClasses == ["GenericError", "CommandNotFound", "LampMissing"])

        let ping = try #require(s.command(named: "ping"))
        #expect(ping.arguments == nil && ping.returns == nil && !ping.boxed && !ping.allowOOB)
        #expect(ping.generated && ping.successResponse && ping.since == "1.0")

        // Inline members: an implicit object `NAME-arg`, member features and conditions kept.
        let set = try #require(s.command(named: "lamp-set"))
        #expect(s.types[try #require(set.arguments)].name == "lamp-set-arg")
        #expect(s.render(set.arguments!) == "{lamp: str, level?: uint8, colour?: enum(red|green), label?: str}")
        let label = try #require(SchemaPresentation.members(set, s).last)
        #expect(label.features == ["unstable"] && label.condition == .name("CONFIG_LABELS"))
        #expect(set.allowPreconfig && set.returns == nil)

        // Returns: an array of structs, an array of a builtin, any, a struct with a nested
        // anonymous struct (QEMU 2.1's VersionInfo).
        let query = try #require(s.command(named: "lamp-query"))
        #expect(s.types[try #require(query.returns)].name == "[LampInfo]" && query.allowOOB)
        #expect(s.types[try #require(s.command(named: "lamp-names")?.returns)].name == "[str]")
        #expect(s.render(try #require(s.command(named: "fixture-add")?.returns)) == "any")
        #expect(s.render(try #require(s.command(named: "lamp-version")?.returns)) == "{version: {major: int, minor: int}, package: str}")

        // Boxed union; a named struct used unboxed.
        let add = try #require(s.command(named: "fixture-add"))
        #expect(try add.boxed && s.types[#require(add.arguments)].name == "FixtureOptions")
        guard case .object(let o) = s.types[add.arguments!].kind else { Issue.record("not an object"); return }
        #expect(o.discriminator == "kind" && o.variants.map(\.value) == ["lamp", "fan"])
        let info = try #require(s.command(named: "lamp-info"))
        #expect(!info.boxed && s.types[info.arguments!].name == "LampRef" && s.types[info.returns!].name == "LampInfo")

        // gen: false (and 'no'): undefined names are any; success-response: false.
        let raw = try #require(s.command(named: "raw-set"))
        #expect(!raw.generated && s.render(raw.arguments!) == "{path: str, value: any}")
        let old = try #require(s.command(named: "old-raw"))
        #expect(!old.generated && s.render(old.arguments!) == "{value: any, props?: any}")
        #expect(try #require(s.command(named: "power-off")).successResponse == false)

        // Features (plain and dict), the replacement a deprecated command's doc names, and
        // conditions in every spelling.
        let lampOld = try #require(s.command(named: "lamp-old"))
        #expect(lampOld.features == ["deprecated"] && lampOld.replacement == "lamp-set" && lampOld.since == "1.1")
        let debug = try #require(s.command(named: "x-lamp-debug"))
        #expect(debug.features == ["unstable"])
        #expect(debug.condition == .all([.name("CONFIG_A"), .not(.name("CONFIG_B"))]))
        #expect(s.command(named: "lamp-dim")?.condition == .all([.name("CONFIG_A"), .name("CONFIG_C")]))
        #expect(s.command(named: "lamp-pick")?.condition == .any([.name("CONFIG_A"), .name("CONFIG_B")]))
        #expect(s.render(try #require(s.command(named: "lamp-pick")?.arguments)) == "{choice: alt(str|int)}")

        // A simple union in the arguments is desugared to its wire form.
        let shape = try #require(s.command(named: "lamp-shape"))
        #expect(s.render(try #require(shape.arguments))
                == "{shape: {type: enum(round|square) | type: round=Shape-round-wrapper,square=Shape-square-wrapper}}")
    }

    /// Event types get their ids before any command's: commands do not change the event part.
    @Test func eventTypesComeFirst() throws {
        let s = try Self.load()
        let e = try #require(s.event(named: "LAMP_CHANGED"))
        #expect(s.types.prefix(3).map(\.name) == ["str", "uint8", "LAMP_CHANGED-data"])
        #expect(e.data == 2)
    }

    @Test func catalogCarriesCommands() throws {
        let s = try Self.load()
        let text = SchemaCatalogCodec.encode(s)
        #expect(text.contains("\ncommand fixture-add args=FixtureOptions boxed returns=any\n"))
        #expect(text.contains("\ncommand lamp-query returns=[LampInfo] oob since=2.3\n"))
        #expect(text.contains("\ncommand power-off no-success-response\n"))
        #expect(text.contains("\nerrors GenericError CommandNotFound LampMissing\n"))
        let back = try SchemaCatalogCodec.decode(text)
        #expect(back.commands == s.commands)
        #expect(back.errorClasses == s.errorClasses)
        #expect(back.types == s.types)
        #expect(SchemaCatalogCodec.encode(back) == text)
    }

    @Test func catalogCommandErrorsHaveALine() {
        for (text, line) in [
            ("qmp-lint-catalog 1\ncommand x args=Nope\n", 2),
            ("qmp-lint-catalog 1\ntype str builtin str\ncommand x returns=Nope\n", 3),
            ("qmp-lint-catalog 1\ncommand\n", 2),
            ("qmp-lint-catalog 1\ncommand x if=all(\n", 2),
        ] {
            do {
                _ = try SchemaCatalogCodec.decode(text, name: "t")
                Issue.record("expected an error for \(text)")
            } catch { #expect(error.line == line, "\(text): \(error)") }
        }
        // A catalog as format 1 first had it (no commands, no errors line) still decodes.
        let s = try? SchemaCatalogCodec.decode("qmp-lint-catalog 1\nschema x\nevent STOP\n")
        #expect(s?.events.count == 1 && s?.commands.isEmpty == true && s?.errorClasses.isEmpty == true)
    }

    @Test func errorsInTheQAPISource() {
        func read(_ text: String) -> SchemaReadError? {
            do {
                _ = try QAPISchemaReader.read(path: "/m/qapi-schema.json") { $0 == "/m/qapi-schema.json" ? text : nil }
                return nil
            } catch { return error }
        }
        #expect(read("{ 'command': 'a' }\n{ 'command': 'a' }\n")?.message == "command a is defined twice")
        #expect(read("{ 'command': 'a', 'data': { 'x': 'Nope' } }\n")?.message == "unknown type 'Nope'")
        #expect(read("{ 'command': 'a', 'boxed': true, 'data': { 'x': 'str' } }\n")?.line == 1)
        #expect(read("{ 'command': 'a', 'allow-oob': 'yes' }\n")?.message == "'allow-oob' must be true or false")
        #expect(read("{ 'command': 'a', 'returns': 'Nope' }\n")?.message == "unknown type 'Nope'")
    }
}

/// Facts of the built-in catalogs (no ../shared needed).
@Suite struct BuiltinCommandFactsTests {
    @Test func spotChecks() throws {
        let s = try BuiltinCatalogs.load(version: "10.2.0")
        let add = try #require(s.command(named: "blockdev-add"))
        #expect(try add.boxed && s.types[#require(add.arguments)].name == "BlockdevOptions" && add.returns == nil)
        #expect(s.types[try #require(s.command(named: "query-status")?.returns)].name == "StatusInfo")
        let del = try #require(s.command(named: "device_del"))
        #expect(SchemaPresentation.members(del, s).map { "\($0.name): \(s.types[$0.type].name)\($0.optional ? "?" : "")" } == ["id: str"])
        #expect(s.render(try #require(s.command(named: "qom-get")?.returns)) == "any")
        #expect(s.command(named: "migrate-recover")?.allowOOB == true)
        #expect(s.command(named: "device_add")?.generated == false)
        #expect(s.errorClasses == ["GenericError", "CommandNotFound", "DeviceNotActive", "DeviceNotFound", "KVMMissingCap"])
        // Integer widths are exact in built-in catalogs.
        #expect(!s.integerWidthsLost)
        let memsave = try #require(s.command(named: "memsave"))
        #expect(SchemaPresentation.members(memsave, s).map { s.types[$0.type].name } == ["uint64", "size", "str", "int"])
    }

    /// `qmp_capabilities` is in the schema from 2.8 (earlier it was outside QAPI), and takes
    /// `enable` from 2.12.
    @Test func qmpCapabilities() throws {
        #expect(try BuiltinCatalogs.load(version: "2.5.0").command(named: "qmp_capabilities") == nil)
        let v28 = try BuiltinCatalogs.load(version: "2.8.0")
        #expect(try #require(v28.command(named: "qmp_capabilities")).arguments == nil)
        for v in BuiltinCatalogs.versions where VersionNumber(v)! >= VersionNumber("2.12")! {
            let s = try BuiltinCatalogs.load(version: v)
            let c = try #require(s.command(named: "qmp_capabilities"), "\(v)")
            let enable = try #require(SchemaPresentation.members(c, s).first, "\(v)")
            #expect(enable.name == "enable" && enable.optional && s.types[enable.type].name == "[QMPCapability]", "\(v)")
        }
    }

    @Test func deprecatedCommandsAndReplacements() throws {
        let s = try BuiltinCatalogs.load(version: "5.2.0")
        #expect(s.command(named: "query-cpus")?.replacement == "query-cpus-fast")
        #expect(s.command(named: "query-events")?.replacement == "query-qmp-schema")
        #expect(s.command(named: "nbd-server-add")?.replacement == "block-export-add")
        let v10 = try BuiltinCatalogs.load(version: "10.2.0")
        #expect(v10.command(named: "drive-backup")?.replacement == "blockdev-backup")
        #expect(v10.command(named: "query-migrationthreads")?.features.contains("deprecated") == true)
        #expect(v10.command(named: "query-migrationthreads")?.replacement == nil)
    }

    @Test func oldReleasesGenFalseAndErrorClasses() throws {
        let s = try BuiltinCatalogs.load(version: "2.1.0")
        let qomGet = try #require(s.command(named: "qom-get"))
        #expect(try !qomGet.generated && s.render(#require(qomGet.returns)) == "any")
        #expect(s.errorClasses.contains("DeviceEncrypted"))
        #expect(s.render(try #require(s.command(named: "query-version")?.returns)).hasPrefix("{qemu: {major: int, minor: int, micro: int}"))
    }

    @Test func diffCoversCommands() throws {
        let d = SchemaDiff.compare(try BuiltinCatalogs.load(version: "8.2.0"), try BuiltinCatalogs.load(version: "10.2.0"))
        #expect(d.contains { $0.kind == .commandAdded && $0.event == "blockdev-set-active" && $0.subject == .command })
        #expect(d.contains { $0.kind == .memberRemoved && $0.event == "migrate" && $0.path == "arguments.blk" })
        #expect(d.contains { $0.kind == .typeChanged && $0.event == "memsave" && $0.path == "arguments.size" && $0.detail == "int -> size" })
        #expect(d.contains { $0.kind == .deprecated && $0.event == "block-job-complete" && $0.detail == "use job-complete" })
        #expect(d == d.sorted())
        // Events first, as before commands were compared.
        let firstCommand = try #require(d.firstIndex { $0.subject == .command })
        #expect(d[..<firstCommand].allSatisfy { $0.subject == .event } && d[firstCommand...].allSatisfy { $0.subject == .command })
        let old = try BuiltinCatalogs.load(version: "2.12.0"), new = try BuiltinCatalogs.load(version: "4.2.0")
        #expect(SchemaDiff.compare(old, new).contains { $0.kind == .commandRemoved && $0.event == "query-cpus" } == false)
        #expect(SchemaDiff.compare(old, new).contains { $0.kind == .commandAdded && $0.event == "migrate-pause" })
    }
}
