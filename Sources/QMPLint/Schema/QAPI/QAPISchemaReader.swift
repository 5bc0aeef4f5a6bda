/// Builds the schema (every event and command and the closure of the types their data,
/// arguments and returns use) from QAPI source: `struct` and the older `type`, `enum` with
/// plain or dict values, flat and simple unions (simple ones desugared to their wire form
/// `{"type": ..., "data": {...}}`), `alternate`, arrays, `base`, `boxed` events and commands,
/// `if` conditions in every form and `features`.
///
/// Commands: inline `data` becomes the object type `NAME-arg`; `returns` is any type reference
/// (`any`, `['str']`, a struct); `allow-oob`, `allow-preconfig`, `gen` (`false`, or `'no'` in
/// old releases: undefined type names the command uses, such as `'**'` or `'visitor'`, are
/// `any`) and `success-response` are kept; `coroutine` (how QEMU runs the handler) is read and
/// dropped, as nothing of it shows on the wire. Types reached from events get their ids first,
/// so the event part of a schema does not depend on its commands. The error classes are the
/// values of the enum `QapiErrorClass` (`ErrorClass` before 2.8).
public struct QAPISchemaReader {
    /// Reads a schema from a `qapi-schema.json` file or a folder holding `qapi/qapi-schema.json`
    /// or `qapi-schema.json`.
    public static func read(path: String, name: String? = nil,
                            provider: @escaping QAPISourceParser.FileProvider = QAPISourceParser.readFile) throws(SchemaReadError) -> Schema {
        var entry = path
        if provider(path) == nil || isDirectory(path) {
            let base = path.hasSuffix("/") ? path : path + "/"
            if provider(base + "qapi/qapi-schema.json") != nil { entry = base + "qapi/qapi-schema.json" }
            else if provider(base + "qapi-schema.json") != nil { entry = base + "qapi-schema.json" }
            else { throw SchemaReadError(path: path, line: 1, column: 1, message: "no qapi-schema.json here") }
        }
        var parser = QAPISourceParser(provider: provider)
        try parser.parse(path: entry)
        var reader = QAPISchemaReader(expressions: parser.expressions)
        return try reader.build(name: name ?? path, origin: SchemaOrigin(kind: .qapiSource, path: path))
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    struct Definition {
        var kind: String
        var expr: QAPIExpression
    }

    var definitions: [String: Definition] = [:]
    var events: [QAPIExpression] = []
    var commands: [QAPIExpression] = []
    var types: [SchemaType] = []
    var ids: [String: TypeID] = [:]
    /// True while reading a `'gen': false` command: an undefined type name is `any`.
    var lenient = false

    init(expressions: [QAPIExpression]) {
        for e in expressions {
            for kind in ["struct", "type", "enum", "union", "alternate", "event", "command"] {
                if let n = e.value[kind]?.string {
                    switch kind {
                    case "event": events.append(e)
                    case "command": commands.append(e)
                    default: definitions[n] = Definition(kind: kind, expr: e)
                    }
                }
            }
        }
    }

    /// The name a definition defines (`struct`, `union`, ... value).
    static func definitionName(_ x: QAPIExpression) -> String {
        for k in ["struct", "type", "union", "alternate", "enum", "event", "command"] {
            if let n = x.value[k]?.string { return n }
        }
        return ""
    }

    func err(_ e: QAPIExpression, _ m: String) -> SchemaReadError {
        SchemaReadError(path: e.path, line: e.line, column: e.column, message: m)
    }

    mutating func build(name: String, origin: SchemaOrigin) throws(SchemaReadError) -> Schema {
        var out: [SchemaEvent] = []
        for e in events {
            let n = e.value["event"]!.string!
            var data: TypeID?
            if let d = e.value["data"] {
                switch d {
                case .string(let t): data = try type(named: t, from: e)
                case .dict(let ms):
                    if !ms.isEmpty {
                        data = add(SchemaType(name: "\(n)-data", kind: .object(SchemaObject(members: try members(ms, e, owner: "\(n)-data")))))
                    }
                default: throw err(e, "event \(n): 'data' must be a type name or a dict")
                }
            }
            let feats = try features(e.value["features"], e)
            out.append(SchemaEvent(name: n, data: data, features: feats, condition: try condition(e.value["if"], e),
                                   replacement: feats.contains("deprecated") ? Self.replacement(in: e.doc, for: n) : nil,
                                   since: Self.since(in: e.doc)))
        }
        let names = Set(out.map(\.name))
        for i in out.indices where out[i].replacement != nil && !names.contains(out[i].replacement!) { out[i].replacement = nil }
        let commands = try buildCommands()
        return Schema(name: name, origin: origin, types: types, events: out, commands: commands,
                      errorClasses: errorClasses())
    }

    mutating func buildCommands() throws(SchemaReadError) -> [SchemaCommand] {
        var out: [SchemaCommand] = []
        var seen: Set<String> = []
        for e in commands {
            let n = e.value["command"]!.string!
            guard seen.insert(n).inserted else { throw err(e, "command \(n) is defined twice") }
            let generated = Self.flag(e.value["gen"], default: true)
            lenient = !generated
            defer { lenient = false }
            let boxed = try bool(e, "boxed")
            var arguments: TypeID?
            if let d = e.value["data"] {
                switch d {
                case .string(let t): arguments = try type(named: t, from: e)
                case .dict(let ms):
                    guard !boxed else { throw err(e, "command \(n): 'boxed' needs a type name as 'data'") }
                    if !ms.isEmpty {
                        arguments = add(SchemaType(name: "\(n)-arg", kind: .object(SchemaObject(members: try members(ms, e, owner: "\(n)-arg")))))
                    }
                default: throw err(e, "command \(n): 'data' must be a type name or a dict")
                }
            }
            let returns = try e.value["returns"].map { v throws(SchemaReadError) in try type(v, from: e) }
            let feats = try features(e.value["features"], e)
            out.append(SchemaCommand(
                name: n, arguments: arguments, boxed: boxed, returns: returns, allowOOB: try bool(e, "allow-oob"),
                allowPreconfig: try bool(e, "allow-preconfig"), generated: generated,
                successResponse: Self.flag(e.value["success-response"], default: true), features: feats,
                condition: try condition(e.value["if"], e),
                since: Self.since(in: e.doc)))
        }
        for (i, e) in commands.enumerated() where out[i].features.contains("deprecated") {
            out[i].replacement = Self.commandReplacement(in: e.doc, for: out[i].name, among: seen)
        }
        return out
    }

    /// The values of `QapiErrorClass` (`ErrorClass` in old releases), empty when neither is defined.
    func errorClasses() -> [String] {
        for n in ["QapiErrorClass", "ErrorClass"] {
            guard let def = definitions[n], def.kind == "enum", case .list(let vals)? = def.expr.value["data"] else { continue }
            return vals.compactMap { $0.string ?? $0["name"]?.string }
        }
        return []
    }

    /// A boolean flag of a definition: `true`/`false` (old releases also wrote `'yes'`/`'no'`).
    static func flag(_ v: QAPIValue?, default d: Bool) -> Bool {
        switch v {
        case .bool(let b)?: return b
        case .string(let s)?: return !(s == "no" || s == "false")
        default: return d
        }
    }

    func bool(_ e: QAPIExpression, _ key: String) throws(SchemaReadError) -> Bool {
        guard let v = e.value[key] else { return false }
        guard case .bool(let b) = v else { throw err(e, "'\(key)' must be true or false") }
        return b
    }

    mutating func add(_ t: SchemaType) -> TypeID {
        types.append(t)
        return types.count - 1
    }

    static let builtins: [String: BuiltinType] = {
        var m: [String: BuiltinType] = [:]
        for b in BuiltinType.allCases { m[b.rawValue] = b }
        return m
    }()

    /// The type id for a type reference: a name, or `['T']`.
    mutating func type(_ v: QAPIValue, from e: QAPIExpression) throws(SchemaReadError) -> TypeID {
        switch v {
        case .string(let n): return try type(named: n, from: e)
        case .list(let items):
            guard items.count == 1, let inner = items[0].string else { throw err(e, "an array type is written ['T']") }
            let key = "[\(inner)]"
            if let id = ids[key] { return id }
            let el = try type(named: inner, from: e)
            let id = add(SchemaType(name: key, kind: .array(element: el)))
            ids[key] = id
            return id
        case .dict(let ms) where ms.contains(where: { $0.key == "type" }):
            return try type(v["type"]!, from: e)
        default: throw err(e, "bad type reference")
        }
    }

    mutating func type(named n: String, from e: QAPIExpression) throws(SchemaReadError) -> TypeID {
        if let id = ids[n] { return id }
        if let b = Self.builtins[n] {
            let id = add(SchemaType(name: n, kind: .builtin(b)))
            ids[n] = id
            return id
        }
        if n == "QType" && definitions[n] == nil {
            let id = add(SchemaType(name: n, kind: .enumeration(["none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool"].map { SchemaEnumValue(name: $0) })))
            ids[n] = id
            return id
        }
        guard let def = definitions[n] else {
            guard lenient else { throw err(e, "unknown type '\(n)'") }
            return try type(named: "any", from: e)
        }
        let x = def.expr
        // Reserve the id first: types may refer to themselves.
        let id = add(SchemaType(name: n, kind: .builtin(.any)))
        ids[n] = id
        let feats = try features(x.value["features"], x)
        let cond = try condition(x.value["if"], x)
        var kind: SchemaTypeKind
        switch def.kind {
        case "enum":
            guard case .list(let vals)? = x.value["data"] else { throw err(x, "enum \(n): 'data' must be a list") }
            var values: [SchemaEnumValue] = []
            for v in vals {
                switch v {
                case .string(let s): values.append(SchemaEnumValue(name: s))
                case .dict:
                    guard let s = v["name"]?.string else { throw err(x, "enum \(n): value without a name") }
                    values.append(SchemaEnumValue(name: s, features: try features(v["features"], x), condition: try condition(v["if"], x)))
                default: throw err(x, "enum \(n): bad value")
                }
            }
            kind = .enumeration(values)
        case "struct", "type":
            var ms = try baseMembers(x.value["base"], x)
            if case .dict(let own)? = x.value["data"] { ms += try members(own, x, owner: n) }
            kind = .object(SchemaObject(members: ms))
        case "union":
            kind = try union(n, x)
        case "alternate":
            guard case .dict(let alts)? = x.value["data"] else { throw err(x, "alternate \(n): 'data' must be a dict") }
            var ids: [TypeID] = []
            for a in alts { ids.append(try type(a.value, from: x)) }
            kind = .alternate(ids)
        default:
            throw err(x, "'\(n)' is not a type")
        }
        types[id] = SchemaType(name: n, kind: kind, features: feats, condition: cond)
        return id
    }

    mutating func union(_ n: String, _ x: QAPIExpression) throws(SchemaReadError) -> SchemaTypeKind {
        guard case .dict(let branches)? = x.value["data"] else { throw err(x, "union \(n): 'data' must be a dict") }
        let disc = x.value["discriminator"]
        if case .dict(let d)? = disc, d.isEmpty {
            // QEMU 2.1's anonymous union: an alternate.
            var ids: [TypeID] = []
            for b in branches { ids.append(try type(b.value, from: x)) }
            return .alternate(ids)
        }
        if let discName = disc?.string {
            let base = try baseMembers(x.value["base"], x)
            var variants: [(value: String, type: TypeID)] = []
            for b in branches {
                variants.append((b.key, try type(b.value, from: x)))
            }
            return .object(SchemaObject(members: base, discriminator: discName, variants: variants))
        }
        // Simple union: {"type": "branch", "data": {...}}.
        let tagType = add(SchemaType(name: "\(n)Kind", kind: .enumeration(branches.map { SchemaEnumValue(name: $0.key, condition: try? condition($0.value["if"], x)) })))
        var variants: [(value: String, type: TypeID)] = []
        for b in branches {
            let t = try type(b.value, from: x)
            let wrapper = add(SchemaType(name: "\(n)-\(b.key)-wrapper", kind: .object(SchemaObject(members: [SchemaMember(name: "data", type: t, optional: false)]))))
            variants.append((b.key, wrapper))
        }
        var base = try baseMembers(x.value["base"], x)
        base.insert(SchemaMember(name: "type", type: tagType, optional: false), at: 0)
        return .object(SchemaObject(members: base, discriminator: "type", variants: variants))
    }

    mutating func baseMembers(_ v: QAPIValue?, _ x: QAPIExpression) throws(SchemaReadError) -> [SchemaMember] {
        guard let v else { return [] }
        switch v {
        case .dict(let ms): return try members(ms, x, owner: "\(Self.definitionName(x))-base")
        case .string(let n):
            let id = try type(named: n, from: x)
            if case .object(let o) = types[id].kind { return o.members }
            // A base still being built (self-reference) has no members yet: read them directly.
            if let def = definitions[n], case .dict(let own)? = def.expr.value["data"] {
                return try baseMembers(def.expr.value["base"], def.expr) + members(own, def.expr, owner: n)
            }
            throw err(x, "base '\(n)' is not a struct")
        default: throw err(x, "bad 'base'")
        }
    }

    /// The members of a `data` dict; `owner` names the type they belong to. A member whose
    /// type is a dict of members (an anonymous struct, QEMU 2.1's `VersionInfo.qemu`) gets an
    /// implicit object type named `owner.member`.
    mutating func members(_ ms: [(key: String, value: QAPIValue)], _ x: QAPIExpression,
                          owner: String) throws(SchemaReadError) -> [SchemaMember] {
        var out: [SchemaMember] = []
        for m in ms {
            let optional = m.key.hasPrefix("*")
            let name = optional ? String(m.key.dropFirst()) : m.key
            let t: TypeID
            if case .dict(let nested) = m.value, m.value["type"] == nil {
                let nestedName = "\(owner).\(name)"
                t = add(SchemaType(name: nestedName, kind: .object(SchemaObject(members: try members(nested, x, owner: nestedName)))))
                out.append(SchemaMember(name: name, type: t, optional: optional))
                continue
            }
            t = try type(m.value, from: x)
            var feats: [String] = []
            var cond: QAPICondition?
            if case .dict = m.value {
                feats = try features(m.value["features"], x)
                cond = try condition(m.value["if"], x)
            }
            out.append(SchemaMember(name: name, type: t, optional: optional, features: feats, condition: cond))
        }
        return out
    }

    func features(_ v: QAPIValue?, _ x: QAPIExpression) throws(SchemaReadError) -> [String] {
        guard let v else { return [] }
        guard case .list(let items) = v else { throw err(x, "'features' must be a list") }
        var out: [String] = []
        for f in items {
            if let s = f.string { out.append(s) } else if let s = f["name"]?.string { out.append(s) } else {
                throw err(x, "bad feature")
            }
        }
        return out
    }

    func condition(_ v: QAPIValue?, _ x: QAPIExpression) throws(SchemaReadError) -> QAPICondition? {
        guard let v else { return nil }
        switch v {
        case .string(let s): return .name(s)
        case .list(let items):  // QEMU 4.x-6.x: a list means all of them
            var cs: [QAPICondition] = []
            for i in items { if let c = try condition(i, x) { cs.append(c) } }
            return cs.count == 1 ? cs[0] : .all(cs)
        case .dict(let ms):
            guard ms.count == 1 else { throw err(x, "a condition has one operator") }
            let (op, arg) = ms[0]
            switch op {
            case "not":
                guard let c = try condition(arg, x) else { throw err(x, "empty 'not'") }
                return .not(c)
            case "all", "any":
                guard case .list(let items) = arg else { throw err(x, "'\(op)' takes a list") }
                var cs: [QAPICondition] = []
                for i in items { if let c = try condition(i, x) { cs.append(c) } }
                return op == "all" ? .all(cs) : .any(cs)
            default: throw err(x, "unknown condition operator '\(op)'")
            }
        default: throw err(x, "bad condition")
        }
    }

    /// `Since: X.Y` from a doc comment.
    static func since(in doc: String) -> String? {
        for line in doc.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("Since:") {
                let v = t.dropFirst(6).trimmingCharacters(in: .whitespaces)
                let digits = v.prefix { $0.isNumber || $0 == "." }
                return digits.isEmpty ? nil : String(digits)
            }
        }
        return nil
    }

    /// The command a deprecated command's doc names as its replacement (`Use @other instead`,
    /// `'other'`, `` `other` ``): the first word after "deprecated" that is another command.
    static func commandReplacement(in doc: String, for name: String, among names: Set<String>) -> String? {
        guard let r = doc.range(of: "deprecated") else { return nil }
        var word = ""
        for ch in doc[r.upperBound...] {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { word.append(ch); continue }
            if word != name && names.contains(word) { return word }
            word = ""
        }
        return word != name && names.contains(word) ? word : nil
    }

    /// The event a deprecated event's doc names as its replacement (`use @OTHER instead`).
    static func replacement(in doc: String, for name: String) -> String? {
        guard let r = doc.range(of: "deprecated") else { return nil }
        let after = doc[r.upperBound...]
        var word = ""
        for ch in after {
            if ch.isUppercase || ch.isNumber || ch == "_" { word.append(ch); continue }
            if word.count >= 3, word.contains("_"), word != name, word.first!.isLetter { return word }
            word = ""
        }
        return word.count >= 3 && word.contains("_") && word != name ? word : nil
    }
}

import Foundation
