/// The compact, deterministic text form of a `Schema` ("catalog"): facts only, one item a line,
/// fields separated by spaces, values percent-encoded (`%20` space, `%25` percent, `%3D` equals,
/// `%0A` newline). Built-in catalogs are stored in this form; `qmp-lint schema export` writes it.
///
/// ```
/// qmp-lint-catalog 1
/// schema qemu-10.2.0 version=10.2.0
/// type ShutdownCause enum                      then: value NAME [if=C] [features=a,b]
/// type ACPIOSTInfo object [discriminator=D]    then: member NAME TYPE [optional] [if=C] [features=..]
///                                                    variant VALUE TYPE
/// type [int] array int
/// type str builtin str
/// type BlockdevRef alternate                   then: alt TYPE
/// event SHUTDOWN [data=TYPE] [if=C] [features=..] [since=V] [replacement=EVENT]
/// command NAME [args=TYPE] [boxed] [returns=TYPE] [oob] [preconfig] [no-gen]
///              [no-success-response] [if=C] [features=..] [since=V] [replacement=COMMAND]
/// errors GenericError CommandNotFound ...      (after `schema`, when the classes are known)
/// ```
/// Types come first, then events, then commands, each in the schema's order. Catalogs without
/// `command` and `errors` lines (format 1 as first written) still decode.
/// Conditions are written in prefix form: `NAME`, `all(C,C)`, `any(C,C)`, `not(C)`.
public enum SchemaCatalogCodec {
    public static let header = "qmp-lint-catalog 1"

    public static func encode(_ s: Schema) -> String {
        var out = header + "\n"
        out += "schema \(esc(s.name))" + (s.version.map { " version=\(esc($0))" } ?? "")
        if s.integerWidthsLost { out += " widths-lost" }
        out += "\n"
        if !s.errorClasses.isEmpty { out += "errors " + s.errorClasses.map(esc).joined(separator: " ") + "\n" }
        func opts(_ features: [String], _ cond: QAPICondition?) -> String {
            var o = ""
            if let cond { o += " if=" + esc(encode(cond)) }
            if !features.isEmpty { o += " features=" + features.map(esc).joined(separator: ",") }
            return o
        }
        for t in s.types {
            switch t.kind {
            case .builtin(let b):
                out += "type \(esc(t.name)) builtin \(b.rawValue)\(opts(t.features, t.condition))\n"
            case .enumeration(let vs):
                out += "type \(esc(t.name)) enum\(opts(t.features, t.condition))\n"
                for v in vs { out += "value \(esc(v.name))\(opts(v.features, v.condition))\n" }
            case .object(let o):
                out += "type \(esc(t.name)) object" + (o.discriminator.map { " discriminator=\(esc($0))" } ?? "") + opts(t.features, t.condition) + "\n"
                for m in o.members {
                    out += "member \(esc(m.name)) \(esc(s.types[m.type].name))\(m.optional ? " optional" : "")\(opts(m.features, m.condition))\n"
                }
                for v in o.variants { out += "variant \(esc(v.value)) \(esc(s.types[v.type].name))\n" }
            case .alternate(let alts):
                out += "type \(esc(t.name)) alternate\(opts(t.features, t.condition))\n"
                for a in alts { out += "alt \(esc(s.types[a].name))\n" }
            case .array(let e):
                out += "type \(esc(t.name)) array \(esc(s.types[e].name))\(opts(t.features, t.condition))\n"
            }
        }
        for e in s.events {
            out += "event \(esc(e.name))"
            if let d = e.data { out += " data=" + esc(s.types[d].name) }
            out += opts(e.features, e.condition)
            if let v = e.since { out += " since=" + esc(v) }
            if let r = e.replacement { out += " replacement=" + esc(r) }
            out += "\n"
        }
        for c in s.commands {
            out += "command \(esc(c.name))"
            if let a = c.arguments { out += " args=" + esc(s.types[a].name) }
            if c.boxed { out += " boxed" }
            if let r = c.returns { out += " returns=" + esc(s.types[r].name) }
            if c.allowOOB { out += " oob" }
            if c.allowPreconfig { out += " preconfig" }
            if !c.generated { out += " no-gen" }
            if !c.successResponse { out += " no-success-response" }
            out += opts(c.features, c.condition)
            if let v = c.since { out += " since=" + esc(v) }
            if let r = c.replacement { out += " replacement=" + esc(r) }
            out += "\n"
        }
        return out
    }

    public static func decode(_ text: String, name: String? = nil, origin: SchemaOrigin = SchemaOrigin(kind: .builtin)) throws(SchemaReadError) -> Schema {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func fail(_ i: Int, _ m: String) -> SchemaReadError { SchemaReadError(path: name ?? "catalog", line: i + 1, column: 1, message: m) }
        guard lines.first.map(String.init) == header else { throw fail(0, "not a qmp-lint catalog") }
        // First pass: type names -> ids.
        var ids: [String: TypeID] = [:]
        var count = 0
        for l in lines where l.hasPrefix("type ") {
            let f = l.split(separator: " ")
            guard f.count >= 3 else { continue }
            ids[unesc(f[1])] = count
            count += 1
        }
        var types: [SchemaType] = []
        types.reserveCapacity(count)
        var events: [SchemaEvent] = []
        var commands: [SchemaCommand] = []
        var errorClasses: [String] = []
        var schemaName = name ?? ""
        var version: String?
        var widthsLost = false
        func opt(_ f: [Substring], _ key: String) -> String? {
            guard f.count > 2 else { return nil }
            let k = key.utf8.count
            for x in f.dropFirst(2) where x.utf8.count > k && x.utf8[x.utf8.index(x.utf8.startIndex, offsetBy: k)] == 0x3D && x.hasPrefix(key) {
                return unesc(x.dropFirst(k + 1))
            }
            return nil
        }
        func feats(_ f: [Substring]) -> [String] { opt(f, "features")?.split(separator: ",").map { unesc($0) } ?? [] }
        func cond(_ f: [Substring], _ i: Int) throws(SchemaReadError) -> QAPICondition? {
            guard let c = opt(f, "if") else { return nil }
            guard let parsed = decodeCondition(c) else { throw fail(i, "bad condition '\(c)'") }
            return parsed
        }
        func typeID(_ n: Substring, _ i: Int) throws(SchemaReadError) -> TypeID {
            guard let id = ids[unesc(n)] else { throw fail(i, "unknown type '\(n)'") }
            return id
        }
        // Members, values, variants and alternatives of the type being read, stored when it ends
        // (appending into the enum payload in place would copy its array at every line).
        var members: [SchemaMember] = [], variants: [(value: String, type: TypeID)] = []
        var values: [SchemaEnumValue] = [], alts: [TypeID] = []
        var open = false  // the last type still takes members, values, variants or alternatives
        func flush() {
            guard open, let last = types.indices.last else { return }
            open = false
            switch types[last].kind {
            case .enumeration: types[last].kind = .enumeration(values)
            case .object(let o): types[last].kind = .object(SchemaObject(members: members, discriminator: o.discriminator, variants: variants))
            case .alternate: types[last].kind = .alternate(alts)
            default: break
            }
            members = []; variants = []; values = []; alts = []
        }
        func lastKind() -> SchemaTypeKind? { types.last?.kind }
        for (i, l) in lines.enumerated() where i > 0 && !l.isEmpty {
            let f = l.split(separator: " ")
            switch f[0] {
            case "schema":
                if name == nil, f.count > 1 { schemaName = unesc(f[1]) }
                version = opt(f, "version")
                widthsLost = f.contains("widths-lost")
            case "type":
                flush()
                guard f.count >= 3 else { throw fail(i, "short type line") }
                let n = unesc(f[1])
                let features = feats(f), c = try cond(f, i)
                switch f[2] {
                case "builtin":
                    guard f.count >= 4, let b = BuiltinType(rawValue: String(f[3])) else { throw fail(i, "bad builtin") }
                    types.append(SchemaType(name: n, kind: .builtin(b), features: features, condition: c))
                case "enum": types.append(SchemaType(name: n, kind: .enumeration([]), features: features, condition: c))
                case "object":
                    types.append(SchemaType(name: n, kind: .object(SchemaObject(members: [], discriminator: opt(f, "discriminator"))), features: features, condition: c))
                case "alternate": types.append(SchemaType(name: n, kind: .alternate([]), features: features, condition: c))
                case "array":
                    guard f.count >= 4 else { throw fail(i, "array without element type") }
                    types.append(SchemaType(name: n, kind: .array(element: try typeID(f[3], i)), features: features, condition: c))
                default: throw fail(i, "unknown type kind '\(f[2])'")
                }
                open = true
            case "value":
                guard case .enumeration? = lastKind(), f.count >= 2 else { throw fail(i, "value outside an enum") }
                values.append(SchemaEnumValue(name: unesc(f[1]), features: feats(f), condition: try cond(f, i)))
            case "member":
                guard case .object? = lastKind(), f.count >= 3 else { throw fail(i, "member outside an object") }
                members.append(SchemaMember(name: unesc(f[1]), type: try typeID(f[2], i), optional: f.dropFirst(3).contains("optional"),
                                            features: feats(f), condition: try cond(f, i)))
            case "variant":
                guard case .object? = lastKind(), f.count >= 3 else { throw fail(i, "variant outside an object") }
                variants.append((unesc(f[1]), try typeID(f[2], i)))
            case "alt":
                guard case .alternate? = lastKind(), f.count >= 2 else { throw fail(i, "alt outside an alternate") }
                alts.append(try typeID(f[1], i))
            case "event":
                flush()
                guard f.count >= 2 else { throw fail(i, "event without a name") }
                var data: TypeID?
                if let d = opt(f, "data") { guard let id = ids[d] else { throw fail(i, "unknown type '\(d)'") }; data = id }
                events.append(SchemaEvent(name: unesc(f[1]), data: data, features: feats(f), condition: try cond(f, i),
                                          replacement: opt(f, "replacement"), since: opt(f, "since")))
            case "command":
                flush()
                guard f.count >= 2 else { throw fail(i, "command without a name") }
                func type(_ key: String) throws(SchemaReadError) -> TypeID? {
                    guard let n = opt(f, key) else { return nil }
                    guard let id = ids[n] else { throw fail(i, "unknown type '\(n)'") }
                    return id
                }
                let flags = f.dropFirst(2)
                commands.append(SchemaCommand(
                    name: unesc(f[1]), arguments: try type("args"), boxed: flags.contains("boxed"), returns: try type("returns"),
                    allowOOB: flags.contains("oob"), allowPreconfig: flags.contains("preconfig"),
                    generated: !flags.contains("no-gen"), successResponse: !flags.contains("no-success-response"),
                    features: feats(f), condition: try cond(f, i), replacement: opt(f, "replacement"), since: opt(f, "since")))
            case "errors":
                errorClasses = f.dropFirst().map { unesc($0) }
            default:
                throw fail(i, "unknown line '\(f[0])'")
            }
        }
        flush()
        return Schema(name: schemaName, version: version, origin: origin, types: types, events: events, commands: commands,
                      errorClasses: errorClasses, integerWidthsLost: widthsLost)
    }

    // MARK: - Escaping

    static func esc(_ s: String) -> String {
        var out = ""
        for u in s.utf8 {
            switch u {
            case 0x20: out += "%20"
            case 0x25: out += "%25"
            case 0x3D: out += "%3D"
            case 0x0A: out += "%0A"
            case 0x2C: out += "%2C"
            default: out.unicodeScalars.append(Unicode.Scalar(u))
            }
        }
        return out
    }

    static func unesc<S: StringProtocol>(_ s: S) -> String {
        guard s.contains("%") else { return String(s) }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.popFirst() {
            if c == 0x25, it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v); it = it.dropFirst(2)
            } else { bytes.append(c) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(_ c: QAPICondition) -> String {
        func name(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "(", with: "%28")
                .replacingOccurrences(of: ")", with: "%29").replacingOccurrences(of: ",", with: "%2C")
        }
        switch c {
        case .name(let s): return name(s)
        case .all(let cs): return "all(" + cs.map(encode).joined(separator: ",") + ")"
        case .any(let cs): return "any(" + cs.map(encode).joined(separator: ",") + ")"
        case .not(let x): return "not(" + encode(x) + ")"
        }
    }

    static func decodeCondition(_ s: String) -> QAPICondition? {
        var chars = Array(s)[...]
        func parse() -> QAPICondition? {
            for op in ["all(", "any(", "not("] where chars.starts(with: op) {
                chars = chars.dropFirst(4)
                var items: [QAPICondition] = []
                while true {
                    if chars.first == ")" { chars = chars.dropFirst(); break }
                    guard let c = parse() else { return nil }
                    items.append(c)
                    if chars.first == "," { chars = chars.dropFirst() }
                }
                switch op {
                case "all(": return .all(items)
                case "any(": return .any(items)
                default: return items.count == 1 ? .not(items[0]) : nil
                }
            }
            var n = ""
            while let ch = chars.first, ch != ",", ch != ")" { n.append(ch); chars = chars.dropFirst() }
            return n.isEmpty ? nil : .name(unesc(n))
        }
        let c = parse()
        return chars.isEmpty ? c : nil
    }
}

import Foundation
