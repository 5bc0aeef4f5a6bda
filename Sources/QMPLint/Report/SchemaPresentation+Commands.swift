/// Text and JSON renderings of a schema's commands for `qmp-lint schema commands` and
/// `schema show COMMAND`.
extension SchemaPresentation {
    /// The members of a command's arguments (a union's common members).
    static func members(_ c: SchemaCommand, _ s: Schema) -> [SchemaMember] {
        guard let a = c.arguments, case .object(let o) = s.types[a].kind else { return [] }
        return o.members
    }

    /// True when the arguments are the command's own inline members (`NAME-arg`), listed
    /// rather than named.
    static func inlineArguments(_ c: SchemaCommand, _ s: Schema) -> Bool {
        guard let a = c.arguments else { return false }
        return s.types[a].name == c.name + "-arg"
    }

    /// The arguments in one line: `*id: str, force: bool`, or a named type `BlockdevOptions (boxed)`.
    static func argumentSummary(_ c: SchemaCommand, _ s: Schema) -> String {
        guard let a = c.arguments else { return "" }
        if inlineArguments(c, s) {
            return members(c, s).map { ($0.optional ? "*" : "") + $0.name + ": " + typeName($0.type, s) }.joined(separator: ", ")
        }
        return typeName(a, s) + (c.boxed ? " (boxed)" : "")
    }

    public static func commands(_ s: Schema, json: Bool) -> String {
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject(); w.member("schema", s.name); w.key("commands"); w.beginArray()
            for c in s.commands {
                w.beginObject(); w.member("name", c.name)
                w.member("arguments", c.arguments.map { typeName($0, s) }); w.member("boxed", c.boxed)
                w.key("members"); w.beginArray()
                for m in members(c, s) {
                    w.beginObject(); w.member("name", m.name); w.member("type", typeName(m.type, s)); w.member("optional", m.optional)
                    w.endObject()
                }
                w.endArray()
                w.member("returns", c.returns.map { typeName($0, s) })
                w.member("allow-oob", c.allowOOB)
                if !c.features.isEmpty { w.key("features"); w.beginArray(); for f in c.features { w.string(f) }; w.endArray() }
                w.endObject()
            }
            w.endArray(); w.endObject()
            return w.text + "\n"
        }
        var out = "\(s.name): \(s.commands.count) commands\n"
        for c in s.commands {
            let args = argumentSummary(c, s)
            out += c.name + (args.isEmpty ? "" : "  " + args)
            if let r = c.returns { out += " -> " + typeName(r, s) }
            let tags = c.features + (c.allowOOB ? ["allow-oob"] : [])
            if !tags.isEmpty { out += "  [" + tags.joined(separator: ", ") + "]" }
            out += "\n"
        }
        return out
    }

    /// The object whose members a return value has: the return type, or an array's element.
    static func returnObject(_ id: TypeID, _ s: Schema) -> SchemaObject? {
        switch s.types[id].kind {
        case .object(let o): return o
        case .array(let el): if case .object(let o) = s.types[el].kind { return o }; return nil
        default: return nil
        }
    }

    static func showCommand(_ c: SchemaCommand, in s: Schema, json: Bool) -> String {
        let argObject: SchemaObject? = c.arguments.flatMap { if case .object(let o) = s.types[$0].kind { return o }; return nil }
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject(); w.member("schema", s.name); w.member("name", c.name); w.member("kind", "command")
            w.member("since", c.since); w.member("replacement", c.replacement)
            w.member("condition", c.condition?.description)
            w.key("features"); w.beginArray(); for f in c.features { w.string(f) }; w.endArray()
            w.key("arguments")
            if let a = c.arguments {
                w.beginObject(); w.member("type", typeName(a, s)); w.member("boxed", c.boxed)
                w.key("members"); detailedMembers(argObject?.members ?? [], s, &w)
                if let o = argObject, let d = o.discriminator {
                    w.member("discriminator", d)
                    w.key("variants"); w.beginArray()
                    for v in o.variants { w.beginObject(); w.member("value", v.value); w.member("type", typeName(v.type, s)); w.endObject() }
                    w.endArray()
                }
                w.endObject()
            } else { w.null() }
            w.key("returns")
            if let r = c.returns {
                w.beginObject(); w.member("type", typeName(r, s))
                w.key("members"); detailedMembers(returnObject(r, s)?.members ?? [], s, &w)
                w.endObject()
            } else { w.null() }
            w.member("allow-oob", c.allowOOB); w.member("allow-preconfig", c.allowPreconfig)
            w.member("gen", c.generated); w.member("success-response", c.successResponse)
            w.endObject()
            return w.text + "\n"
        }
        var out = "\(c.name) (\(s.name))"
        if let since = c.since { out += ", since \(since)" }
        out += "\n"
        if !c.features.isEmpty { out += "  features: " + c.features.joined(separator: ", ") + "\n" }
        if let r = c.replacement { out += "  replaced by: \(r)\n" }
        if let cond = c.condition { out += "  only if: \(cond)\n" }
        if let a = c.arguments {
            out += "  arguments:" + (inlineArguments(c, s) ? "" : " " + typeName(a, s) + (c.boxed ? " (boxed)" : "")) + "\n"
            for m in argObject?.members ?? [] { out += memberLine(m, s, indent: "    ") }
            if let o = argObject, let d = o.discriminator {
                out += "    and by \(d): " + o.variants.map { "\($0.value) \(typeName($0.type, s))" }.joined(separator: ", ") + "\n"
            }
        } else {
            out += "  arguments: none\n"
        }
        if !c.generated { out += "  other arguments may be accepted (gen: false: QEMU reads them itself)\n" }
        if let r = c.returns {
            let o = returnObject(r, s)
            out += "  returns: \(typeName(r, s))\n"
            for m in o?.members ?? [] { out += memberLine(m, s, indent: "    ") }
            if let o, let d = o.discriminator {
                out += "    and by \(d): " + o.variants.map { "\($0.value) \(typeName($0.type, s))" }.joined(separator: ", ") + "\n"
            }
        } else {
            out += "  returns: nothing ({})\n"
        }
        if !c.successResponse { out += "  no reply on success (success-response: false)\n" }
        out += "  allow-oob: \(c.allowOOB ? "yes" : "no")\n"
        out += "  allow-preconfig: \(c.allowPreconfig ? "yes" : "no")\n"
        return out
    }
}
