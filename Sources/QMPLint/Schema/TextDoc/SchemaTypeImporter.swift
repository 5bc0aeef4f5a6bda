/// Copies a type and the closure of the types it uses from one schema into another's type list,
/// so that a reader can resolve a type its source only names (a text document's
/// `ACPIOSTInfo type as described in qapi-schema.json`) against a schema that defines it.
struct SchemaTypeImporter {
    let source: Schema
    /// Source type id -> id in the destination list.
    private var imported: [TypeID: TypeID] = [:]

    init(source: Schema) { self.source = source }

    /// The id of the first type of the source schema named `name`.
    func type(named name: String) -> TypeID? {
        source.types.firstIndex { $0.name == name }
    }

    /// Appends source type `id` and everything it refers to (once each) to `types`; returns
    /// its id there. `builtins` maps builtin type names to their ids in `types`: a builtin is
    /// shared with the destination's, and added to the map when new.
    mutating func importType(_ id: TypeID, into types: inout [SchemaType], builtins: inout [String: TypeID]) -> TypeID {
        if let done = imported[id] { return done }
        var t = source.types[id]
        if case .builtin = t.kind {
            if let existing = builtins[t.name], types[existing].kind == t.kind {
                imported[id] = existing
                return existing
            }
            if builtins[t.name] == nil { builtins[t.name] = types.count }
        }
        let new = types.count
        types.append(t)
        imported[id] = new
        switch t.kind {
        case .builtin, .enumeration:
            break
        case .object(var o):
            for i in o.members.indices {
                o.members[i].type = importType(o.members[i].type, into: &types, builtins: &builtins)
            }
            o.variants = o.variants.map { ($0.value, importType($0.type, into: &types, builtins: &builtins)) }
            t.kind = .object(o)
        case .alternate(let alts):
            t.kind = .alternate(alts.map { importType($0, into: &types, builtins: &builtins) })
        case .array(let element):
            t.kind = .array(element: importType(element, into: &types, builtins: &builtins))
        }
        types[new] = t
        return new
    }
}
