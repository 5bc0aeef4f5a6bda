import Foundation

/// Validators built once per schema and shared by every worker (a `MessageValidator` is an
/// immutable value with precomputed tables).
final class ValidatorCache: @unchecked Sendable {
    private let lock = NSLock()
    private var validators: [String: MessageValidator] = [:]
    let rules: RuleSet

    init(rules: RuleSet) { self.rules = rules }

    /// The validator for the schema named `key`, built by `load` the first time.
    func validator(_ key: String, _ load: () throws -> Schema) rethrows -> MessageValidator {
        lock.lock(); defer { lock.unlock() }
        if let v = validators[key] { return v }
        let v = MessageValidator(schema: try load(), rules: rules)
        validators[key] = v
        return v
    }
}

/// Chooses each input's schema: the one the user named, else what the input's head says (in
/// `SchemaDetector`'s order: QMP greeting, libvirt header, query-qmp-schema reply, query-version
/// reply; a version picks the built-in release of its major.minor), else the newest built-in
/// catalog.
public struct SchemaSelectingProvider: Sendable {
    /// A schema named with --schema or --qemu-version: used for every input.
    let fixed: (schema: Schema, choice: SchemaChoice)?
    let cache: ValidatorCache
    let defaultVersion: String

    public let rules: RuleSet

    /// Every input's release inferred from its messages, whatever it says (`compat`).
    let inferAlways: Bool

    public init(fixed: (schema: Schema, choice: SchemaChoice)?, rules: RuleSet = RuleSet(), inferAlways: Bool = false) {
        self.fixed = fixed
        self.rules = rules
        self.inferAlways = inferAlways
        cache = ValidatorCache(rules: rules)
        defaultVersion = BuiltinCatalogs.defaultVersion
    }

    public var defaultChoice: SchemaChoice {
        fixed?.choice ?? SchemaChoice(name: "qemu-\(defaultVersion)", reason: "default (newest built-in release)")
    }

    /// The schema an input is checked against, why, and whether its streams' release is
    /// inferred from their messages (`InferencePlan`: the input does not name a release that
    /// is built in).
    struct Selected {
        var validator: MessageValidator
        var choice: SchemaChoice
        var inference: InferencePlan?
    }

    func select(path: String, head: UnsafeRawBufferPointer) -> Selected {
        if let fixed {
            let v = cache.validator("fixed") { fixed.schema }
            return Selected(validator: v, choice: fixed.choice)
        }
        if inferAlways { return inferred(reason: nil) }
        if let found = SchemaDetector().detect(head) {
            switch found {
            case .greeting(let version, _), .libvirtHeader(let version, _), .queryVersion(let version, _):
                // The release of the same major.minor when built in; between two, both are
                // candidates (the newer checks, the messages decide); older than all, the oldest.
                if let (mask, note) = Releases.candidates(for: version), let newest = mask.newest,
                   let v = try? cache.validator("builtin:" + Releases.versions[newest], {
                       try BuiltinCatalogs.load(version: Releases.versions[newest])
                   }) {
                    let choice = SchemaChoice(name: "qemu-\(Releases.versions[newest])",
                                              reason: found.reason + (note.isEmpty ? "" : "; " + note))
                    let single = mask.bits & (mask.bits - 1) == 0
                    return Selected(validator: v, choice: choice,
                                    inference: single ? nil : InferencePlan(probe: .shared, primary: newest, candidates: mask))
                }
                return inferred(reason: found.reason + "; not a version number")
            case .introspection(let range, _):
                // That exact schema, read from the reply (each input has its own).
                // Keyed on the file too: the schema is named after it (in the report and in messages),
                // whichever of several files with the same reply comes first.
                let bytes = UnsafeRawBufferPointer(rebasing: head[range])
                let name = "query-qmp-schema of \(DisplayPath.make(path))"
                if let v = try? cache.validator("introspection:\(StableHash.hex(ofBytes: bytes)):\(name)", {
                    try IntrospectionReader.read(bytes, name: name)
                }) {
                    return Selected(validator: v, choice: SchemaChoice(name: v.schema.name, reason: found.reason))
                }
                return inferred(reason: found.reason + " could not be read")
            }
        }
        return inferred(reason: nil)
    }

    /// The default schema checks; each stream's messages choose their release.
    private func inferred(reason: String?) -> Selected {
        let (validator, choice) = defaultChecker()
        guard let primary = Releases.index(of: defaultVersion) else { return Selected(validator: validator, choice: choice) }
        let why = reason.map { $0 + "; using the newest built-in" } ?? choice.reason
        return Selected(validator: validator, choice: SchemaChoice(name: choice.name, reason: why),
                        inference: InferencePlan(probe: .shared, primary: primary, candidates: Releases.all))
    }

    func defaultChecker() -> (MessageValidator, SchemaChoice) {
        let v = try? cache.validator("builtin:" + defaultVersion) { try BuiltinCatalogs.load(version: defaultVersion) }
        let validator = v ?? MessageValidator(schema: Schema(name: "none", origin: SchemaOrigin(kind: .builtin), types: [], events: []), rules: rules)
        return (validator, defaultChoice)
    }
}
