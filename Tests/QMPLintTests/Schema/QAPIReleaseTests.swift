import Foundation
import Testing
@testable import QMPLint

/// Every QEMU release under ../shared/corpus/qapi/releases loads, with the events and commands
/// QEMU defines.
@Suite(.enabled(if: TestPaths.sharedAvailable, "needs ../shared"))
struct QAPIReleaseTests {
    static let releasesDir = TestPaths.shared.appendingPathComponent("corpus/qapi/releases")
    static var releases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: releasesDir.path)) ?? []).sorted()
    }

    /// Event counts per release: the `{ 'event': ... }` definitions of each release's schema.
    static let expectedCounts = ["2.1.0": 32, "2.5.0": 35, "2.8.0": 37, "2.12.0": 39, "4.2.0": 44, "5.2.0": 48,
                                 "6.2.0": 49, "7.2.0": 52, "8.2.0": 54, "10.2.0": 57, "10.2.50": 57]

    /// Command counts per release: the `{ 'command': ... }` definitions (counted with grep over
    /// the release's `.json` files, and again by `definitionCount` below).
    static let expectedCommandCounts = ["2.1.0": 107, "2.5.0": 134, "2.8.0": 146, "2.12.0": 167, "4.2.0": 187,
                                        "5.2.0": 196, "6.2.0": 208, "7.2.0": 220, "8.2.0": 235, "10.2.0": 244,
                                        "10.2.50": 243]

    /// Definitions of `kind` in a release's schema files, counted from the text alone: lines
    /// that open a top-level dict with that key (`{ 'command': ...`, indented or not), outside
    /// comments. Independent of the QAPI parser.
    static func definitionCount(_ kind: String, in version: String) throws -> Int {
        let dir = releasesDir.appendingPathComponent(version)
        let e = FileManager.default.enumerator(atPath: dir.path)
        var n = 0
        while let rel = e?.nextObject() as? String {
            guard rel.hasSuffix(".json") else { continue }
            let text = try String(contentsOf: dir.appendingPathComponent(rel), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let t = line.drop { $0 == " " }
                guard t.hasPrefix("{") else { continue }
                let rest = t.dropFirst().drop { $0 == " " }
                if rest.hasPrefix("'\(kind)'") && rest.dropFirst(kind.count + 2).drop(while: { $0 == " " }).hasPrefix(":") { n += 1 }
            }
        }
        return n
    }

    @Test(arguments: releases)
    func releaseLoads(_ version: String) throws {
        let schema = try QAPISchemaReader.read(path: Self.releasesDir.appendingPathComponent(version).path)
        #expect(!schema.events.isEmpty)
        if let n = Self.expectedCounts[version] { #expect(schema.events.count == n) }
        // Every type reference resolved: no type left as a placeholder for a missing definition.
        for e in schema.events { if let d = e.data { #expect(d < schema.types.count) } }
    }

    @Test(arguments: releases)
    func commandsOfEachRelease(_ version: String) throws {
        let schema = try QAPISchemaReader.read(path: Self.releasesDir.appendingPathComponent(version).path)
        #expect(schema.commands.count == (try Self.definitionCount("command", in: version)))
        #expect(schema.events.count == (try Self.definitionCount("event", in: version)))
        if let n = Self.expectedCommandCounts[version] { #expect(schema.commands.count == n) }
        #expect(schema.commands.map(\.name) == schema.commands.map(\.name).sorted())
        // Every type a command reaches is in the schema, and no placeholder is left.
        var seen: Set<TypeID> = []
        var stack = schema.commands.flatMap { [$0.arguments, $0.returns].compactMap { $0 } }
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            try #require(id >= 0 && id < schema.types.count)
            switch schema.types[id].kind {
            case .object(let o): stack += o.members.map(\.type) + o.variants.map(\.type)
            case .alternate(let alts): stack += alts
            case .array(let el): stack.append(el)
            case .builtin(.any): #expect(schema.types[id].name == "any", "placeholder left: \(schema.types[id].name)")
            default: break
            }
        }
        // Arguments are objects (unions only when boxed).
        for c in schema.commands {
            guard let a = c.arguments else { continue }
            guard case .object(let o) = schema.types[a].kind else {
                Issue.record("\(version) \(c.name): arguments are not an object")
                continue
            }
            if o.discriminator != nil { #expect(c.boxed, "\(version) \(c.name): union arguments without boxed") }
        }
        #expect(!schema.errorClasses.isEmpty)
        #expect(schema.errorClasses.first == "GenericError")
    }
}
