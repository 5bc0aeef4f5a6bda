import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// Commands read from introspection: a hand-written reply, and libvirt's capability probes
    /// compared with the QAPI source of the same release.
    @Suite("introspection commands")
    struct IntrospectionCommandTests {
        @Test func commandsFromAHandWrittenReply() throws {
            let s = try IntrospectionReader.read(path: SchemaReaderPaths.fixture("introspection-commands.json"))
            #expect(s.commands.map(\.name) == ["fixture-add", "lamp-names", "lamp-query", "lamp-set", "ping"])
            #expect(s.errorClasses.isEmpty)
            let ping = try #require(s.command(named: "ping"))
            #expect(ping.arguments == nil && ping.returns == nil && !ping.allowOOB)
            // The event is read first: the shared object is named after it.
            let set = try #require(s.command(named: "lamp-set"))
            #expect(s.types[try #require(set.arguments)].name == "LAMP_CHANGED-data")
            #expect(s.render(set.arguments!) == "{lamp: str, level?: int}")
            #expect(set.features == ["unstable"] && set.returns == nil)
            let query = try #require(s.command(named: "lamp-query"))
            #expect(try query.allowOOB && s.types[#require(query.returns)].name == "[lamp-query-ret]")
            #expect(s.render(query.returns!) == "[{lamp: str, on: bool}]")
            #expect(s.types[try #require(s.command(named: "lamp-names")?.returns)].name == "[str]")
            // A union as arguments is boxed (QAPI allows it no other way).
            let add = try #require(s.command(named: "fixture-add"))
            #expect(add.boxed && s.types[add.arguments!].name == "fixture-add-arg" && s.render(add.returns!) == "any")
        }

        @Test func badCommandEntries() {
            let e1 = readError { () throws(SchemaReadError) -> Schema in
                try readIntrospection(#"[{"name": "a", "meta-type": "command", "arg-type": "0", "ret-type": "0", "allow-oob": 1}, {"name": "0", "meta-type": "object", "members": []}]"#)
            }
            #expect(e1?.message == "\"allow-oob\" of command a must be a boolean, got a number")
            let e2 = readError { () throws(SchemaReadError) -> Schema in
                try readIntrospection(#"[{"name": "a", "meta-type": "command"}, {"name": "a", "meta-type": "command"}]"#)
            }
            #expect(e2?.message == "command a is defined twice")
            let e3 = readError { () throws(SchemaReadError) -> Schema in
                try readIntrospection(#"[{"name": "a", "meta-type": "command", "arg-type": "7"}]"#)
            }
            #expect(e3?.message == "type \"7\" referenced by command a is not defined in this schema")
        }

        static let pairs = [("caps_4.2.0.x86_64.replies", "4.2.0"), ("caps_7.2.0_x86_64.replies", "7.2.0")]

        /// The same release read from its introspection and from its QAPI source: the same
        /// commands with the same arguments, returns, allow-oob and features, modulo integer
        /// widths, the names of implicit types and what the x86_64 build's conditions removed.
        @Test(.enabled(if: SchemaReaderPaths.capsAvailable && TestPaths.sharedAvailable, "needs ../shared"), arguments: pairs)
        func introspectionMatchesQAPISource(file: String, release: String) throws {
            let intro = try IntrospectionReader.read(path: SchemaReaderPaths.caps(file))
            let source = try QAPISchemaReader.read(path: TestPaths.sharedPath("corpus/qapi/releases/\(release)"))
            var cmp = StructuralComparison(a: intro, b: source)
            for c in intro.commands {
                guard let d = source.command(named: c.name) else {
                    Issue.record("\(release): \(c.name) is not in the QAPI source")
                    continue
                }
                #expect(c.allowOOB == d.allowOOB, "\(release) \(c.name) allow-oob")
                #expect(c.features == d.features, "\(release) \(c.name) features")
                cmp.compare(c.arguments, d.arguments, "\(c.name) arguments")
                cmp.compare(c.returns, d.returns, "\(c.name) returns")
                if c.boxed { #expect(d.boxed, "\(release) \(c.name) boxed") }
            }
            for d in source.commands where intro.command(named: d.name) == nil {
                #expect(d.condition != nil, "\(release): \(d.name) has no condition yet is not in the x86_64 build")
            }
            #expect(cmp.problems == [], "\(release)")
            #expect(intro.commands.count == (release == "4.2.0" ? 183 : 216))
        }

        @Test(.enabled(if: SchemaReaderPaths.capsAvailable, "needs ../shared"))
        func qemu9Commands() throws {
            let s = try IntrospectionReader.read(path: SchemaReaderPaths.caps("caps_9.1.0_x86_64.replies"))
            #expect(s.commands.count == 231)
            #expect(s.command(named: "blockdev-add")?.boxed == true)
            #expect(s.render(try #require(s.command(named: "query-status")?.returns)).hasPrefix("{running: bool, status: enum("))
            #expect(s.command(named: "x-debug-query-block-graph")?.features == ["unstable"])
            #expect(s.command(named: "migrate-recover")?.allowOOB == true)
        }
    }
}

/// Whether two schemas' types have the same shape (a bisimulation: names ignored, cycles
/// assumed equal). `a` is introspection: its integers are `int`, and what `b` has under an
/// `if` condition may be missing from it.
struct StructuralComparison {
    let a: Schema, b: Schema
    var assumed: Set<[Int]> = []
    var problems: [String] = []

    mutating func compare(_ x: TypeID?, _ y: TypeID?, _ path: String) {
        switch (x, y) {
        case (nil, nil): return
        case (let x?, let y?): same(x, y, path)
        case (nil, let y?):
            // An empty object in introspection is "none" (all of y's members conditional).
            if case .object(let o) = b.types[y].kind, o.members.allSatisfy({ $0.condition != nil }), o.variants.isEmpty { return }
            problems.append("\(path): none in introspection, \(b.types[y].name) in the source")
        case (let x?, nil): problems.append("\(path): \(a.types[x].name) in introspection, none in the source")
        }
    }

    mutating func same(_ x: TypeID, _ y: TypeID, _ path: String) {
        guard assumed.insert([x, y]).inserted else { return }
        switch (a.types[x].kind, b.types[y].kind) {
        case (.builtin(let p), .builtin(let q)):
            if p == q || (p == .int && q.integerRange != nil) { return }
            problems.append("\(path): \(p) vs \(q)")
        case (.enumeration(let p), .enumeration(let q)):
            let qs = Dictionary(q.map { ($0.name, $0) }, uniquingKeysWith: { l, _ in l })
            for v in p where qs[v.name] == nil { problems.append("\(path): value \(v.name) not in the source") }
            let ps = Set(p.map(\.name))
            for v in q where !ps.contains(v.name) && v.condition == nil { problems.append("\(path): value \(v.name) missing") }
        case (.array(let p), .array(let q)): same(p, q, path + "[]")
        case (.alternate(let p), .alternate(let q)):
            if p.count != q.count { problems.append("\(path): \(p.count) vs \(q.count) alternatives") }
            for (i, j) in zip(p, q) { same(i, j, path + "|") }
        case (.object(let p), .object(let q)):
            let qm = Dictionary(q.members.map { ($0.name, $0) }, uniquingKeysWith: { l, _ in l })
            for m in p.members {
                guard let n = qm[m.name] else { problems.append("\(path).\(m.name): not in the source"); continue }
                if m.optional != n.optional { problems.append("\(path).\(m.name): optional \(m.optional) vs \(n.optional)") }
                same(m.type, n.type, path + "." + m.name)
            }
            let pm = Set(p.members.map(\.name))
            for n in q.members where !pm.contains(n.name) && n.condition == nil { problems.append("\(path).\(n.name): missing") }
            if p.discriminator != q.discriminator { problems.append("\(path): discriminator \(p.discriminator ?? "-") vs \(q.discriminator ?? "-")") }
            let qv = Dictionary(q.variants.map { ($0.value, $0.type) }, uniquingKeysWith: { l, _ in l })
            for v in p.variants {
                guard let t = qv[v.value] else {
                    // Introspection lists every tag value; a branch the source leaves out has
                    // no members of its own, as the empty object says.
                    if case .object(let e) = a.types[v.type].kind, e.members.isEmpty, e.variants.isEmpty { continue }
                    problems.append("\(path)(\(v.value)): not in the source")
                    continue
                }
                same(v.type, t, path + "(\(v.value))")
            }
        default:
            problems.append("\(path): \(a.types[x].name) vs \(b.types[y].name)")
        }
    }
}
