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
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(SchemaReadError) -> Schema in
                var d = CatalogReader(bytes: bytes, path: name ?? "catalog")
                return try d.decode(name: name, origin: origin)
            }
        }
        return try result.get()
    }

    /// Reads a catalog's bytes line by line, fields as byte ranges: strings are made only for
    /// names and values (a catalog with commands has some 10,000 lines, read once per run).
    struct CatalogReader {
        let bytes: UnsafeBufferPointer<UInt8>
        let path: String
        /// Fields of the current line, as byte ranges.
        var f: [Range<Int>] = []
        var lineNumber = 0
        var ids: [String: TypeID] = [:]

        init(bytes: UnsafeBufferPointer<UInt8>, path: String) { self.bytes = bytes; self.path = path }

        func fail(_ m: String) -> SchemaReadError { SchemaReadError(path: path, line: lineNumber, column: 1, message: m) }

        /// Calls `body` with each line's byte range and 1-based number.
        func forEachLine(_ body: (Range<Int>, Int) throws(SchemaReadError) -> Void) throws(SchemaReadError) {
            var start = 0, n = 1
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                try body(start..<end, n)
                start = end + 1
                n += 1
            }
        }

        mutating func split(_ line: Range<Int>) {
            f.removeAll(keepingCapacity: true)
            var i = line.lowerBound
            while i < line.upperBound {
                while i < line.upperBound && bytes[i] == 0x20 { i += 1 }
                let s = i
                while i < line.upperBound && bytes[i] != 0x20 { i += 1 }
                if s < i { f.append(s..<i) }
            }
        }

        func eq(_ r: Range<Int>, _ s: StaticString) -> Bool {
            guard r.count == s.utf8CodeUnitCount else { return false }
            let p = s.utf8Start
            for k in 0..<r.count where bytes[r.lowerBound + k] != p[k] { return false }
            return true
        }

        func string(_ r: Range<Int>) -> String {
            let raw = UnsafeBufferPointer(rebasing: bytes[r])
            return raw.contains(0x25) ? unesc(String(decoding: raw, as: UTF8.self)) : String(decoding: raw, as: UTF8.self)
        }

        /// The value of option `key=` among the fields after the first two.
        func opt(_ key: StaticString) -> Range<Int>? {
            let k = key.utf8CodeUnitCount
            for r in f.dropFirst(2) where r.count > k && bytes[r.lowerBound + k] == 0x3D && eq(r.lowerBound..<(r.lowerBound + k), key) {
                return (r.lowerBound + k + 1)..<r.upperBound
            }
            return nil
        }

        func optString(_ key: StaticString) -> String? { opt(key).map(string) }

        /// True when a field after the first two is `word`.
        func flag(_ word: StaticString) -> Bool { f.dropFirst(2).contains { eq($0, word) } }

        func features() -> [String] {
            guard let r = opt("features") else { return [] }
            var out: [String] = []
            var s = r.lowerBound
            for i in r where bytes[i] == 0x2C {
                out.append(string(s..<i)); s = i + 1
            }
            out.append(string(s..<r.upperBound))
            return out
        }

        func condition() throws(SchemaReadError) -> QAPICondition? {
            guard let c = optString("if") else { return nil }
            guard let parsed = SchemaCatalogCodec.decodeCondition(c) else { throw fail("bad condition '\(c)'") }
            return parsed
        }

        func typeID(_ r: Range<Int>) throws(SchemaReadError) -> TypeID {
            let n = string(r)
            guard let id = ids[n] else { throw fail("unknown type '\(n)'") }
            return id
        }

        func typeID(option key: StaticString) throws(SchemaReadError) -> TypeID? {
            guard let r = opt(key) else { return nil }
            return try typeID(r)
        }

        mutating func decode(name: String?, origin: SchemaOrigin) throws(SchemaReadError) -> Schema {
            lineNumber = 1
            let headerBytes = Array(header.utf8)
            guard bytes.count >= headerBytes.count, bytes.starts(with: headerBytes),
                  bytes.count == headerBytes.count || bytes[headerBytes.count] == 0x0A else {
                throw fail("not a qmp-lint catalog")
            }
            // First pass: type names -> ids, in the order of the `type` lines.
            var names: [String] = []
            try forEachLine { (line: Range<Int>, _: Int) throws(SchemaReadError) in
                guard line.count > 5, bytes[line.lowerBound] == UInt8(ascii: "t"), eq(line.prefix(5), "type ") else { return }
                split(line)
                guard f.count >= 3 else { return }
                ids[string(f[1])] = names.count
                names.append(string(f[1]))
            }
            var types: [SchemaType] = []
            types.reserveCapacity(names.count)
            var events: [SchemaEvent] = []
            var commands: [SchemaCommand] = []
            var errorClasses: [String] = []
            var schemaName = name ?? ""
            var version: String?
            var widthsLost = false
            // Members, values, variants and alternatives of the type being read, stored when it
            // ends (appending into the enum payload in place would copy its array at every line).
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
            try forEachLine { (line: Range<Int>, n: Int) throws(SchemaReadError) in
                guard n > 1, !line.isEmpty else { return }
                lineNumber = n
                split(line)
                guard let k = f.first else { throw fail("blank line with spaces") }
                if eq(k, "member") {
                    guard case .object? = lastKind(), f.count >= 3 else { throw fail("member outside an object") }
                    members.append(SchemaMember(name: string(f[1]), type: try typeID(f[2]), optional: f.dropFirst(3).contains { eq($0, "optional") },
                                                features: features(), condition: try condition()))
                } else if eq(k, "value") {
                    guard case .enumeration? = lastKind(), f.count >= 2 else { throw fail("value outside an enum") }
                    values.append(SchemaEnumValue(name: string(f[1]), features: features(), condition: try condition()))
                } else if eq(k, "type") {
                    flush()
                    guard f.count >= 3 else { throw fail("short type line") }
                    let t = names[types.count]
                    let feats = features(), c = try condition()
                    let kind: SchemaTypeKind
                    if eq(f[2], "builtin") {
                        guard f.count >= 4, let b = BuiltinType(rawValue: string(f[3])) else { throw fail("bad builtin") }
                        kind = .builtin(b)
                    } else if eq(f[2], "enum") {
                        kind = .enumeration([])
                    } else if eq(f[2], "object") {
                        kind = .object(SchemaObject(members: [], discriminator: optString("discriminator")))
                    } else if eq(f[2], "alternate") {
                        kind = .alternate([])
                    } else if eq(f[2], "array") {
                        guard f.count >= 4 else { throw fail("array without element type") }
                        kind = .array(element: try typeID(f[3]))
                    } else {
                        throw fail("unknown type kind '\(string(f[2]))'")
                    }
                    types.append(SchemaType(name: t, kind: kind, features: feats, condition: c))
                    open = true
                } else if eq(k, "variant") {
                    guard case .object? = lastKind(), f.count >= 3 else { throw fail("variant outside an object") }
                    variants.append((string(f[1]), try typeID(f[2])))
                } else if eq(k, "alt") {
                    guard case .alternate? = lastKind(), f.count >= 2 else { throw fail("alt outside an alternate") }
                    alts.append(try typeID(f[1]))
                } else if eq(k, "event") {
                    flush()
                    guard f.count >= 2 else { throw fail("event without a name") }
                    events.append(SchemaEvent(name: string(f[1]), data: try typeID(option: "data"), features: features(),
                                              condition: try condition(), replacement: optString("replacement"), since: optString("since")))
                } else if eq(k, "command") {
                    flush()
                    guard f.count >= 2 else { throw fail("command without a name") }
                    commands.append(SchemaCommand(
                        name: string(f[1]), arguments: try typeID(option: "args"), boxed: flag("boxed"),
                        returns: try typeID(option: "returns"), allowOOB: flag("oob"), allowPreconfig: flag("preconfig"),
                        generated: !flag("no-gen"), successResponse: !flag("no-success-response"), features: features(),
                        condition: try condition(), replacement: optString("replacement"), since: optString("since")))
                } else if eq(k, "schema") {
                    if name == nil, f.count > 1 { schemaName = string(f[1]) }
                    version = optString("version")
                    widthsLost = f.dropFirst().contains { eq($0, "widths-lost") }
                } else if eq(k, "errors") {
                    errorClasses = f.dropFirst().map(string)
                } else {
                    throw fail("unknown line '\(string(k))'")
                }
            }
            flush()
            return Schema(name: schemaName, version: version, origin: origin, types: types, events: events, commands: commands,
                          errorClasses: errorClasses, integerWidthsLost: widthsLost)
        }
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
