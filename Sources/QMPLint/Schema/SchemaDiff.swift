/// One difference between two schemas, as a reader of both would state it.
public struct SchemaDifference: Sendable, Equatable, Comparable {
    public enum Kind: String, Sendable {
        case eventAdded = "event-added", eventRemoved = "event-removed"
        case commandAdded = "command-added", commandRemoved = "command-removed"
        /// A command's `allow-oob` changed (detail: `allowed` or `no longer allowed`).
        case allowOOBChanged = "allow-oob-changed"
        case memberAdded = "member-added", memberRemoved = "member-removed"
        case madeRequired = "made-required", madeOptional = "made-optional"
        case typeChanged = "type-changed"
        case valueAdded = "value-added", valueRemoved = "value-removed"
        case deprecated, undeprecated
    }
    /// What the difference is about: an event or a command.
    public enum Subject: Int, Sendable { case event, command }
    public var kind: Kind
    /// The event's or command's name (see `subject`).
    public var event: String
    /// Member path inside the event's data (`info.slot-type`), or for a command inside its
    /// `arguments` or `returns` (`arguments.id`, `returns.status`, `returns` for the return
    /// type itself); "" for the event or command itself.
    public var path: String
    public var detail: String
    public var subject: Subject

    public init(kind: Kind, event: String, path: String, detail: String, subject: Subject = .event) {
        self.kind = kind; self.event = event; self.path = path; self.detail = detail; self.subject = subject
    }

    public var description: String {
        let place = path.isEmpty ? event : "\(event) \(path)"
        switch kind {
        case .eventAdded: return "+ event \(event)\(detail.isEmpty ? "" : " (\(detail))")"
        case .eventRemoved: return "- event \(event)"
        case .commandAdded: return "+ command \(event)\(detail.isEmpty ? "" : " (\(detail))")"
        case .commandRemoved: return "- command \(event)"
        case .allowOOBChanged: return "~ \(place) allow-oob \(detail)"
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
        (a.subject.rawValue, a.event, a.path, a.kind.rawValue, a.detail) < (b.subject.rawValue, b.event, b.path, b.kind.rawValue, b.detail)
    }
}

/// Compares two schemas event by event and command by command, down through the members of the
/// types their data, arguments and returns use.
public enum SchemaDiff {
    struct Facts: Equatable {
        var type: String
        var optional: Bool
        var values: [String]
        var deprecated: Bool
    }

    /// Member path -> facts, for every member reachable from an event's data (cycles cut).
    static func flatten(_ e: SchemaEvent, _ s: Schema) -> [String: Facts] {
        flatten(root: e.data, prefix: "", s)
    }

    /// Member path -> facts for a command: `arguments.NAME...` and `returns...`, with the return
    /// type itself at `returns` (`{}` when none is declared). Paths are followed as for events,
    /// except that an alternate leads only to object types not yet expanded for this command:
    /// `BlockdevRef` makes `BlockdevOptions` recursive through dozens of members, and a change
    /// inside it is told once per command, at its first path.
    static func flatten(_ c: SchemaCommand, _ s: Schema) -> [String: Facts] {
        var out: [String: Facts] = [:]
        var values: [String] = []
        if let r = c.returns, case .enumeration(let vs) = s.types[r].kind { values = vs.map(\.name) }
        out["returns"] = Facts(type: c.returns.map { typeName($0, s) } ?? "{}", optional: false, values: values, deprecated: false)
        var expanded: Set<TypeID> = []
        func walk(_ id: TypeID, _ prefix: String, _ onPath: Set<TypeID>) {
            guard !onPath.contains(id) else { return }
            var onPath = onPath
            onPath.insert(id)
            switch s.types[id].kind {
            case .object(let o):
                expanded.insert(id)
                for m in o.members {
                    let p = prefix + "." + m.name
                    var values: [String] = []
                    if case .enumeration(let vs) = s.types[m.type].kind { values = vs.map(\.name) }
                    out[p] = Facts(type: typeName(m.type, s), optional: m.optional, values: values, deprecated: m.features.contains("deprecated"))
                    walk(m.type, p, onPath)
                }
                for v in o.variants { walk(v.type, prefix + "(\(v.value))", onPath) }
            case .array(let el): walk(el, prefix + "[]", onPath)
            case .alternate(let alts): for a in alts where !expanded.contains(a) { walk(a, prefix, onPath) }
            default: break
            }
        }
        if let a = c.arguments { walk(a, "arguments", []) }
        if let r = c.returns { walk(r, "returns", []) }
        return out
    }

    /// A type's name for a diff: arrays by element, implicit objects (`-data`, `-arg`, an
    /// introspection `-ret`) as `object`.
    static func typeName(_ id: TypeID, _ s: Schema) -> String {
        if case .array(let el) = s.types[id].kind { return "[" + typeName(el, s) + "]" }
        if case .object = s.types[id].kind, ["-data", "-arg", "-ret"].contains(where: s.types[id].name.hasSuffix) { return "object" }
        return s.types[id].name
    }

    /// Every path to every member, each path's own cycles cut (events' types are small).
    static func flatten(root: TypeID?, prefix root0: String, _ s: Schema) -> [String: Facts] {
        var out: [String: Facts] = [:]
        func name(_ id: TypeID) -> String { typeName(id, s) }
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
        if let root { walk(root, root0, []) }
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
            for d in compareMembers(flatten(a, old), flatten(b, new)) {
                out.append(SchemaDifference(kind: d.kind, event: n, path: d.path, detail: d.detail))
            }
        }
        out += compareCommands(old, new)
        return out.sorted()
    }

    /// Differences between two flattened member sets (see `flatten`).
    static func compareMembers(_ fa: [String: Facts], _ fb: [String: Facts]) -> [(kind: SchemaDifference.Kind, path: String, detail: String)] {
        var out: [(kind: SchemaDifference.Kind, path: String, detail: String)] = []
        for (p, f) in fb where fa[p] == nil { out.append((.memberAdded, p, f.type + (f.optional ? " (optional)" : " (required)"))) }
        for (p, f) in fa where fb[p] == nil { out.append((.memberRemoved, p, f.type + (f.optional ? " (optional)" : " (required)"))) }
        for (p, x) in fa {
            guard let y = fb[p] else { continue }
            if x.optional && !y.optional { out.append((.madeRequired, p, "")) }
            if !x.optional && y.optional { out.append((.madeOptional, p, "")) }
            if x.type != y.type && x.values.isEmpty == y.values.isEmpty && !(x.values.isEmpty && y.values.isEmpty && (x.type == "object" || y.type == "object")) {
                if x.values.isEmpty || x.type != y.type && y.values.isEmpty { out.append((.typeChanged, p, "\(x.type) -> \(y.type)")) }
            }
            for v in y.values where !x.values.contains(v) { out.append((.valueAdded, p, v)) }
            for v in x.values where !y.values.contains(v) { out.append((.valueRemoved, p, v)) }
            if x.deprecated != y.deprecated { out.append((y.deprecated ? .deprecated : .undeprecated, p, "")) }
        }
        return out
    }

    static func compareCommands(_ old: Schema, _ new: Schema) -> [SchemaDifference] {
        var out: [SchemaDifference] = []
        func add(_ k: SchemaDifference.Kind, _ n: String, _ p: String, _ d: String) {
            out.append(SchemaDifference(kind: k, event: n, path: p, detail: d, subject: .command))
        }
        let oldNames = Set(old.commands.map(\.name)), newNames = Set(new.commands.map(\.name))
        for n in newNames.subtracting(oldNames) { add(.commandAdded, n, "", new.command(named: n)?.since.map { "since \($0)" } ?? "") }
        for n in oldNames.subtracting(newNames) { add(.commandRemoved, n, "", "") }
        for n in oldNames.intersection(newNames) {
            let a = old.command(named: n)!, b = new.command(named: n)!
            let da = a.features.contains("deprecated"), db = b.features.contains("deprecated")
            if da != db { add(db ? .deprecated : .undeprecated, n, "", db ? (b.replacement.map { "use \($0)" } ?? "") : "") }
            if a.allowOOB != b.allowOOB { add(.allowOOBChanged, n, "", b.allowOOB ? "allowed" : "no longer allowed") }
            for d in compareMembers(flatten(a, old), flatten(b, new)) { add(d.kind, n, d.path, d.detail) }
        }
        return out
    }
}
