/// One difference between two schemas, as a reader of both would state it.
public struct SchemaDifference: Sendable, Equatable, Comparable {
    public enum Kind: String, Sendable {
        case eventAdded = "event-added", eventRemoved = "event-removed"
        case memberAdded = "member-added", memberRemoved = "member-removed"
        case madeRequired = "made-required", madeOptional = "made-optional"
        case typeChanged = "type-changed"
        case valueAdded = "value-added", valueRemoved = "value-removed"
        case deprecated, undeprecated
    }
    public var kind: Kind
    public var event: String
    /// Member path inside the event's data (`info.slot-type`), "" for the event itself.
    public var path: String
    public var detail: String

    public var description: String {
        let place = path.isEmpty ? event : "\(event) \(path)"
        switch kind {
        case .eventAdded: return "+ event \(event)\(detail.isEmpty ? "" : " (\(detail))")"
        case .eventRemoved: return "- event \(event)"
        case .memberAdded: return "+ member \(place): \(detail)"
        case .memberRemoved: return "- member \(place): \(detail)"
        case .madeRequired: return "~ \(place) is now required"
        case .madeOptional: return "~ \(place) is now optional"
        case .typeChanged: return "~ \(place) type \(detail)"
        case .valueAdded: return "+ value \(place): \(detail)"
        case .valueRemoved: return "- value \(place): \(detail)"
        case .deprecated: return "! \(place) deprecated\(detail.isEmpty ? "" : " (\(detail))")"
        case .undeprecated: return "! \(place) no longer deprecated"
        }
    }

    public static func < (a: SchemaDifference, b: SchemaDifference) -> Bool {
        (a.event, a.path, a.kind.rawValue, a.detail) < (b.event, b.path, b.kind.rawValue, b.detail)
    }
}

/// Compares two schemas event by event, down through the members of the types their data uses.
public enum SchemaDiff {
    struct Facts: Equatable {
        var type: String
        var optional: Bool
        var values: [String]
        var deprecated: Bool
    }

    /// Member path -> facts, for every member reachable from an event's data (cycles cut).
    static func flatten(_ e: SchemaEvent, _ s: Schema) -> [String: Facts] {
        var out: [String: Facts] = [:]
        func name(_ id: TypeID) -> String {
            if case .array(let el) = s.types[id].kind { return "[" + name(el) + "]" }
            if case .object = s.types[id].kind, s.types[id].name.hasSuffix("-data") { return "object" }
            return s.types[id].name
        }
        func walk(_ id: TypeID, _ prefix: String, _ seen: Set<TypeID>) {
            guard !seen.contains(id) else { return }
            var seen = seen
            seen.insert(id)
            switch s.types[id].kind {
            case .object(let o):
                for m in o.members {
                    let p = prefix.isEmpty ? m.name : prefix + "." + m.name
                    var values: [String] = []
                    if case .enumeration(let vs) = s.types[m.type].kind { values = vs.map(\.name) }
                    out[p] = Facts(type: name(m.type), optional: m.optional, values: values, deprecated: m.features.contains("deprecated"))
                    walk(m.type, p, seen)
                }
                for v in o.variants { walk(v.type, prefix.isEmpty ? "(\(v.value))" : prefix + "(\(v.value))", seen) }
            case .array(let el): walk(el, prefix + "[]", seen)
            case .alternate(let alts): for a in alts { walk(a, prefix, seen) }
            default: break
            }
        }
        if let d = e.data { walk(d, "", []) }
        return out
    }

    public static func compare(_ old: Schema, _ new: Schema) -> [SchemaDifference] {
        var out: [SchemaDifference] = []
        let oldNames = Set(old.events.map(\.name)), newNames = Set(new.events.map(\.name))
        for n in newNames.subtracting(oldNames) {
            out.append(SchemaDifference(kind: .eventAdded, event: n, path: "", detail: new.event(named: n)?.since.map { "since \($0)" } ?? ""))
        }
        for n in oldNames.subtracting(newNames) { out.append(SchemaDifference(kind: .eventRemoved, event: n, path: "", detail: "")) }
        for n in oldNames.intersection(newNames) {
            let a = old.event(named: n)!, b = new.event(named: n)!
            let da = a.features.contains("deprecated"), db = b.features.contains("deprecated")
            if da != db {
                out.append(SchemaDifference(kind: db ? .deprecated : .undeprecated, event: n, path: "",
                                            detail: db ? (b.replacement.map { "use \($0)" } ?? "") : ""))
            }
            let fa = flatten(a, old), fb = flatten(b, new)
            for (p, f) in fb where fa[p] == nil {
                out.append(SchemaDifference(kind: .memberAdded, event: n, path: p, detail: f.type + (f.optional ? " (optional)" : " (required)")))
            }
            for (p, f) in fa where fb[p] == nil {
                out.append(SchemaDifference(kind: .memberRemoved, event: n, path: p, detail: f.type + (f.optional ? " (optional)" : " (required)")))
            }
            for (p, x) in fa {
                guard let y = fb[p] else { continue }
                if x.optional && !y.optional { out.append(SchemaDifference(kind: .madeRequired, event: n, path: p, detail: "")) }
                if !x.optional && y.optional { out.append(SchemaDifference(kind: .madeOptional, event: n, path: p, detail: "")) }
                if x.type != y.type && x.values.isEmpty == y.values.isEmpty && !(x.values.isEmpty && y.values.isEmpty && (x.type == "object" || y.type == "object")) {
                    if x.values.isEmpty || x.type != y.type && y.values.isEmpty {
                        out.append(SchemaDifference(kind: .typeChanged, event: n, path: p, detail: "\(x.type) -> \(y.type)"))
                    }
                }
                for v in y.values where !x.values.contains(v) { out.append(SchemaDifference(kind: .valueAdded, event: n, path: p, detail: v)) }
                for v in x.values where !y.values.contains(v) { out.append(SchemaDifference(kind: .valueRemoved, event: n, path: p, detail: v)) }
                if x.deprecated != y.deprecated {
                    out.append(SchemaDifference(kind: y.deprecated ? .deprecated : .undeprecated, event: n, path: p, detail: ""))
                }
            }
        }
        return out.sorted()
    }
}
