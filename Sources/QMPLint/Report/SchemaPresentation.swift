/// Text and JSON renderings of schemas for `qmp-lint schema ...` and `compat`.
public enum SchemaPresentation {
    /// A type as people read it: `str`, `int64`, `[ACPIOSTInfo]`, `ShutdownCause`.
    static func typeName(_ id: TypeID, _ s: Schema) -> String {
        let t = s.types[id]
        if case .array(let e) = t.kind { return "[" + typeName(e, s) + "]" }
        return t.name
    }

    static func members(_ e: SchemaEvent, _ s: Schema) -> [SchemaMember] {
        guard let d = e.data, case .object(let o) = s.types[d].kind else { return [] }
        return o.members
    }

    public static func list(json: Bool) -> String {
        let versions = BuiltinCatalogs.versions
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject(); w.key("catalogs"); w.beginArray()
            for v in versions {
                w.beginObject(); w.member("name", "qemu-\(v)"); w.member("version", v)
                if let s = try? BuiltinCatalogs.load(version: v) {
                    w.member("events", s.events.count); w.member("commands", s.commands.count)
                }
                w.endObject()
            }
            w.endArray(); w.endObject()
            return w.text + "\n"
        }
        var out = ""
        for v in versions {
            let s = try? BuiltinCatalogs.load(version: v)
            out += "qemu-\(v)\(v == BuiltinCatalogs.defaultVersion ? " (default)" : "")\t\(s?.events.count ?? 0) events"
            out += "\t\(s?.commands.count ?? 0) commands\n"
        }
        return out
    }

    public static func events(_ s: Schema, json: Bool) -> String {
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject(); w.member("schema", s.name); w.key("events"); w.beginArray()
            for e in s.events {
                w.beginObject(); w.member("name", e.name); w.key("members"); w.beginArray()
                for m in members(e, s) {
                    w.beginObject(); w.member("name", m.name); w.member("type", typeName(m.type, s)); w.member("optional", m.optional)
                    w.endObject()
                }
                w.endArray()
                if !e.features.isEmpty { w.key("features"); w.beginArray(); for f in e.features { w.string(f) }; w.endArray() }
                w.endObject()
            }
            w.endArray(); w.endObject()
            return w.text + "\n"
        }
        var out = "\(s.name): \(s.events.count) events\n"
        for e in s.events {
            let ms = members(e, s).map { ($0.optional ? "*" : "") + $0.name + ": " + typeName($0.type, s) }
            out += e.name + (ms.isEmpty ? "" : "  " + ms.joined(separator: ", "))
            if !e.features.isEmpty { out += "  [" + e.features.joined(separator: ", ") + "]" }
            out += "\n"
        }
        return out
    }

    /// An event, else a command, of that name; nil when the schema has neither.
    public static func show(_ name: String, in s: Schema, json: Bool) -> String? {
        guard let e = s.event(named: name) else { return s.command(named: name).map { showCommand($0, in: s, json: json) } }
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject(); w.member("schema", s.name); w.member("name", e.name)
            w.member("since", e.since); w.member("replacement", e.replacement)
            w.member("condition", e.condition?.description)
            w.key("features"); w.beginArray(); for f in e.features { w.string(f) }; w.endArray()
            w.key("members"); detailedMembers(members(e, s), s, &w)
            w.endObject()
            return w.text + "\n"
        }
        var out = "\(e.name) (\(s.name))"
        if let since = e.since { out += ", since \(since)" }
        out += "\n"
        if !e.features.isEmpty { out += "  features: " + e.features.joined(separator: ", ") + "\n" }
        if let r = e.replacement { out += "  replaced by: \(r)\n" }
        if let c = e.condition { out += "  only if: \(c)\n" }
        let ms = members(e, s)
        if ms.isEmpty { out += "  no data\n" }
        for m in ms { out += memberLine(m, s, indent: "  ") }
        return out
    }

    /// One member as `show` writes it: name, type, optionality, features, condition, values.
    static func memberLine(_ m: SchemaMember, _ s: Schema, indent: String) -> String {
        var out = "\(indent)\(m.name): \(typeName(m.type, s))\(m.optional ? " (optional)" : "")"
        if !m.features.isEmpty { out += " [" + m.features.joined(separator: ", ") + "]" }
        if let c = m.condition { out += " if \(c)" }
        if case .enumeration(let vs) = s.types[m.type].kind { out += " one of: " + vs.map(\.name).joined(separator: ", ") }
        return out + "\n"
    }

    /// Members as `show --format json` writes them (the value of a `members` key).
    static func detailedMembers(_ ms: [SchemaMember], _ s: Schema, _ w: inout JSONWriter) {
        w.beginArray()
        for m in ms {
            w.beginObject(); w.member("name", m.name); w.member("type", typeName(m.type, s)); w.member("optional", m.optional)
            w.member("condition", m.condition?.description)
            w.key("features"); w.beginArray(); for f in m.features { w.string(f) }; w.endArray()
            if case .enumeration(let vs) = s.types[m.type].kind {
                w.key("values"); w.beginArray(); for v in vs { w.string(v.name) }; w.endArray()
            }
            w.endObject()
        }
        w.endArray()
    }
}

extension SchemaPresentation {
    public static func diff(_ a: Schema, _ b: Schema, json: Bool) -> String {
        let ds = SchemaDiff.compare(a, b)
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject(); w.member("old", a.name); w.member("new", b.name); w.key("differences"); w.beginArray()
            for d in ds {
                w.beginObject(); w.member("kind", d.kind.rawValue); w.member(d.subject == .command ? "command" : "event", d.event)
                w.member("path", d.path)
                w.member("detail", d.detail); w.member("text", d.description); w.endObject()
            }
            w.endArray(); w.endObject()
            return w.text + "\n"
        }
        var out = "\(a.name) -> \(b.name): \(ds.count) difference\(ds.count == 1 ? "" : "s")\n"
        for d in ds { out += d.description + "\n" }
        return out
    }
}
