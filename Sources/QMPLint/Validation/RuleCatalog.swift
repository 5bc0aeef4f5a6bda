/// Every rule qmp-lint knows, in a stable order; `qmp-lint rules` prints this list and
/// configuration validates rule ids against it.
public enum RuleCatalog {
    /// All rules, envelope rules first, then data rules, then schema-feature rules, then the
    /// stateful rules that follow each stream (`StreamAnalysis`).
    public static let all: [RuleDescription] = RuleID.allCases.map(\.rule)

    /// The rule with this id, or nil.
    public static func rule(id: String) -> RuleDescription? {
        RuleID(id: id)?.rule
    }

    /// All rule ids, in catalogue order.
    public static var ids: [String] { all.map(\.id) }
}

/// Dense index of a rule, for per-rule tables in the validator (severity, enabled).
enum RuleID: Int, CaseIterable, Sendable {
    case malformedJSON, missingTimestamp, malformedTimestamp, filteredTimestamp
    case unexpectedEnvelopeMember, unknownEvent, missingData, emptyData
    case missingMember, unexpectedMember, typeMismatch, enumValue, integerRange, duplicateKey
    case deprecatedEvent, deprecatedMember, deprecatedValue, unstableMember, conditionalEvent
    case jobTransition, blockJobStatus, timestampRegression, rateLimit, runState, unplugUnconfirmed

    var type: any ValidationRule.Type {
        switch self {
        case .malformedJSON: MalformedJSONRule.self
        case .missingTimestamp: MissingTimestampRule.self
        case .malformedTimestamp: MalformedTimestampRule.self
        case .filteredTimestamp: FilteredTimestampRule.self
        case .unexpectedEnvelopeMember: UnexpectedEnvelopeMemberRule.self
        case .unknownEvent: UnknownEventRule.self
        case .missingData: MissingDataRule.self
        case .emptyData: EmptyDataRule.self
        case .missingMember: MissingMemberRule.self
        case .unexpectedMember: UnexpectedMemberRule.self
        case .typeMismatch: TypeMismatchRule.self
        case .enumValue: EnumValueRule.self
        case .integerRange: IntegerRangeRule.self
        case .duplicateKey: DuplicateKeyRule.self
        case .deprecatedEvent: DeprecatedEventRule.self
        case .deprecatedMember: DeprecatedMemberRule.self
        case .deprecatedValue: DeprecatedValueRule.self
        case .unstableMember: UnstableMemberRule.self
        case .conditionalEvent: ConditionalEventRule.self
        case .jobTransition: JobTransitionRule.self
        case .blockJobStatus: BlockJobStatusRule.self
        case .timestampRegression: TimestampRegressionRule.self
        case .rateLimit: RateLimitRule.self
        case .runState: RunStateRule.self
        case .unplugUnconfirmed: UnplugUnconfirmedRule.self
        }
    }

    var rule: RuleDescription { type.rule }
    var id: String { rule.id }

    init?(id: String) {
        guard let r = RuleID.allCases.first(where: { $0.id == id }) else { return nil }
        self = r
    }

    /// Rules checked across the events of a stream (after a file's ranges are merged), not per event.
    var isStateful: Bool { rawValue >= RuleID.jobTransition.rawValue }

    /// Rules whose finding means "this value does not match the type" (used to try alternates).
    var isStructural: Bool {
        switch self {
        case .missingMember, .typeMismatch, .enumValue, .integerRange: true
        default: false
        }
    }
}
