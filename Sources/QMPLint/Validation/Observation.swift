/// What the schema walk found wrong with a message, before any rule words it. A rule claims
/// observations (`MessageRule.claims`); the walk reports only those some enabled rule claims.
public enum Observation {
    // Envelope.
    /// A top-level member the message kind does not have (`allowed`: the ones it has).
    case unexpectedEnvelopeMember(key: String, allowed: String)
    /// The event or command name is not in the schema; `suggestion`: a near name.
    case unknownName(name: String, suggestion: String?)
    /// The definition (event, command) carries a feature.
    case deprecatedDefinition(name: String, replacement: String?)
    case unstableDefinition(name: String)
    case conditionalDefinition(name: String, condition: String)
    // Timestamp.
    case missingTimestamp(virsh: Bool)
    case virshTimestampInvalid(seconds: Int64, microseconds: Int64)
    case timestampNotObject(got: String)
    case timestampExtraMember(key: String)
    case timestampPartMissing(part: String)
    case timestampPartOutOfRange(part: String, text: String)
    case timestampPartNotInteger(part: String, got: String)
    case timestampMicrosecondsRange(Int64)
    case timestampNegative(Int64)
    case filteredTimestamp
    // Data of an event, arguments of a command.
    /// The definition has required members but the message has no `data`/`arguments`.
    case missingData(name: String, required: [String])
    /// The definition has no members but the message carries an empty object.
    case emptyData(name: String)
    /// The definition has no members but the message carries this member.
    case memberOfNothing(key: String, name: String)
    /// The definition has no members but the message carries a non-object.
    case dataOfNothing(name: String, got: String)
    // Values.
    case missingMember(name: String, type: String, owner: String, hint: String)
    case unexpectedMember(key: String, owner: String, suggestion: String?)
    case typeMismatch(expected: String, got: String, isNull: Bool)
    case enumValue(value: String, type: String, hint: String)
    case integerRange(text: String, type: String, min: Int64, max: UInt64)
    case duplicateKey(key: String)
    case deprecatedMember(name: String)
    case deprecatedValue(value: String, type: String)
    case unstableMember(name: String)
    // Commands and replies.
    /// `exec-oob` for a command without `allow-oob`.
    case oobNotAllowed(command: String)
    /// An error reply's class is not one of the release's (`known`).
    case unknownErrorClass(value: String, known: [String])

    public enum Kind: Int, CaseIterable, Sendable {
        case unexpectedEnvelopeMember, unknownName, deprecatedDefinition, unstableDefinition, conditionalDefinition
        case missingTimestamp, malformedTimestamp, filteredTimestamp
        case missingData, emptyData, memberOfNothing, dataOfNothing
        case missingMember, unexpectedMember, typeMismatch, enumValue, integerRange, duplicateKey
        case deprecatedMember, deprecatedValue, unstableMember
        case oobNotAllowed, unknownErrorClass

        /// What says "this release's schema does not describe the message": one release may
        /// object where another does not, so it is evidence of which release wrote it.
        public var dependsOnRelease: Bool {
            switch self {
            case .unknownName, .missingData, .emptyData, .memberOfNothing, .dataOfNothing, .missingMember,
                 .unexpectedMember, .typeMismatch, .enumValue, .integerRange, .unknownErrorClass, .oobNotAllowed:
                true
            default:
                false
            }
        }

        /// Also differs between releases, without making a message foreign to one: features.
        public var isFeature: Bool {
            switch self {
            case .deprecatedDefinition, .unstableDefinition, .conditionalDefinition, .deprecatedMember,
                 .deprecatedValue, .unstableMember:
                true
            default:
                false
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .unexpectedEnvelopeMember: .unexpectedEnvelopeMember
        case .unknownName: .unknownName
        case .deprecatedDefinition: .deprecatedDefinition
        case .unstableDefinition: .unstableDefinition
        case .conditionalDefinition: .conditionalDefinition
        case .missingTimestamp: .missingTimestamp
        case .virshTimestampInvalid, .timestampNotObject, .timestampExtraMember, .timestampPartMissing,
             .timestampPartOutOfRange, .timestampPartNotInteger, .timestampMicrosecondsRange, .timestampNegative:
            .malformedTimestamp
        case .filteredTimestamp: .filteredTimestamp
        case .missingData: .missingData
        case .emptyData: .emptyData
        case .memberOfNothing: .memberOfNothing
        case .dataOfNothing: .dataOfNothing
        case .missingMember: .missingMember
        case .unexpectedMember: .unexpectedMember
        case .typeMismatch: .typeMismatch
        case .enumValue: .enumValue
        case .integerRange: .integerRange
        case .duplicateKey: .duplicateKey
        case .deprecatedMember: .deprecatedMember
        case .deprecatedValue: .deprecatedValue
        case .unstableMember: .unstableMember
        case .oobNotAllowed: .oobNotAllowed
        case .unknownErrorClass: .unknownErrorClass
        }
    }
}

/// What a rule may know when it words a finding.
public struct FindingContext: Sendable {
    /// The kind of message the finding is about.
    public var kind: MessageKind
    /// The message's name (event or command name) when it has one.
    public var name: String?
    /// The schema it was checked against (`qemu-10.2.0`).
    public var schema: String
    /// JSON Pointer of the value the finding is about.
    public var pointer: String

    /// The message and the value a finding is about, `BALLOON_CHANGE /data/actual`: what a
    /// message must name to stand alone (GitHub annotations, CSV rows and `-q` show nothing else).
    public var subject: String {
        let who = name ?? kind.rawValue
        return pointer.isEmpty ? who : who + " " + pointer
    }

    /// A value-level message that stands alone: the subject, what is wrong, the schema release
    /// it was checked against, then any hint:
    /// `BALLOON_CHANGE /data/actual: expected integer (int), got string "3" (qemu-10.2.0)`.
    public func standAlone(_ what: String, hint: String = "") -> String {
        subject + ": " + what + " (" + schema + ")" + hint
    }
}
