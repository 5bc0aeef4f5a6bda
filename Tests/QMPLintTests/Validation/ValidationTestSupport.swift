import Foundation
import Testing
@testable import QMPLint

/// Builds a `Schema` by hand for tests: types by QAPI name, `*name` for optional members,
/// `[T]` for arrays.
struct SchemaBuilder {
    var types: [SchemaType] = []
    var index: [String: TypeID] = [:]
    var events: [SchemaEvent] = []
    var commands: [SchemaCommand] = []
    var errorClasses: [String] = []

    init() {
        for b in BuiltinType.allCases { add(SchemaType(name: b.rawValue, kind: .builtin(b))) }
    }

    @discardableResult
    mutating func add(_ t: SchemaType) -> TypeID {
        types.append(t); index[t.name] = types.count - 1; return types.count - 1
    }

    mutating func id(_ name: String) -> TypeID {
        if let i = index[name] { return i }
        if name.hasPrefix("["), name.hasSuffix("]") {
            let element = id(String(name.dropFirst().dropLast()))
            return add(SchemaType(name: name, kind: .array(element: element)))
        }
        fatalError("unknown test type \(name)")
    }

    mutating func members(_ ms: [(String, String)], features: [String: [String]] = [:],
                          conditions: [String: QAPICondition] = [:]) -> [SchemaMember] {
        ms.map { (n, t) in
            let optional = n.hasPrefix("*")
            let name = optional ? String(n.dropFirst()) : n
            return SchemaMember(name: name, type: id(t), optional: optional,
                                features: features[name] ?? [], condition: conditions[name])
        }
    }

    mutating func enumeration(_ name: String, _ values: [String], deprecated: Set<String> = []) {
        add(SchemaType(name: name, kind: .enumeration(values.map {
            SchemaEnumValue(name: $0, features: deprecated.contains($0) ? ["deprecated"] : [])
        })))
    }

    mutating func structure(_ name: String, _ ms: [(String, String)], features: [String: [String]] = [:]) {
        let m = members(ms, features: features)
        add(SchemaType(name: name, kind: .object(SchemaObject(members: m))))
    }

    mutating func union(_ name: String, base: [(String, String)], discriminator: String, variants: [(String, String)]) {
        let m = members(base)
        let v = variants.map { (value: $0.0, type: id($0.1)) }
        add(SchemaType(name: name, kind: .object(SchemaObject(members: m, discriminator: discriminator, variants: v))))
    }

    mutating func alternate(_ name: String, _ alts: [String]) {
        let a = alts.map { id($0) }
        add(SchemaType(name: name, kind: .alternate(a)))
    }

    mutating func event(_ name: String, _ data: [(String, String)]?, features: [String] = [],
                        memberFeatures: [String: [String]] = [:], condition: QAPICondition? = nil,
                        replacement: String? = nil) {
        var d: TypeID?
        if let data {
            let m = members(data, features: memberFeatures)
            d = add(SchemaType(name: name + "-data", kind: .object(SchemaObject(members: m))))
        }
        events.append(SchemaEvent(name: name, data: d, features: features, condition: condition, replacement: replacement))
    }

    mutating func event(_ name: String, dataType: String) {
        events.append(SchemaEvent(name: name, data: id(dataType)))
    }

    /// A command with inline arguments (nil: none) and a return type name (nil: returns nothing).
    mutating func command(_ name: String, _ args: [(String, String)]?, returns: String? = nil, features: [String] = [],
                          argumentFeatures: [String: [String]] = [:], allowOOB: Bool = false, replacement: String? = nil) {
        var a: TypeID?
        if let args {
            let m = members(args, features: argumentFeatures)
            a = add(SchemaType(name: name + "-arg", kind: .object(SchemaObject(members: m))))
        }
        commands.append(SchemaCommand(name: name, arguments: a, returns: returns.map { id($0) }, allowOOB: allowOOB,
                                      features: features, replacement: replacement))
    }

    func build(_ name: String) -> Schema {
        Schema(name: name, version: nil, origin: SchemaOrigin(kind: .builtin), types: types, events: events,
               commands: commands, errorClasses: errorClasses)
    }
}

enum TestSchemas {
    /// The 18 events of the benchmark corpus as QEMU 10.2 defines them, plus a few with
    /// features and conditions, plus `X_TYPES`, an event exercising every kind of type.
    static let qemu: Schema = {
        var b = SchemaBuilder()
        b.enumeration("ShutdownCause", ["none", "host-error", "host-qmp-quit", "host-qmp-system-reset",
                                        "host-signal", "host-ui", "guest-shutdown", "guest-reset",
                                        "guest-panic", "subsystem-reset", "snapshot-load"])
        b.enumeration("GuestPanicAction", ["pause", "poweroff", "run"])
        b.enumeration("GuestPanicInformationType", ["hyper-v", "s390", "tdx"])
        b.enumeration("S390CrashReason", ["unknown", "disabled-wait", "extint-loop", "pgmint-loop", "opint-loop"])
        b.enumeration("ACPISlotType", ["DIMM", "CPU"])
        b.enumeration("IoOperationType", ["read", "write"])
        b.enumeration("BlockErrorAction", ["ignore", "report", "stop"])
        b.enumeration("QuorumOpType", ["read", "write", "flush"])
        b.enumeration("JobType", ["commit", "stream", "mirror", "backup", "create", "amend",
                                  "snapshot-load", "snapshot-save", "snapshot-delete"])
        b.enumeration("JobStatus", ["undefined", "created", "running", "paused", "ready", "standby",
                                    "waiting", "pending", "aborting", "concluded", "null"])
        b.enumeration("MigrationStatus", ["none", "setup", "cancelling", "cancelled", "active", "postcopy-device",
                                          "postcopy-active", "postcopy-paused", "postcopy-recover-setup",
                                          "postcopy-recover", "completed", "failed", "colo", "pre-switchover",
                                          "device", "wait-unplug"])
        b.enumeration("S390CpuPolarization", ["horizontal", "vertical"])
        b.enumeration("NetworkAddressFamily", ["ipv4", "ipv6", "unix", "vsock", "unknown"])
        b.structure("ACPIOSTInfo", [("*device", "str"), ("slot", "str"), ("slot-type", "ACPISlotType"),
                                    ("source", "int"), ("status", "int")])
        b.structure("GuestPanicInformationHyperV", [("arg1", "uint64"), ("arg2", "uint64"), ("arg3", "uint64"),
                                                    ("arg4", "uint64"), ("arg5", "uint64")])
        b.structure("GuestPanicInformationS390", [("core", "uint32"), ("psw-mask", "uint64"),
                                                  ("psw-addr", "uint64"), ("reason", "S390CrashReason")])
        b.structure("GuestPanicInformationTdx", [("error-code", "uint32"), ("message", "str"), ("*gpa", "uint64")])
        b.union("GuestPanicInformation", base: [("type", "GuestPanicInformationType")], discriminator: "type",
                variants: [("hyper-v", "GuestPanicInformationHyperV"), ("s390", "GuestPanicInformationS390"),
                           ("tdx", "GuestPanicInformationTdx")])
        b.structure("SpiceBasicInfo", [("host", "str"), ("port", "str"), ("family", "NetworkAddressFamily")])
        b.structure("SpiceServerInfo", [("host", "str"), ("port", "str"), ("family", "NetworkAddressFamily"),
                                        ("*auth", "str")])
        b.structure("SpiceChannel", [("host", "str"), ("port", "str"), ("family", "NetworkAddressFamily"),
                                     ("connection-id", "int"), ("channel-type", "int"), ("channel-id", "int"),
                                     ("tls", "bool")])

        b.event("SHUTDOWN", [("guest", "bool"), ("reason", "ShutdownCause")])
        b.event("POWERDOWN", nil)
        b.event("RESET", [("guest", "bool"), ("reason", "ShutdownCause")])
        b.event("STOP", nil)
        b.event("RESUME", nil)
        b.event("GUEST_PANICKED", [("action", "GuestPanicAction"), ("*info", "GuestPanicInformation")])
        b.event("BALLOON_CHANGE", [("actual", "int")])
        b.event("RTC_CHANGE", [("offset", "int"), ("qom-path", "str")])
        b.event("ACPI_DEVICE_OST", [("info", "ACPIOSTInfo")])
        b.event("DEVICE_DELETED", [("*device", "str"), ("path", "str")])
        b.event("NIC_RX_FILTER_CHANGED", [("*name", "str"), ("path", "str")])
        b.event("BLOCK_IO_ERROR", [("qom-path", "str"), ("device", "str"), ("*node-name", "str"),
                                   ("operation", "IoOperationType"), ("action", "BlockErrorAction"),
                                   ("*nospace", "bool"), ("reason", "str")])
        b.event("BLOCK_JOB_COMPLETED", [("type", "JobType"), ("device", "str"), ("len", "int"), ("offset", "int"),
                                        ("speed", "int"), ("*error", "str")])
        b.event("BLOCK_JOB_READY", [("type", "JobType"), ("device", "str"), ("len", "int"), ("offset", "int"),
                                    ("speed", "int")])
        b.event("QUORUM_FAILURE", [("reference", "str"), ("sector-num", "int"), ("sectors-count", "int")])
        b.event("QUORUM_REPORT_BAD", [("type", "QuorumOpType"), ("*error", "str"), ("node-name", "str"),
                                      ("sector-num", "int"), ("sectors-count", "int")])
        b.event("JOB_STATUS_CHANGE", [("id", "str"), ("status", "JobStatus")])
        b.event("MIGRATION", [("status", "MigrationStatus")])
        b.event("CPU_POLARIZATION_CHANGE", [("polarization", "S390CpuPolarization")], features: ["unstable"])
        b.event("SPICE_INITIALIZED", [("server", "SpiceServerInfo"), ("client", "SpiceChannel")],
                condition: .name("CONFIG_SPICE"))
        b.event("MEM_UNPLUG_ERROR", [("device", "str"), ("msg", "str")], features: ["deprecated"],
                replacement: "DEVICE_UNPLUG_GUEST_ERROR")
        b.event("DEVICE_UNPLUG_GUEST_ERROR", [("*device", "str"), ("path", "str")])

        // Test-only: every kind of type.
        b.enumeration("Color", ["red", "green", "blue"])
        b.alternate("IntOrColor", ["int", "Color"])
        b.alternate("StrOrNull", ["str", "null"])
        b.structure("Point", [("x", "int"), ("y", "int"), ("*label", "str")])
        b.alternate("PointOrName", ["Point", "str"])
        b.enumeration("ShapeKind", ["circle", "poly"])
        b.enumeration("PolyKind", ["tri", "quad"])
        b.structure("Circle", [("r", "uint32")])
        b.structure("Tri", [("a", "int")])
        b.structure("Quad", [("a", "int"), ("b", "int")])
        b.union("PolyU", base: [("shape", "ShapeKind"), ("kind", "PolyKind")], discriminator: "kind",
                variants: [("tri", "Tri"), ("quad", "Quad")])
        b.union("ShapeU", base: [("shape", "ShapeKind"), ("*name", "str")], discriminator: "shape",
                variants: [("circle", "Circle"), ("poly", "PolyU")])
        // Commands.
        b.enumeration("RunState", ["debug", "inmigrate", "internal-error", "io-error", "paused", "postmigrate",
                                   "prelaunch", "finish-migrate", "restore-vm", "running", "save-vm", "shutdown",
                                   "suspended", "watchdog", "guest-panicked", "colo"])
        b.structure("StatusInfo", [("running", "bool"), ("status", "RunState")])
        b.enumeration("QMPCapability", ["oob"])
        b.structure("CpuInfoFast", [("cpu-index", "int"), ("qom-path", "str"), ("thread-id", "int"), ("target", "str")])
        b.command("qmp_capabilities", [("*enable", "[QMPCapability]")])
        b.command("query-status", nil, returns: "StatusInfo")
        b.command("device_del", [("id", "str")])
        b.command("cont", nil)
        b.command("stop", nil)
        b.command("query-cpus-fast", nil, returns: "[CpuInfoFast]")
        b.command("query-cpus", nil, returns: "[CpuInfoFast]", features: ["deprecated"], replacement: "query-cpus-fast")
        b.command("x-debug-query-block-graph", nil, features: ["unstable"])
        b.command("query-block", nil, returns: "[str]")
        b.command("block-job-set-speed", [("device", "str"), ("speed", "int"), ("*granularity", "int")],
                  argumentFeatures: ["granularity": ["deprecated"]])
        b.command("migrate-pause", nil, allowOOB: true)
        b.command("job-complete", [("id", "str")])
        b.command("job-dismiss", [("id", "str")])
        b.errorClasses = ["GenericError", "CommandNotFound", "DeviceNotActive", "DeviceNotFound", "KVMMissingCap"]

        b.event("X_TYPES", [("*shape", "ShapeU"), ("*i8", "int8"), ("*i16", "int16"), ("*i32", "int32"), ("*i64", "int64"),
                            ("*u8", "uint8"), ("*u16", "uint16"), ("*u32", "uint32"), ("*u64", "uint64"),
                            ("*sz", "size"), ("*int", "int"), ("*num", "number"), ("*any", "any"), ("*nul", "null"),
                            ("*ints", "[int]"), ("*points", "[Point]"), ("*ioc", "IntOrColor"),
                            ("*son", "StrOrNull"), ("*pon", "PointOrName"), ("*b", "bool"), ("*a/b~c", "int")])
        return b.build("test-qemu-10.2")
    }()

    /// The same, but deprecating DEVICE_DELETED's `device` and MigrationStatus `colo`
    /// (the schemas the deprecated-member / deprecated-value examples assume).
    static let withDeprecations: Schema = {
        var s = qemu
        var types = s.types
        for (i, t) in types.enumerated() {
            if t.name == "DEVICE_DELETED-data", case .object(var o) = t.kind {
                o.members[0].features = ["deprecated"]
                types[i].kind = .object(o)
            }
            if t.name == "MigrationStatus", case .enumeration(var vs) = t.kind {
                for j in vs.indices where vs[j].name == "colo" { vs[j].features = ["deprecated"] }
                types[i].kind = .enumeration(vs)
            }
        }
        s = Schema(name: s.name + "+deprecations", origin: s.origin, types: types, events: s.events,
                   commands: s.commands, errorClasses: s.errorClasses)
        return s
    }()
}

/// One event line parsed (lenient) and validated.
struct Checked {
    var event: MessageVerdict
    var findings: [RawFinding]
    var rules: [String] { findings.map(\.rule) }
    var errors: [RawFinding] { findings.filter { $0.severity == .error } }
    func first(_ rule: String) -> RawFinding? { findings.first { $0.rule == rule } }
}

/// Parses `line` with `JSONParser.parseValue(.lenient)`; nil when it does not parse.
func check(_ line: String, _ v: MessageValidator) -> Checked? {
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { buf -> Checked? in
        var tape = JSONTape()
        guard case .success = JSONParser.parseValue(buf, from: 0, options: .lenient, into: &tape) else { return nil }
        var findings: [RawFinding] = []
        let e = v.validate(event: 0, in: tape, into: &findings)
        return Checked(event: e, findings: findings)
    }
}

/// Byte offset of the first occurrence of `needle` in `line`.
func offset(of needle: String, in line: String) -> Int {
    let l = Array(line.utf8), n = Array(needle.utf8)
    for i in 0...(l.count - n.count) where Array(l[i..<(i + n.count)]) == n { return i }
    return -1
}
