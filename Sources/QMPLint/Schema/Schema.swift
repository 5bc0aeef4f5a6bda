/// Index of a type in `Schema.types`.
public typealias TypeID = Int

/// A QAPI `if` condition, kept as written (never evaluated): a definition, member or enum value
/// under a condition exists only in some builds of QEMU.
public indirect enum QAPICondition: Sendable, Equatable, Hashable, CustomStringConvertible {
    case name(String)
    case all([QAPICondition])
    case any([QAPICondition])
    case not(QAPICondition)

    public var description: String {
        switch self {
        case .name(let s): return s
        case .all(let cs): return "(" + cs.map(\.description).joined(separator: " && ") + ")"
        case .any(let cs): return "(" + cs.map(\.description).joined(separator: " || ") + ")"
        case .not(let c): return "!" + c.description
        }
    }
}

/// The built-in scalar types of QAPI with their exact wire ranges.
public enum BuiltinType: String, Sendable, CaseIterable {
    case str, number, bool, null, any
    case int, int8, int16, int32, int64
    case uint8, uint16, uint32, uint64, size
    /// `QType` and other string-valued builtins are modelled as enums, not here.

    /// Inclusive integer range for the integer types, nil otherwise.
    public var integerRange: (min: Int64, maxMagnitude: UInt64, signed: Bool)? {
        switch self {
        case .int, .int64: return (Int64.min, UInt64(Int64.max), true)
        case .int8: return (Int64(Int8.min), UInt64(Int8.max), true)
        case .int16: return (Int64(Int16.min), UInt64(Int16.max), true)
        case .int32: return (Int64(Int32.min), UInt64(Int32.max), true)
        case .uint8: return (0, UInt64(UInt8.max), false)
        case .uint16: return (0, UInt64(UInt16.max), false)
        case .uint32: return (0, UInt64(UInt32.max), false)
        case .uint64, .size: return (0, UInt64.max, false)
        default: return nil
        }
    }
}

/// One member of a struct, union base or event data.
public struct SchemaMember: Sendable, Equatable {
    public var name: String
    public var type: TypeID
    public var optional: Bool
    /// `deprecated`, `unstable`, and any other feature names.
    public var features: [String]
    public var condition: QAPICondition?
    public init(name: String, type: TypeID, optional: Bool, features: [String] = [], condition: QAPICondition? = nil) {
        self.name = name; self.type = type; self.optional = optional
        self.features = features; self.condition = condition
    }
}

public struct SchemaEnumValue: Sendable, Equatable {
    public var name: String
    public var features: [String]
    public var condition: QAPICondition?
    public init(name: String, features: [String] = [], condition: QAPICondition? = nil) {
        self.name = name; self.features = features; self.condition = condition
    }
}

/// An object type: a struct, or a union (members of the base plus the branch selected by the
/// discriminator). Old simple unions are desugared by the readers to this form: discriminator
/// `type`, and each branch an object with one member `data`.
public struct SchemaObject: Sendable, Equatable {
    public var members: [SchemaMember]
    /// The member whose value selects a variant (unions only).
    public var discriminator: String?
    /// Discriminator value -> the object type whose members are added.
    public var variants: [(value: String, type: TypeID)]
    public init(members: [SchemaMember], discriminator: String? = nil, variants: [(value: String, type: TypeID)] = []) {
        self.members = members; self.discriminator = discriminator; self.variants = variants
    }
    public static func == (a: SchemaObject, b: SchemaObject) -> Bool {
        a.members == b.members && a.discriminator == b.discriminator
            && a.variants.map(\.value) == b.variants.map(\.value) && a.variants.map(\.type) == b.variants.map(\.type)
    }
}

public enum SchemaTypeKind: Sendable, Equatable {
    case builtin(BuiltinType)
    case enumeration([SchemaEnumValue])
    case object(SchemaObject)
    /// Any one of the alternatives (QAPI `alternate`), tried in order.
    case alternate([TypeID])
    case array(element: TypeID)
}

public struct SchemaType: Sendable, Equatable {
    /// The QAPI name (`ACPIOSTInfo`, `str`, `[int]` for arrays, or a reader-made name for
    /// implicit types such as an event's inline data: `EVENT_NAME-data`).
    public var name: String
    public var kind: SchemaTypeKind
    public var features: [String]
    public var condition: QAPICondition?
    public init(name: String, kind: SchemaTypeKind, features: [String] = [], condition: QAPICondition? = nil) {
        self.name = name; self.kind = kind; self.features = features; self.condition = condition
    }
}

public struct SchemaEvent: Sendable, Equatable {
    public var name: String
    /// The object type of `data`, nil when the event has no data.
    public var data: TypeID?
    public var features: [String]
    public var condition: QAPICondition?
    /// Where the source names one, the event that replaces a deprecated one
    /// (e.g. MEM_UNPLUG_ERROR -> DEVICE_UNPLUG_GUEST_ERROR).
    public var replacement: String?
    /// "6.2" style version from the doc comment's `Since:` line, when known.
    public var since: String?
    public init(name: String, data: TypeID?, features: [String] = [], condition: QAPICondition? = nil,
                replacement: String? = nil, since: String? = nil) {
        self.name = name; self.data = data; self.features = features; self.condition = condition
        self.replacement = replacement; self.since = since
    }
}

/// A QAPI type a schema source names without defining it, left unresolved: the value at
/// `pointer` is accepted as any JSON value.
public struct UnresolvedTypeReference: Sendable, Equatable {
    public var event: String
    /// JSON Pointer into the event of the value whose type it is (`/data`, `/data/result`).
    public var pointer: String
    /// The QAPI type name as written (`ACPIOSTInfo`).
    public var typeName: String
    /// 1-based line of the reference in the source.
    public var line: Int
    public init(event: String, pointer: String, typeName: String, line: Int) {
        self.event = event; self.pointer = pointer; self.typeName = typeName; self.line = line
    }
}

/// Where a schema came from, for the report ("which schema was used and why").
public struct SchemaOrigin: Sendable, Equatable {
    public enum Kind: String, Sendable { case builtin, qapiSource = "qapi-source", introspection, textDoc = "text-doc" }
    public var kind: Kind
    /// File or folder it was read from; empty for built-in catalogs.
    public var path: String
    public init(kind: Kind, path: String = "") { self.kind = kind; self.path = path }
}

/// An event schema: every event with the closure of the types its data uses. Every reader
/// (QAPI source, introspection, text doc, built-in catalog) produces this one model.
public struct Schema: Sendable {
    /// e.g. `qemu-10.2.0`, or the file name for a user-given schema.
    public var name: String
    /// QEMU version `major.minor.micro` when known.
    public var version: String?
    public var origin: SchemaOrigin
    public var types: [SchemaType]
    /// Events sorted by name.
    public var events: [SchemaEvent]
    /// True when integer widths are unknown (introspection collapses them to `int`).
    public var integerWidthsLost: Bool
    /// QAPI types the source names but does not define (a text document's `ACPIOSTInfo type as
    /// described in qapi-schema.json`) and no other schema resolved: values there accept anything.
    public var unresolvedReferences: [UnresolvedTypeReference] = []

    public init(name: String, version: String? = nil, origin: SchemaOrigin, types: [SchemaType],
                events: [SchemaEvent], integerWidthsLost: Bool = false) {
        self.name = name; self.version = version; self.origin = origin; self.types = types
        self.events = events.sorted { $0.name < $1.name }; self.integerWidthsLost = integerWidthsLost
        var idx: [String: Int] = [:]
        for (i, e) in self.events.enumerated() { idx[e.name] = i }
        self.eventIndex = idx
    }

    private var eventIndex: [String: Int]

    public func event(named name: String) -> SchemaEvent? {
        eventIndex[name].map { events[$0] }
    }
}
