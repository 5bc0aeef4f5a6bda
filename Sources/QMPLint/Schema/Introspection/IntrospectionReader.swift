import Foundation

/// Reads an event schema from QEMU's introspection data: the reply to `query-qmp-schema`, a JSON
/// array of `SchemaInfo` objects.
///
/// Accepted input: the bare array; a reply object `{"return": [...], ...}`; or a transcript of
/// JSON values (commands and replies, as in libvirt's `*.replies` capability files), in which
/// the reply following a `query-qmp-schema` command, or else the first `return` array whose
/// entries have a `meta-type`, is used. A `query-version` reply before it gives the version.
///
/// The events and commands and the closure of the types their data, arguments and returns use
/// are kept. Introspection is lossy: every integer width is `int` (`Schema.integerWidthsLost`
/// is set), `if` conditions are already resolved for the build, and type names are masked as
/// numbers. A masked name is replaced by the path of its first use (`SHUTDOWN-data`,
/// `SHUTDOWN-data.reason`, `[ACPI_DEVICE_OST-data.info]`, `query-status-ret`,
/// `device_del-arg`) so that findings name something a reader can find; events are read
/// first, so their types are named as without commands.
///
/// An event whose `arg-type` is an object with no members and no variants gets no data
/// (`SchemaEvent.data == nil`): QEMU omits `data` for those events. Likewise a command's empty
/// `arg-type` means no arguments, and an empty `ret-type` no declared return (`{}`).
/// Introspection does not say whether a command is `boxed` (set when its arguments are a
/// union, which QAPI allows only boxed), `allow-preconfig`, `gen: false` or conditional, nor
/// its `since` or the release's error classes.
public enum IntrospectionReader {
    /// Reads the file at `path`; the schema is named after the file.
    public static func read(path: String) throws(SchemaReadError) -> Schema {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchemaReadError(path: path, message: "cannot read file")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let result: Result<Schema, SchemaReadError> = data.withUnsafeBytes { bytes in
            Result { () throws(SchemaReadError) -> Schema in try read(bytes, name: name, path: path) }
        }
        return try result.get()
    }

    /// Reads introspection data from `bytes`.
    /// - Parameters:
    ///   - name: the schema's name (e.g. the file name or `introspection`).
    ///   - path: where the bytes came from, for `Schema.origin` and errors; `name` when nil.
    public static func read(_ bytes: UnsafeRawBufferPointer, name: String, path: String? = nil) throws(SchemaReadError) -> Schema {
        let file = path ?? name
        var tape = JSONTape()
        let (array, version) = try locateSchemaArray(bytes, file: file, tape: &tape)
        var builder = Builder(tape: tape, bytes: bytes, file: file)
        try builder.index(array)
        try builder.buildEvents()
        try builder.buildCommands()
        return Schema(name: name, version: version, origin: SchemaOrigin(kind: .introspection, path: file),
                      types: builder.types, events: builder.events, commands: builder.commands, integerWidthsLost: true)
    }

    // MARK: - Finding the SchemaInfo array

    /// Parses values from the start of `bytes` until the schema array is found; returns its tape
    /// index and the QEMU version of a `query-version` reply seen before it.
    static func locateSchemaArray(_ bytes: UnsafeRawBufferPointer, file: String,
                                  tape: inout JSONTape) throws(SchemaReadError) -> (Int, String?) {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        i = skipWhitespace(bytes, i)
        guard i < bytes.count else {
            throw SchemaReadError(path: file, bytes: bytes, offset: i, message: "not JSON: the file is empty")
        }
        guard bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "{") else {
            // Not JSON at the start (a log holding a query-qmp-schema reply): parse from the
            // object whose `return` precedes the first `"meta-type"`.
            guard let reply = replyStart(bytes) else {
                throw SchemaReadError(path: file, bytes: bytes, offset: i,
                                      message: "not JSON: expected '[' or '{' at the start of introspection data")
            }
            switch JSONParser.parseValue(bytes, from: reply, options: .lenient, into: &tape) {
            case .failure(let e):
                throw SchemaReadError(path: file, bytes: bytes, offset: e.offset, message: "not JSON: \(e.message)")
            case .success:
                if tape[0].kind == .object, let r = tape.member(0, "return"), tape[r].kind == .array {
                    return (r, nil)
                }
                throw SchemaReadError(path: file, bytes: bytes, offset: reply,
                                      message: "no schema array found: the object here has no \"return\" array")
            }
        }
        var version: String?
        var afterSchemaCommand = false
        var first = true
        while i < bytes.count {
            switch JSONParser.parseValue(bytes, from: i, options: .lenient, into: &tape) {
            case .failure(let e):
                throw SchemaReadError(path: file, bytes: bytes, offset: e.offset, message: "not JSON: \(e.message)")
            case .success(let end):
                let root = tape[0]
                if first && root.kind == .array {
                    let rest = skipWhitespace(bytes, end)
                    guard rest == bytes.count else {
                        throw SchemaReadError(path: file, bytes: bytes, offset: rest,
                                              message: "unexpected data after the SchemaInfo array")
                    }
                    return (0, nil)
                }
                if root.kind == .object {
                    if let r = tape.member(0, "return") {
                        if tape[r].kind == .array && (afterSchemaCommand || looksLikeSchema(tape, r)) {
                            return (r, version)
                        }
                        if tape[r].kind == .object, let q = tape.member(r, "qemu"), tape[q].kind == .object {
                            version = versionString(tape, q) ?? version
                        }
                    }
                    afterSchemaCommand = tape.member(0, "execute").map {
                        tape[$0].kind == .string && tape.stringEquals($0, "query-qmp-schema")
                    } ?? false
                }
                first = false
                i = skipWhitespace(bytes, end)
            }
        }
        throw SchemaReadError(path: file, bytes: bytes, offset: 0,
                              message: "no schema array found: expected a JSON array of SchemaInfo, a "
                                  + "{\"return\": [...]} reply to query-qmp-schema, or a transcript containing one")
    }

    /// Offset of the `{` opening the reply whose `"return"` comes last before the first
    /// `"meta-type"` of `bytes`.
    static func replyStart(_ bytes: UnsafeRawBufferPointer) -> Int? {
        func find(_ needle: StaticString, from: Int, to: Int) -> Int? {
            let n = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
            return ByteScan.find(n, in: bytes, from: from, to: to)
        }
        guard let meta = find("\"meta-type\"", from: 0, to: bytes.count) else { return nil }
        var ret: Int?
        var from = 0
        while let r = find("\"return\"", from: from, to: meta) {
            ret = r
            from = r + 1
        }
        guard let ret else { return nil }
        return ByteScan.findLast(UInt8(ascii: "{"), in: bytes, from: 0, to: ret)
    }

    static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ from: Int) -> Int {
        var i = from
        while i < bytes.count, JSONScanner.isWhitespace(bytes[i]) { i += 1 }
        return i
    }

    /// True when array `r` is non-empty and its first element is an object with a `meta-type`.
    static func looksLikeSchema(_ tape: JSONTape, _ r: Int) -> Bool {
        guard tape[r].count > 0, tape[r + 1].kind == .object else { return false }
        return tape.member(r + 1, "meta-type") != nil
    }

    /// `major.minor.micro` from a `query-version` reply's `qemu` object.
    static func versionString(_ tape: JSONTape, _ q: Int) -> String? {
        let part = { (k: String) -> Int64? in tape.member(q, k).flatMap { tape.int64($0) } }
        guard let major = part("major"), let minor = part("minor") else { return nil }
        return "\(major).\(minor).\(part("micro") ?? 0)"
    }

    // MARK: - Building the schema

    /// Turns the SchemaInfo entries of one reply into schema types and events.
    struct Builder {
        let tape: JSONTape
        let bytes: UnsafeRawBufferPointer
        let file: String
        /// Type name (as written, masked) -> tape index of its SchemaInfo entry.
        var entries: [String: Int] = [:]
        /// Tape indices of the `event` entries, in document order.
        var eventEntries: [Int] = []
        /// Tape indices of the `command` entries, in document order.
        var commandEntries: [Int] = []
        /// Type name (as written) -> its id in `types`.
        var built: [String: TypeID] = [:]
        var types: [SchemaType] = []
        var events: [SchemaEvent] = []
        var commands: [SchemaCommand] = []

        init(tape: JSONTape, bytes: UnsafeRawBufferPointer, file: String) {
            self.tape = tape; self.bytes = bytes; self.file = file
        }

        func error(_ node: Int, _ message: String) -> SchemaReadError {
            SchemaReadError(path: file, bytes: bytes, offset: tape[node].start, message: message)
        }

        func elements(_ i: Int) -> [Int] {
            var out: [Int] = []
            out.reserveCapacity(Int(tape[i].count))
            var e = i + 1
            for _ in 0..<Int(tape[i].count) {
                out.append(e)
                e = Int(tape[e].next)
            }
            return out
        }

        func describe(_ i: Int) -> String {
            switch tape[i].kind {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .integer, .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            case .placeholder: return "a placeholder"
            }
        }

        /// The string value of member `key` of object `obj`; nil when absent.
        func string(_ obj: Int, _ key: String, in what: String) throws(SchemaReadError) -> String? {
            guard let v = tape.member(obj, key) else { return nil }
            guard tape[v].kind == .string else {
                throw error(v, "\"\(key)\" of \(what) must be a string, got \(describe(v))")
            }
            return tape.string(v)
        }

        func requiredString(_ obj: Int, _ key: String, in what: String) throws(SchemaReadError) -> String {
            guard let s = try string(obj, key, in: what) else {
                throw error(obj, "\(what) has no \"\(key)\"")
            }
            return s
        }

        func array(_ obj: Int, _ key: String, in what: String) throws(SchemaReadError) -> Int? {
            guard let v = tape.member(obj, key) else { return nil }
            guard tape[v].kind == .array else {
                throw error(v, "\"\(key)\" of \(what) must be an array, got \(describe(v))")
            }
            return v
        }

        func object(_ i: Int, in what: String) throws(SchemaReadError) -> Int {
            guard tape[i].kind == .object else { throw error(i, "\(what) must be an object, got \(describe(i))") }
            return i
        }

        /// The `features` list of an entry, member or enum value.
        func features(_ obj: Int, in what: String) throws(SchemaReadError) -> [String] {
            guard let a = try array(obj, "features", in: what) else { return [] }
            var out: [String] = []
            for f in elements(a) {
                guard tape[f].kind == .string else {
                    throw error(f, "a feature of \(what) must be a string, got \(describe(f))")
                }
                out.append(tape.string(f))
            }
            return out
        }

        /// Indexes the SchemaInfo entries of array `a` by name.
        mutating func index(_ a: Int) throws(SchemaReadError) {
            guard tape[a].kind == .array else {
                throw error(a, "expected an array of SchemaInfo objects, got \(describe(a))")
            }
            var eventNames: Set<String> = [], commandNames: Set<String> = []
            for e in elements(a) {
                _ = try object(e, in: "a SchemaInfo entry")
                let name = try requiredString(e, "name", in: "a SchemaInfo entry")
                let meta = try requiredString(e, "meta-type", in: "SchemaInfo \"\(name)\"")
                switch meta {
                case "command":
                    guard commandNames.insert(name).inserted else {
                        throw error(e, "command \(name) is defined twice")
                    }
                    commandEntries.append(e)
                case "event":
                    guard eventNames.insert(name).inserted else {
                        throw error(e, "event \(name) is defined twice")
                    }
                    eventEntries.append(e)
                default:
                    guard entries[name] == nil else { throw error(e, "type \"\(name)\" is defined twice") }
                    entries[name] = e
                }
            }
        }

        mutating func buildEvents() throws(SchemaReadError) {
            for e in eventEntries {
                let name = tape.string(tape.member(e, "name")!)
                let what = "event \(name)"
                let features = try features(e, in: what)
                var data: TypeID?
                if let arg = tape.member(e, "arg-type"), try !isEmptyObject(arg) {
                    data = try resolve(arg, use: name + "-data", in: what)
                }
                events.append(SchemaEvent(name: name, data: data, features: features))
            }
        }

        mutating func buildCommands() throws(SchemaReadError) {
            for e in commandEntries {
                let name = tape.string(tape.member(e, "name")!)
                let what = "command \(name)"
                let features = try features(e, in: what)
                var arguments: TypeID?
                if let arg = tape.member(e, "arg-type"), try !isEmptyObject(arg) {
                    arguments = try resolve(arg, use: name + "-arg", in: what)
                }
                var returns: TypeID?
                if let ret = tape.member(e, "ret-type"), try !isEmptyObject(ret) {
                    returns = try resolve(ret, use: name + "-ret", in: what)
                }
                var oob = false
                if let o = tape.member(e, "allow-oob") {
                    guard tape[o].kind == .bool else { throw error(o, "\"allow-oob\" of \(what) must be a boolean, got \(describe(o))") }
                    oob = tape[o].flags & JSONNode.isTrue != 0
                }
                var boxed = false
                if let arguments, case .object(let o) = types[arguments].kind { boxed = o.discriminator != nil }
                commands.append(SchemaCommand(name: name, arguments: arguments, boxed: boxed, returns: returns,
                                              allowOOB: oob, features: features))
            }
        }

        /// True when reference `ref` names an object entry with no members and no variants.
        func isEmptyObject(_ ref: Int) throws(SchemaReadError) -> Bool {
            guard tape[ref].kind == .string, let e = entries[tape.string(ref)],
                  let meta = tape.member(e, "meta-type"), tape.stringEquals(meta, "object") else { return false }
            let members = tape.member(e, "members").map { tape[$0].kind == .array ? tape[$0].count : 1 } ?? 0
            let variants = tape.member(e, "variants").map { tape[$0].kind == .array ? tape[$0].count : 1 } ?? 0
            return members == 0 && variants == 0 && tape.member(e, "tag") == nil
        }

        /// Masked names (`285`, `[12]`) carry no meaning; real ones (`str`, `[int]`) are kept.
        static func isMasked(_ name: String) -> Bool {
            let core = name.hasPrefix("[") && name.hasSuffix("]") ? name.dropFirst().dropLast() : Substring(name)
            return !core.isEmpty && core.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }

        /// The type that string node `ref` names, built on first use. `use` names the place it
        /// is first reached from, which becomes the name of a masked type.
        mutating func resolve(_ ref: Int, use: String, in what: String) throws(SchemaReadError) -> TypeID {
            guard tape[ref].kind == .string else {
                throw error(ref, "a type reference in \(what) must be a string, got \(describe(ref))")
            }
            let name = tape.string(ref)
            if let id = built[name] { return id }
            guard let e = entries[name] else {
                throw error(ref, "type \"\(name)\" referenced by \(what) is not defined in this schema")
            }
            let id = types.count
            // A placeholder lets recursive types refer to themselves while being built.
            types.append(SchemaType(name: name, kind: .builtin(.any)))
            built[name] = id
            let display = Self.isMasked(name) ? use : name
            let entryWhat = "type \"\(name)\""
            let meta = tape.string(tape.member(e, "meta-type")!)
            let features = try features(e, in: entryWhat)
            let kind: SchemaTypeKind
            switch meta {
            case "builtin":
                guard let json = try string(e, "json-type", in: entryWhat) else {
                    throw error(e, "builtin type \"\(name)\" has no \"json-type\"")
                }
                guard let b = Self.builtin(jsonType: json) else {
                    throw error(tape.member(e, "json-type")!, "unknown json-type \"\(json)\" of builtin type \"\(name)\"")
                }
                kind = .builtin(b)
            case "enum":
                kind = .enumeration(try enumValues(e, in: entryWhat))
            case "array":
                guard let element = tape.member(e, "element-type") else {
                    throw error(e, "array type \"\(name)\" has no \"element-type\"")
                }
                let elementID = try resolve(element, use: use, in: entryWhat)
                kind = .array(element: elementID)
                if Self.isMasked(name) {
                    types[id].name = "[" + types[elementID].name + "]"
                }
            case "object":
                kind = .object(try objectType(e, display: display, in: entryWhat))
            case "alternate":
                guard let members = try array(e, "members", in: entryWhat) else {
                    throw error(e, "alternate type \"\(name)\" has no \"members\"")
                }
                var alts: [TypeID] = []
                for (n, m) in elements(members).enumerated() {
                    _ = try object(m, in: "a member of \(entryWhat)")
                    guard let t = tape.member(m, "type") else { throw error(m, "a member of \(entryWhat) has no \"type\"") }
                    alts.append(try resolve(t, use: "\(display)|\(n)", in: entryWhat))
                }
                kind = .alternate(alts)
            default:
                throw error(ref, "\"\(name)\" referenced by \(what) is a \(meta), not a type")
            }
            if meta != "array" { types[id].name = display }
            types[id].kind = kind
            types[id].features = features
            return id
        }

        static func builtin(jsonType: String) -> BuiltinType? {
            switch jsonType {
            case "string": return .str
            case "int": return .int
            case "number": return .number
            case "boolean": return .bool
            case "null": return .null
            case "value": return .any
            default: return nil
            }
        }

        /// Enum values from `members` (QEMU 6.0+, with features) or else `values`.
        func enumValues(_ e: Int, in what: String) throws(SchemaReadError) -> [SchemaEnumValue] {
            if let members = try array(e, "members", in: what) {
                var out: [SchemaEnumValue] = []
                for m in elements(members) {
                    _ = try object(m, in: "a member of \(what)")
                    let name = try requiredString(m, "name", in: "a member of \(what)")
                    out.append(SchemaEnumValue(name: name, features: try features(m, in: "value \"\(name)\" of \(what)")))
                }
                return out
            }
            guard let values = try array(e, "values", in: what) else {
                throw error(e, "enum \(what) has neither \"members\" nor \"values\"")
            }
            var out: [SchemaEnumValue] = []
            for v in elements(values) {
                guard tape[v].kind == .string else {
                    throw error(v, "a value of \(what) must be a string, got \(describe(v))")
                }
                out.append(SchemaEnumValue(name: tape.string(v)))
            }
            return out
        }

        /// An object entry: members (optional iff a `default` is given, always null today),
        /// and for unions `tag` + `variants`.
        mutating func objectType(_ e: Int, display: String, in what: String) throws(SchemaReadError) -> SchemaObject {
            guard let membersNode = try array(e, "members", in: what) else {
                throw error(e, "object \(what) has no \"members\"")
            }
            var members: [SchemaMember] = []
            var seen: Set<String> = []
            for m in elements(membersNode) {
                _ = try object(m, in: "a member of \(what)")
                let name = try requiredString(m, "name", in: "a member of \(what)")
                guard seen.insert(name).inserted else { throw error(m, "member \"\(name)\" of \(what) is defined twice") }
                guard let t = tape.member(m, "type") else { throw error(m, "member \"\(name)\" of \(what) has no \"type\"") }
                let type = try resolve(t, use: display + "." + name, in: "member \"\(name)\" of \(what)")
                members.append(SchemaMember(name: name, type: type, optional: tape.member(m, "default") != nil,
                                            features: try features(m, in: "member \"\(name)\" of \(what)")))
            }
            let tag = try string(e, "tag", in: what)
            let variantsNode = try array(e, "variants", in: what)
            guard (tag == nil) == (variantsNode == nil) else {
                throw error(e, "object \(what) must have both \"tag\" and \"variants\" or neither")
            }
            var variants: [(value: String, type: TypeID)] = []
            if let tag, let variantsNode {
                guard seen.contains(tag) else { throw error(tape.member(e, "tag")!, "tag \"\(tag)\" of \(what) is not one of its members") }
                for v in elements(variantsNode) {
                    _ = try object(v, in: "a variant of \(what)")
                    let value = try requiredString(v, "case", in: "a variant of \(what)")
                    guard let t = tape.member(v, "type") else { throw error(v, "variant \"\(value)\" of \(what) has no \"type\"") }
                    variants.append((value, try resolve(t, use: display + "." + value, in: "variant \"\(value)\" of \(what)")))
                }
            }
            return SchemaObject(members: members, discriminator: tag, variants: variants)
        }
    }
}
