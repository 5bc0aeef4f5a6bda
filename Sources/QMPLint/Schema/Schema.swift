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

/// A QMP command: what its `arguments` and the `return` of its success reply must be.
public struct SchemaCommand: Sendable, Equatable {
    public var name: String
    /// The object type of `arguments`, nil when the command takes none (`arguments` absent or
    /// `{}`). Inline `data` members become an implicit object type named `NAME-arg`; a named
    /// struct, or with `boxed` a union or struct, is the type itself.
    public var arguments: TypeID?
    /// QAPI `'boxed': true`: `data` names a struct or union passed whole to QEMU's handler. The
    /// wire form is the same as unboxed; a union as arguments is always boxed.
    public var boxed: Bool
    /// The type of the success reply's `return`, nil when the command declares no `returns`
    /// (the reply is then `{"return": {}}`). May be `any` (`qom-get`) or an array (`['str']`).
    public var returns: TypeID?
    /// `'allow-oob': true`: may be sent as `exec-oob` (out of band; needs an `id`).
    public var allowOOB: Bool
    /// `'allow-preconfig': true`: accepted in the `--preconfig` state, before the machine exists.
    public var allowPreconfig: Bool
    /// False for `'gen': false` (`'no'` in old releases): QEMU's handler reads `arguments`
    /// itself, so the declared members are the known ones and others may be accepted
    /// (`device_add`, `netdev_add`, `object-add` in old releases). Undefined type names such a
    /// command uses (`'**'`, `'visitor'`, `'dict'` in 2.1) are `any`.
    public var generated: Bool
    /// False for `'success-response': false`: no reply is sent when the command succeeds.
    public var successResponse: Bool
    /// `deprecated`, `unstable`, and any other feature names.
    public var features: [String]
    public var condition: QAPICondition?
    /// Where the doc names one, the command that replaces a deprecated one
    /// (e.g. `query-cpus` -> `query-cpus-fast`), best effort.
    public var replacement: String?
    /// "6.2" style version from the doc comment's `Since:` line, when known.
    public var since: String?
    public init(name: String, arguments: TypeID? = nil, boxed: Bool = false, returns: TypeID? = nil,
                allowOOB: Bool = false, allowPreconfig: Bool = false, generated: Bool = true,
                successResponse: Bool = true, features: [String] = [], condition: QAPICondition? = nil,
                replacement: String? = nil, since: String? = nil) {
        self.name = name; self.arguments = arguments; self.boxed = boxed; self.returns = returns
        self.allowOOB = allowOOB; self.allowPreconfig = allowPreconfig; self.generated = generated
        self.successResponse = successResponse; self.features = features; self.condition = condition
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

/// A QMP schema: every event and command with the closure of the types their data,
/// arguments and returns use. Every reader (QAPI source, introspection, text doc, built-in
/// catalog) produces this one model.
public struct Schema: Sendable {
    /// e.g. `qemu-10.2.0`, or the file name for a user-given schema.
    public var name: String
    /// QEMU version `major.minor.micro` when known.
    public var version: String?
    public var origin: SchemaOrigin
    public var types: [SchemaType]
    /// Events sorted by name.
    public var events: [SchemaEvent] { didSet { eventIndex = Self.index(events.map(\.name)) } }
    /// Commands sorted by name; empty when the source describes none (text documentation).
    public var commands: [SchemaCommand] { didSet { commandIndex = Self.index(commands.map(\.name)) } }
    /// The `class` values an error reply may carry (`QapiErrorClass`, `ErrorClass` in old
    /// releases), in schema order; empty when unknown (introspection and text documentation
    /// do not carry them).
    public var errorClasses: [String]
    /// True when integer widths are unknown (introspection collapses them to `int`).
    public var integerWidthsLost: Bool
    /// QAPI types the source names but does not define (a text document's `ACPIOSTInfo type as
    /// described in qapi-schema.json`) and no other schema resolved: values there accept anything.
    public var unresolvedReferences: [UnresolvedTypeReference] = []

    public init(name: String, version: String? = nil, origin: SchemaOrigin, types: [SchemaType],
                events: [SchemaEvent], commands: [SchemaCommand] = [], errorClasses: [String] = [],
                integerWidthsLost: Bool = false) {
        self.name = name; self.version = version; self.origin = origin; self.types = types
        self.events = events.sorted { $0.name < $1.name }
        self.commands = commands.sorted { $0.name < $1.name }
        self.errorClasses = errorClasses
        self.integerWidthsLost = integerWidthsLost
        self.eventIndex = Self.index(self.events.map(\.name))
        self.commandIndex = Self.index(self.commands.map(\.name))
    }

    private var eventIndex: [String: Int]
    private var commandIndex: [String: Int]

    private static func index(_ names: [String]) -> [String: Int] {
        var idx: [String: Int] = [:]
        idx.reserveCapacity(names.count)
        for (i, n) in names.enumerated() { idx[n] = i }
        return idx
    }

    public func event(named name: String) -> SchemaEvent? {
        eventIndex[name].map { events[$0] }
    }

    public func command(named name: String) -> SchemaCommand? {
        commandIndex[name].map { commands[$0] }
    }
}
