import Foundation

/// Checks each event with an `EventValidator` (the validation stage behind `EventChecker`).
public struct ValidatingChecker: EventChecker {
    public let validator: EventValidator
    public init(validator: EventValidator) { self.validator = validator }

    public func severity(of rule: String) -> Severity? {
        validator.isEnabled(rule) ? validator.severity(of: rule) : nil
    }

    public mutating func check(_ event: ExtractedEvent, tape: JSONTape, findings: inout [RawFinding]) -> String? {
        switch event.envelope {
        case .json(let root):
            return validator.validate(envelope: root, in: tape, into: &findings).name
        case .record(let name, let nameOffset, let data, let timestamp):
            return validator.validate(name: name, nameOffset: nameOffset, data: data, timestamp: timestamp,
                                      in: tape, into: &findings).name
        }
    }
}

/// Validators built once per schema and shared by every worker (an `EventValidator` is an
/// immutable value with precomputed tables).
final class ValidatorCache: @unchecked Sendable {
    private let lock = NSLock()
    private var validators: [String: EventValidator] = [:]
    let severities: [String: Severity]
    let disabled: Set<String>

    init(severities: [String: Severity], disabled: Set<String>) {
        self.severities = severities; self.disabled = disabled
    }

    /// The validator for the schema named `key`, built by `load` the first time.
    func validator(_ key: String, _ load: () throws -> Schema) rethrows -> EventValidator {
        lock.lock(); defer { lock.unlock() }
        if let v = validators[key] { return v }
        let v = EventValidator(schema: try load(), severities: severities, disabled: disabled)
        validators[key] = v
        return v
    }
}

/// Chooses each input's schema: the one the user named, else what the input's head says
/// (QMP greeting, libvirt header, query-version reply, query-qmp-schema reply), else the
/// newest built-in catalog.
public struct SchemaSelectingProvider: CheckerProvider {
    /// A schema named with --schema or --qemu-version: used for every input.
    let fixed: (schema: Schema, choice: SchemaChoice)?
    let cache: ValidatorCache
    let defaultVersion: String

    public init(fixed: (schema: Schema, choice: SchemaChoice)?, severities: [String: Severity] = [:],
                disabled: Set<String> = []) {
        self.fixed = fixed
        cache = ValidatorCache(severities: severities, disabled: disabled)
        defaultVersion = BuiltinCatalogs.defaultVersion
    }

    public var defaultChoice: SchemaChoice {
        fixed?.choice ?? SchemaChoice(name: "qemu-\(defaultVersion)", reason: "default (newest built-in release)")
    }

    public func checker(path: String, head: UnsafeRawBufferPointer) -> (ValidatingChecker, SchemaChoice) {
        if let fixed {
            let v = cache.validator("fixed") { fixed.schema }
            return (ValidatingChecker(validator: v), fixed.choice)
        }
        if let found = SchemaDetector().detect(head) {
            switch found {
            case .greeting(let version, _), .libvirtHeader(let version, _), .queryVersion(let version, _):
                // The release of the same major.minor when built in; otherwise the default, said so.
                if let release = BuiltinCatalogs.sameRelease(as: version),
                   let v = try? cache.validator("builtin:" + release, { try BuiltinCatalogs.load(version: release) }) {
                    return (ValidatingChecker(validator: v), SchemaChoice(name: "qemu-\(release)", reason: found.reason))
                }
                let (checker, choice) = defaultChecker()
                return (checker, SchemaChoice(name: choice.name, reason: found.reason + "; no built-in schema for that release, using the newest"))
            case .introspection(let range, _):
                // That exact schema, read from the reply (each input has its own).
                // Keyed on the file too: the schema is named after it (in the report and in messages),
                // whichever of several files with the same reply comes first.
                let bytes = UnsafeRawBufferPointer(rebasing: head[range])
                let name = "query-qmp-schema of \(DisplayPath.make(path))"
                if let v = try? cache.validator("introspection:\(StableHash.hex(ofBytes: bytes)):\(name)", {
                    try IntrospectionReader.read(bytes, name: name)
                }) {
                    return (ValidatingChecker(validator: v), SchemaChoice(name: v.schema.name, reason: found.reason))
                }
                let (checker, choice) = defaultChecker()
                return (checker, SchemaChoice(name: choice.name, reason: found.reason + " could not be read; using the newest built-in"))
            }
        }
        return defaultChecker()
    }

    func defaultChecker() -> (ValidatingChecker, SchemaChoice) {
        let v = try? cache.validator("builtin:" + defaultVersion) { try BuiltinCatalogs.load(version: defaultVersion) }
        let validator = v ?? EventValidator(schema: Schema(name: "none", origin: SchemaOrigin(kind: .builtin), types: [], events: []))
        return (ValidatingChecker(validator: validator), defaultChoice)
    }
}
