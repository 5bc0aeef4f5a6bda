import Foundation
import Testing
@testable import QMPLint

/// Whole runs over the shared corpora: the seed's examples and QEMU's own iotests output.
@Suite(.enabled(if: TestPaths.sharedAvailable, "needs ../shared"))
struct SeedAndCorpusTests {
    static func run(_ paths: [String], qemuVersion: String? = nil) -> LintReport {
        var s = LintSettings()
        s.paths = paths
        s.qemuVersion = qemuVersion
        let provider = SchemaSelectingProvider(fixed: try! SchemaResolution.fixed(s))
        let linter = Linter(jobs: 2, selector: provider)
        return linter.run(InputDiscovery().discover(paths)).report
    }

    @Test func seedExamplesAgainstQEMU10_2() {
        let r = Self.run([TestPaths.sharedPath("seed/000_cc39a37603e1c7f3.txt")])
        #expect(r.summary.events == 5)
        #expect(r.summary.malformed == 0)
        #expect(Set(r.summary.eventsByName.keys) == ["ACPI_DEVICE_OST", "BALLOON_CHANGE", "GUEST_PANICKED", "QUORUM_FAILURE", "QUORUM_REPORT_BAD"])
        func has(_ event: String, _ rule: String, _ pointer: String) -> Bool {
            r.findings.contains { $0.event == event && $0.rule == rule && $0.pointer == pointer }
        }
        #expect(has("ACPI_DEVICE_OST", "missing-member", "/data/info"))
        #expect(has("QUORUM_FAILURE", "missing-member", "/data/sectors-count"))
        #expect(has("QUORUM_FAILURE", "unexpected-member", "/data/sector-count"))
        #expect(r.findings.first { $0.pointer == "/data/sector-count" }?.message.contains("sectors-count") == true)
        // Nothing else is an error but missing timestamps and those two differences.
        let errors = r.findings.filter { $0.severity == .error }
        #expect(errors.allSatisfy { ["missing-timestamp", "missing-member"].contains($0.rule) })
    }

    @Test func iotestsHaveNoErrorsAgainst10_2And8_2() {
        let dir = TestPaths.sharedPath("corpus/transcripts/qemu-iotests")
        for v in [nil, "8.2"] {
            let r = Self.run([dir], qemuVersion: v)
            #expect(r.summary.events == 620, "every event found (\(v ?? "default"))")
            #expect(r.summary.malformed == 0)
            #expect(r.summary.errors == 0, "\(r.findings.filter { $0.severity == .error }.prefix(3).map(\.message))")
            #expect(r.summary.findingsByRule["filtered-timestamp"] == 620)
        }
    }

    @Test func compatOfIotestsIncludes8_2() {
        let verdicts = Compatibility.check(InputDiscovery().discover([TestPaths.sharedPath("corpus/transcripts/qemu-iotests")]), jobs: 2)
        // The outputs come from QEMU's tree of the 8.x era: events, commands and replies say 8.2.
        #expect(Compatibility.ranges(verdicts) == ["8.2.0"])
    }

    @Test func realTranscriptsParse() {
        let pages = TestPaths.sharedPath("corpus/transcripts/pages")
        let r = Self.run([pages])
        // The vdsm record whose JSON a logger broke before a member is read whole.
        #expect(r.summary.events == 11)
        #expect(r.summary.malformed == 0)
        #expect(r.summary.eventsByName["MIGRATION"]?.total == 3)
    }
}

@Suite struct SchemaCommandsTests {
    @Test func selectNearestNotNewer() {
        #expect(BuiltinCatalogs.select(requested: "9.0") == "8.2.0")
        #expect(BuiltinCatalogs.select(requested: "10.2") == "10.2.0")
        #expect(BuiltinCatalogs.select(requested: "10.2.50") == "10.2.50")
        #expect(BuiltinCatalogs.select(requested: "11.0") == "10.2.50")
        #expect(BuiltinCatalogs.select(requested: "2.0") == nil)
        #expect(BuiltinCatalogs.select(requested: "banana") == nil)
        #expect(BuiltinCatalogs.defaultVersion == "10.2.0")
        #expect(BuiltinCatalogs.sameRelease(as: "8.2.1") == "8.2.0")
        #expect(BuiltinCatalogs.sameRelease(as: "9.2.0") == nil)
    }

    @Test func builtinCatalogFacts() throws {
        let s = try BuiltinCatalogs.load(version: "10.2.0")
        #expect(s.events.count == 57)
        let qf = try #require(s.event(named: "QUORUM_FAILURE"))
        #expect(SchemaPresentation.members(qf, s).map(\.name) == ["reference", "sector-num", "sectors-count"])
        let old = try BuiltinCatalogs.load(version: "8.2.0")
        let mem = try #require(old.event(named: "MEM_UNPLUG_ERROR"))
        #expect(mem.features.contains("deprecated"))
        #expect(mem.replacement == "DEVICE_UNPLUG_GUEST_ERROR")
        #expect(s.event(named: "MEM_UNPLUG_ERROR") == nil)
        #expect(try BuiltinCatalogs.load(version: "2.1.0").events.count == 32)
    }

    @Test func diffBetweenReleases() throws {
        let d = SchemaDiff.compare(try BuiltinCatalogs.load(version: "8.2.0"), try BuiltinCatalogs.load(version: "10.2.0"))
        #expect(d.contains { $0.kind == .eventRemoved && $0.event == "MEM_UNPLUG_ERROR" })
        #expect(d.contains { $0.kind == .memberAdded && $0.event == "BLOCK_IO_ERROR" && $0.path == "qom-path" })
        #expect(d == d.sorted())
        #expect(SchemaDiff.compare(try BuiltinCatalogs.load(version: "10.2.0"), try BuiltinCatalogs.load(version: "10.2.0")).isEmpty)
    }

    @Test func catalogCodecRejectsGarbageWithAPosition() {
        #expect(throws: SchemaReadError.self) { _ = try SchemaCatalogCodec.decode("nonsense") }
        do {
            _ = try SchemaCatalogCodec.decode("qmp-lint-catalog 1\nevent X data=Nope\n", name: "t")
            Issue.record("expected an error")
        } catch { #expect(error.line == 2) }
    }

    @Test func qapiSourceErrorsCarryPositions() {
        let files = ["a.json": "{ 'include': 'b.json' }\n", "b.json": "{ 'include': 'a.json' }\n",
                     "bad.json": "{ 'struct': 'S',\n  'data': { 'x' 'int' } }\n", "missing.json": "{ 'include': 'nope.json' }\n",
                     "ok.json": "# comment\n{ 'enum': 'E', 'data': [ 'a', { 'name': 'b', 'if': 'CONFIG_B' } ] }\n{ 'struct': 'S', 'data': { '*e': 'E', 'l': ['int'] } }\n{ 'event': 'EV', 'data': 'S', 'features': [ 'unstable' ] }\n"]
        let provider: QAPISourceParser.FileProvider = { files[$0] }
        func err(_ f: String) -> SchemaReadError? {
            do { _ = try QAPISchemaReader.read(path: f, provider: provider); return nil } catch { return error }
        }
        #expect(err("a.json")?.message.contains("include cycle") == true)
        #expect(err("missing.json")?.message.contains("nope.json") == true)
        let bad = err("bad.json")
        #expect(bad?.line == 2)
        #expect(bad?.message == "expected ':'")
        let s = try? QAPISchemaReader.read(path: "ok.json", provider: provider)
        let ev = s?.event(named: "EV")
        #expect(ev?.features == ["unstable"])
        if let s, let ev, let d = ev.data, case .object(let o) = s.types[d].kind {
            #expect(o.members.map(\.name) == ["e", "l"])
            #expect(o.members[0].optional)
            if case .enumeration(let vs) = s.types[o.members[0].type].kind { #expect(vs[1].condition == .name("CONFIG_B")) }
            if case .array = s.types[o.members[1].type].kind {} else { Issue.record("l is not an array") }
        } else { Issue.record("EV has no object data") }
    }
}
