/// Every rule qmp-lint knows, each listed once, in the catalogue's order: extraction rules,
/// envelope rules, data rules, schema-feature rules, then the rules that follow each stream.
/// `qmp-lint rules` prints this list; configuration validates rule ids against it.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        MalformedJSONRule.self,
        MissingTimestampRule.self,
        MalformedTimestampRule.self,
        FilteredTimestampRule.self,
        UnexpectedEnvelopeMemberRule.self,
        UnknownEventRule.self,
        UnknownCommandRule.self,
        MissingDataRule.self,
        EmptyDataRule.self,
        MissingMemberRule.self,
        UnexpectedMemberRule.self,
        TypeMismatchRule.self,
        EnumValueRule.self,
        IntegerRangeRule.self,
        DuplicateKeyRule.self,
        DeprecatedEventRule.self,
        DeprecatedCommandRule.self,
        DeprecatedMemberRule.self,
        DeprecatedArgumentRule.self,
        DeprecatedValueRule.self,
        UnstableMemberRule.self,
        UnstableCommandRule.self,
        ConditionalEventRule.self,
        OobNotAllowedRule.self,
        ErrorClassRule.self,
        InvalidReturnRule.self,
        RejectedCommandRule.self,
        VersionConflictRule.self,
        JobTransitionRule.self,
        BlockJobStatusRule.self,
        TimestampRegressionRule.self,
        RateLimitRule.self,
        RunStateRule.self,
        UnplugUnconfirmedRule.self,
        CommandBeforeCapabilitiesRule.self,
        ReplyWithoutCommandRule.self,
        UnansweredCommandRule.self,
        DuplicateCommandIdRule.self,
        JobVerbStateRule.self,
        DeviceDelWhilePausedRule.self,
        DeviceDelRepeatedRule.self,
        SlowCommandRule.self,
        UnparsedEventTextRule.self,
    ]

    /// The stream rules among them, in catalogue order.
    public static var streamRules: [any StreamRule.Type] { all.compactMap { $0 as? any StreamRule.Type } }
}

/// The rule catalogue as descriptions.
public enum RuleCatalog {
    public static let all: [RuleDescription] = RuleRegistry.all.map { $0.description }

    /// The rule with this id, or nil.
    public static func rule(id: String) -> RuleDescription? { all.first { $0.id == id } }

    /// All rule ids, in catalogue order.
    public static var ids: [String] { all.map(\.id) }
}

/// The rules of a run as configured: each rule's severity (nil: off) and, for the schema walk,
/// which rule words each observation about each kind of message. Built once per run.
public struct RuleSet: Sendable {
    /// Severity per rule of `RuleRegistry.all` (same index); nil when the rule is off.
    public let severities: [Severity?]
    /// Per (observation kind, message kind): index of the rule that claims it, -1 for none or off.
    let claims: [Int32]
    /// The message rules (by index in `RuleRegistry.all`; nil for other rules).
    let messageRules: [(any MessageRule.Type)?]
    /// Per rule: its findings depend on the release checked against (it claims an observation
    /// that `dependsOnRelease` or is a feature): version inference may set them aside.
    public let dependsOnRelease: [Bool]

    /// - Parameters:
    ///   - severities: rule id -> severity replacing the rule's default; unknown ids are ignored.
    ///   - disabled: rule ids whose findings are not produced.
    public init(severities: [String: Severity] = [:], disabled: Set<String> = []) {
        let rules = RuleRegistry.all
        self.severities = rules.map { r in
            disabled.contains(r.description.id) ? nil : severities[r.description.id] ?? r.description.severity
        }
        var table = [Int32](repeating: -1, count: Observation.Kind.allCases.count * MessageKind.allCases.count)
        for (i, r) in rules.enumerated() {
            guard let m = r as? any MessageRule.Type, self.severities[i] != nil else { continue }
            for (o, kinds) in m.claims {
                for k in kinds { table[o.rawValue * MessageKind.allCases.count + k.order] = Int32(i) }
            }
        }
        claims = table
        messageRules = rules.map { $0 as? any MessageRule.Type }
        dependsOnRelease = rules.map { r in
            (r as? any MessageRule.Type)?.claims.contains { $0.0.dependsOnRelease || $0.0.isFeature } ?? false
        }
    }

    /// Index of the rule with this id in `RuleRegistry.all`.
    public static func index(of id: String) -> Int? { indexByID[id] }
    private static let indexByID: [String: Int] = Dictionary(
        RuleRegistry.all.enumerated().map { ($1.description.id, $0) }, uniquingKeysWith: { a, _ in a })

    /// The severity findings of rule `id` get (nil: the rule is off or unknown).
    public func severity(of id: String) -> Severity? {
        Self.index(of: id).flatMap { severities[$0] }
    }

    /// The rule (index) wording observation `o` about a message of kind `k`, when one is on.
    @inline(__always)
    func claimant(_ o: Observation.Kind, _ k: MessageKind) -> Int? {
        let i = claims[o.rawValue * MessageKind.allCases.count + k.order]
        return i < 0 ? nil : Int(i)
    }
}
