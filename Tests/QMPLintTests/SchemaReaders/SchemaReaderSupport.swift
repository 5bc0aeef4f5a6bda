import Foundation
import Testing
@testable import QMPLint

/// Namespace of the schema reader suites (`swift test --filter SchemaReaders`).
@Suite("SchemaReaders") enum SchemaReaders {}

/// Paths and helpers shared by the schema reader tests.
enum SchemaReaderPaths {
    static let capsDir = "corpus/transcripts/libvirt-caps"
    static func caps(_ file: String) -> String { TestPaths.sharedPath("\(capsDir)/\(file)") }
    static func doc(_ file: String) -> String { TestPaths.sharedPath("corpus/docs/\(file)") }
    static let seed = TestPaths.sharedPath("seed/000_cc39a37603e1c7f3.txt")
    static func fixture(_ name: String) -> String { TestPaths.fixture("schema-readers/\(name)") }
    static var capsAvailable: Bool { FileManager.default.fileExists(atPath: caps("caps_9.1.0_x86_64.replies")) }
    static var docsAvailable: Bool { FileManager.default.fileExists(atPath: doc("qmp-events-2.1.0.txt")) }
    static var seedAvailable: Bool { FileManager.default.fileExists(atPath: seed) }
}

extension Schema {
    /// The type of member `name` of event `event`'s data (following one level).
    func memberType(_ event: String, _ name: String) -> SchemaType? {
        guard let e = self.event(named: event), let d = e.data, case .object(let o) = types[d].kind,
              let m = o.members.first(where: { $0.name == name }) else { return nil }
        return types[m.type]
    }

    /// The members of event `event`'s data, or nil when it has no object data.
    func dataMembers(_ event: String) -> [SchemaMember]? {
        guard let e = self.event(named: event), let d = e.data, case .object(let o) = types[d].kind else { return nil }
        return o.members
    }
}

/// Reads introspection data from a string.
func readIntrospection(_ text: String, name: String = "test.json") throws(SchemaReadError) -> Schema {
    var text = text
    let result: Result<Schema, SchemaReadError> = text.withUTF8 { u in
        Result { () throws(SchemaReadError) -> Schema in
            try IntrospectionReader.read(UnsafeRawBufferPointer(u), name: name)
        }
    }
    return try result.get()
}

/// The error a throwing read gives, or nil when it succeeds.
func readError(_ body: () throws(SchemaReadError) -> Schema) -> SchemaReadError? {
    do { _ = try body(); return nil } catch { return error }
}

extension Schema {
    /// A compact rendering of a type for assertions: `str`, `int`, `any`, `[any]`,
    /// `{a: str, b?: int}`, `enum(x|y)`, `alt(str|null)`; named objects are expanded once.
    func render(_ id: TypeID, depth: Int = 0) -> String {
        let t = types[id]
        switch t.kind {
        case .builtin(let b): return b.rawValue
        case .enumeration(let vs): return "enum(" + vs.map(\.name).joined(separator: "|") + ")"
        case .array(let e): return "[" + render(e, depth: depth + 1) + "]"
        case .alternate(let alts): return "alt(" + alts.map { render($0, depth: depth + 1) }.joined(separator: "|") + ")"
        case .object(let o):
            if depth > 3 { return t.name }
            var s = "{" + o.members.map { "\($0.name)\($0.optional ? "?" : ""): \(render($0.type, depth: depth + 1))" }
                .joined(separator: ", ")
            if let d = o.discriminator {
                s += " | \(d): " + o.variants.map { "\($0.value)=\(types[$0.type].name)" }.joined(separator: ",")
            }
            return s + "}"
        }
    }

    /// Event name -> rendered data (`-` for none).
    var summary: [String: String] {
        Dictionary(uniqueKeysWithValues: events.map { ($0.name, $0.data.map { render($0) } ?? "-") })
    }
}
