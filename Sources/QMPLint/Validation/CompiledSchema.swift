import Glibc

/// A `Schema` turned into flat, byte-keyed tables once per validator, so that checking a
/// well-formed event compares bytes only: no `String`, no allocation, no reference counting.
///
/// Names live in one byte pool; events, object members, enum values and union variants are
/// found through open-addressing hash tables keyed by (scope, bytes). A union is stored as its
/// base object plus one flattened object (base + branch members) per variant. Immutable after
/// init (hence `@unchecked Sendable`); the buffers are freed with it.
final class CompiledSchema: @unchecked Sendable {
    /// A name in `pool`.
    struct NameRef { var start: Int32; var count: Int32 }

    enum Kind {
        case str, bool, null, any, number
        case integer(min: Int64, maxMagnitude: UInt64)
        case enumeration(Int32)
        case object(Int32)
        case alternate(first: Int32, count: Int32)
        case array(element: Int32)
    }

    static let flagDeprecated: UInt8 = 1
    static let flagUnstable: UInt8 = 2
    static let flagConditional: UInt8 = 4
    static let flagOptional: UInt8 = 8

    struct Member { var name: NameRef; var type: Int32; var flags: UInt8 }
    struct Object {
        var firstMember: Int32
        var memberCount: Int32
        /// Bit i set: member i is required (first 64 members).
        var required: UInt64
        /// A required member sits at position >= 64 and must be looked up by name.
        var wideRequired: Bool
        /// Position of the discriminator member, -1 for structs and flattened variants.
        var discriminator: Int32
        /// The schema type this object stands for (for messages).
        var schemaType: Int32
    }
    struct EnumValue { var name: NameRef; var flags: UInt8 }
    struct Enumeration { var first: Int32; var count: Int32 }
    struct Event {
        var name: NameRef
        /// Schema type of `data`, -1 when the event has none.
        var dataType: Int32
        /// Some member of data is required (absent `data` is then an error).
        var requiresData: Bool
        var flags: UInt8
    }
    struct Command {
        var name: NameRef
        /// Schema type of `arguments`, -1 when the command takes none.
        var argumentsType: Int32
        /// Schema type of the success reply's `return`, -1 when it returns nothing (`{}`).
        var returnType: Int32
        var flags: UInt8
        /// `allow-oob`.
        var allowOOB: Bool
        /// `'gen': false`, or a command whose arguments QEMU passes on as properties
        /// (`device_add`, `object-add`): members beyond the declared ones are accepted.
        var openArguments: Bool
    }

    let schema: Schema
    /// "Did you mean" parts of messages, made once per name.
    let suggestions = SuggestionMemo()
    let pool: UnsafeMutableBufferPointer<UInt8>
    let types: UnsafeMutableBufferPointer<Kind>
    let alternatives: UnsafeMutableBufferPointer<Int32>
    let objects: UnsafeMutableBufferPointer<Object>
    let members: UnsafeMutableBufferPointer<Member>
    let enums: UnsafeMutableBufferPointer<Enumeration>
    let enumValues: UnsafeMutableBufferPointer<EnumValue>
    let events: UnsafeMutableBufferPointer<Event>
    let commands: UnsafeMutableBufferPointer<Command>
    /// scope 0: event name -> event index.
    let eventTable: ByteTable
    /// scope 0: command name -> command index.
    let commandTable: ByteTable
    /// scope 0: error class -> its index (empty table: the classes are not known).
    let errorClassTable: ByteTable
    let hasErrorClasses: Bool
    /// scope object index: member name -> position in the object.
    let memberTable: ByteTable
    /// scope enum index: value -> position in the enum.
    let enumTable: ByteTable
    /// scope union object index: discriminator value -> flattened object index.
    let variantTable: ByteTable
    /// Pool names of the envelope and timestamp keys.
    let keyEvent: NameRef, keyTimestamp: NameRef, keyData: NameRef
    let keySeconds: NameRef, keyMicroseconds: NameRef
    let keyExecute: NameRef, keyExecOOB: NameRef, keyArguments: NameRef, keyID: NameRef
    let keyReturn: NameRef, keyError: NameRef, keyClass: NameRef, keyDesc: NameRef
    /// Display names per schema type: the type name, or "EVENT data" for an event's implicit type.
    let typeNames: [String]

    init(schema: Schema) {
        self.schema = schema
        var pool: [UInt8] = []
        var poolIndex: [String: NameRef] = [:]
        func intern(_ s: String) -> NameRef {
            if let r = poolIndex[s] { return r }
            let r = NameRef(start: Int32(pool.count), count: Int32(s.utf8.count))
            pool.append(contentsOf: s.utf8)
            poolIndex[s] = r
            return r
        }
        keyEvent = intern("event"); keyTimestamp = intern("timestamp"); keyData = intern("data")
        keySeconds = intern("seconds"); keyMicroseconds = intern("microseconds")
        keyExecute = intern("execute"); keyExecOOB = intern("exec-oob"); keyArguments = intern("arguments")
        keyID = intern("id"); keyReturn = intern("return"); keyError = intern("error")
        keyClass = intern("class"); keyDesc = intern("desc")

        var types: [Kind] = []
        var alternatives: [Int32] = []
        var objects: [Object] = []
        var members: [Member] = []
        var enums: [Enumeration] = []
        var enumValues: [EnumValue] = []
        var memberKeys: [ByteTable.Entry] = []
        var enumKeys: [ByteTable.Entry] = []
        var variantKeys: [ByteTable.Entry] = []

        func flags(_ features: [String], _ condition: QAPICondition?, optional: Bool = false) -> UInt8 {
            var f: UInt8 = 0
            if features.contains("deprecated") { f |= CompiledSchema.flagDeprecated }
            if features.contains("unstable") { f |= CompiledSchema.flagUnstable }
            if condition != nil { f |= CompiledSchema.flagConditional }
            if optional { f |= CompiledSchema.flagOptional }
            return f
        }
        func addObject(_ ms: [SchemaMember], discriminator: String?, schemaType: Int) -> Int32 {
            let index = Int32(objects.count)
            var required: UInt64 = 0
            var wide = false
            var disc: Int32 = -1
            for (i, m) in ms.enumerated() {
                let ref = intern(m.name)
                members.append(Member(name: ref, type: Int32(m.type), flags: flags(m.features, m.condition, optional: m.optional)))
                memberKeys.append(ByteTable.Entry(scope: index, name: ref, value: Int32(i)))
                if !m.optional && m.condition == nil {
                    if i < 64 { required |= 1 << UInt64(i) } else { wide = true }
                }
                if m.name == discriminator { disc = Int32(i) }
            }
            objects.append(Object(firstMember: Int32(members.count - ms.count), memberCount: Int32(ms.count),
                                  required: required, wideRequired: wide, discriminator: disc,
                                  schemaType: Int32(schemaType)))
            return index
        }
        /// An object with `prefix` members before its own; for a union, one flattened object
        /// per branch (base + branch members, as QEMU's visitor writes them), recursively when
        /// a branch is itself a union.
        func addUnionTree(prefix: [SchemaMember], _ o: SchemaObject, schemaType: Int) -> Int32 {
            // A branch union may repeat the outer base's members (its discriminator, say).
            let all = prefix + o.members.filter { m in !prefix.contains { $0.name == m.name } }
            let index = addObject(all, discriminator: o.discriminator, schemaType: schemaType)
            guard o.discriminator != nil else { return index }
            for v in o.variants {
                let branch: SchemaObject
                if case .object(let b) = schema.types[v.type].kind { branch = b } else { branch = SchemaObject(members: []) }
                let flat = addUnionTree(prefix: all, branch, schemaType: schemaType)
                variantKeys.append(ByteTable.Entry(scope: index, name: intern(v.value), value: flat))
            }
            return index
        }

        for (t, type) in schema.types.enumerated() {
            switch type.kind {
            case .builtin(let b):
                switch b {
                case .str: types.append(.str)
                case .bool: types.append(.bool)
                case .null: types.append(.null)
                case .any: types.append(.any)
                case .number: types.append(.number)
                default:
                    let r = b.integerRange!
                    types.append(.integer(min: r.min, maxMagnitude: r.maxMagnitude))
                }
            case .enumeration(let values):
                let e = Int32(enums.count)
                enums.append(Enumeration(first: Int32(enumValues.count), count: Int32(values.count)))
                for (i, v) in values.enumerated() {
                    let ref = intern(v.name)
                    enumValues.append(EnumValue(name: ref, flags: flags(v.features, v.condition)))
                    enumKeys.append(ByteTable.Entry(scope: e, name: ref, value: Int32(i)))
                }
                types.append(.enumeration(e))
            case .object(let o):
                types.append(.object(addUnionTree(prefix: [], o, schemaType: t)))
            case .alternate(let alts):
                types.append(.alternate(first: Int32(alternatives.count), count: Int32(alts.count)))
                alternatives.append(contentsOf: alts.map { Int32($0) })
            case .array(let element):
                types.append(.array(element: Int32(element)))
            }
        }

        var events: [Event] = []
        var eventKeys: [ByteTable.Entry] = []
        var names = schema.types.map(\.name)
        for (i, e) in schema.events.enumerated() {
            let ref = intern(e.name)
            var requires = false
            if let d = e.data, case .object(let oi) = types[d] {
                let o = objects[Int(oi)]
                requires = o.required != 0 || o.wideRequired
                if names[d].hasSuffix("-data") { names[d] = e.name + " data" }
            }
            events.append(Event(name: ref, dataType: Int32(e.data ?? -1), requiresData: requires,
                                flags: flags(e.features, e.condition)))
            eventKeys.append(ByteTable.Entry(scope: 0, name: ref, value: Int32(i)))
        }
        var commands: [Command] = []
        var commandKeys: [ByteTable.Entry] = []
        for (i, cmd) in schema.commands.enumerated() {
            let ref = intern(cmd.name)
            if let a = cmd.arguments, names[a].hasSuffix("-arg") { names[a] = cmd.name + " arguments" }
            let open = !cmd.generated || cmd.name == "device_add" || cmd.name == "object-add" || cmd.name == "object_add"
            commands.append(Command(name: ref, argumentsType: Int32(cmd.arguments ?? -1),
                                    returnType: Int32(cmd.returns ?? -1), flags: flags(cmd.features, cmd.condition),
                                    allowOOB: cmd.allowOOB, openArguments: open))
            commandKeys.append(ByteTable.Entry(scope: 0, name: ref, value: Int32(i)))
        }
        var classKeys: [ByteTable.Entry] = []
        for (i, c) in schema.errorClasses.enumerated() {
            classKeys.append(ByteTable.Entry(scope: 0, name: intern(c), value: Int32(i)))
        }
        hasErrorClasses = !schema.errorClasses.isEmpty
        typeNames = names

        self.pool = Self.freeze(pool)
        self.types = Self.freeze(types)
        self.alternatives = Self.freeze(alternatives)
        self.objects = Self.freeze(objects)
        self.members = Self.freeze(members)
        self.enums = Self.freeze(enums)
        self.enumValues = Self.freeze(enumValues)
        self.events = Self.freeze(events)
        self.commands = Self.freeze(commands)
        let p = UnsafeRawPointer(self.pool.baseAddress!)
        eventTable = ByteTable(eventKeys, pool: p)
        commandTable = ByteTable(commandKeys, pool: p)
        errorClassTable = ByteTable(classKeys, pool: p)
        memberTable = ByteTable(memberKeys, pool: p)
        enumTable = ByteTable(enumKeys, pool: p)
        variantTable = ByteTable(variantKeys, pool: p)
    }

    deinit {
        for b in [pool.baseAddress.map(UnsafeMutableRawPointer.init), types.baseAddress.map(UnsafeMutableRawPointer.init),
                  alternatives.baseAddress.map(UnsafeMutableRawPointer.init), objects.baseAddress.map(UnsafeMutableRawPointer.init),
                  members.baseAddress.map(UnsafeMutableRawPointer.init), enums.baseAddress.map(UnsafeMutableRawPointer.init),
                  enumValues.baseAddress.map(UnsafeMutableRawPointer.init), events.baseAddress.map(UnsafeMutableRawPointer.init),
                  commands.baseAddress.map(UnsafeMutableRawPointer.init)] {
            b?.deallocate()
        }
    }

    /// Copies `a` to a buffer owned by this object (at least one element, so the base is never nil).
    private static func freeze<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(a.count, 1))
        _ = b.initialize(from: a)
        return UnsafeMutableBufferPointer(rebasing: b[0..<a.count])
    }

    /// The pool's base address.
    @inline(__always) var poolBase: UnsafeRawPointer { UnsafeRawPointer(pool.baseAddress!) }

    /// The text of a pooled name (slow path: messages only).
    func string(_ r: NameRef) -> String {
        String(decoding: UnsafeRawBufferPointer(start: poolBase + Int(r.start), count: Int(r.count)), as: UTF8.self)
    }

    /// True when pooled name `r` equals the `count` bytes at `p`.
    @inline(__always) func equals(_ r: NameRef, _ p: UnsafeRawPointer, _ count: Int) -> Bool {
        Int(r.count) == count && bytesEqual(poolBase + Int(r.start), p, count)
    }
}

/// True when the `n` bytes at `a` and `b` are equal; inlined (names are short, a libc call
/// costs more than the compare).
@inline(__always)
func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    if i + 4 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt32.self) != b.loadUnaligned(fromByteOffset: i, as: UInt32.self) {
            return false
        }
        i += 4
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// Open-addressing hash table from (scope, name bytes) to a small integer; built once, read-only.
struct ByteTable: @unchecked Sendable {
    struct Entry { var scope: Int32; var name: CompiledSchema.NameRef; var value: Int32 }

    private let slots: UnsafeMutableBufferPointer<Int32>
    private let entries: [Entry]
    private let mask: Int
    private let pool: UnsafeRawPointer
    /// Keeps `slots` alive and frees it (tables are copied into the owning `CompiledSchema`).
    private let owner: SlotOwner

    final class SlotOwner: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<Int32>
        init(_ n: Int) { slots = .allocate(capacity: n); slots.initialize(repeating: -1) }
        deinit { slots.deallocate() }
    }

    init(_ entries: [Entry], pool: UnsafeRawPointer) {
        var size = 16
        while size < entries.count * 3 { size <<= 1 }
        owner = SlotOwner(size)
        slots = owner.slots
        mask = size - 1
        self.entries = entries
        self.pool = pool
        for (i, e) in entries.enumerated() {
            var h = Self.hash(e.scope, pool + Int(e.name.start), Int(e.name.count)) & mask
            while slots[h] >= 0 { h = (h + 1) & mask }
            slots[h] = Int32(i)
        }
    }

    /// Word-at-a-time multiplicative hash of (scope, bytes): names are short, so a byte loop's
    /// multiply chain would dominate a lookup.
    @inline(__always)
    static func hash(_ scope: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = (UInt64(UInt32(bitPattern: scope)) << 32 | UInt64(n)) &* k
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            if n >= 8 {
                // The last 8 bytes, overlapping what was already mixed.
                tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                var shift: UInt64 = 0
                while i < n { tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift; shift += 8; i += 1 }
            }
            h = (h ^ tail) &* k
            h ^= h >> 29
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The value stored for (scope, the `n` bytes at `p`), or -1.
    @inline(__always)
    func find(_ scope: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int32 {
        var h = Self.hash(scope, p, n) & mask
        while true {
            let s = slots[h]
            if s < 0 { return -1 }
            let e = entries.withUnsafeBufferPointer { $0[Int(s)] }
            if e.scope == scope, Int(e.name.count) == n,
               bytesEqual(pool + Int(e.name.start), p, n) {
                return e.value
            }
            h = (h + 1) & mask
        }
    }
}
