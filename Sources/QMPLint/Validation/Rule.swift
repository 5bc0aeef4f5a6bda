/// A rule's catalogue entry: a stable id, a default severity, a one-line description, why
/// QEMU/QMP makes it wrong, and examples that double as its tests. In triggering examples a `↓`
/// marks the byte each finding must point at (SwiftLint's convention); the tests check the
/// places, not only that the rule fires. `qmp-lint rules` prints these entries.
public struct RuleDescription: Sendable {
    public var id: String
    public var severity: Severity
    public var description: String
    /// Why QEMU/QMP makes this wrong.
    public var rationale: String
    /// Inputs (one log line or a small transcript each) on which the rule fires, `↓` before the
    /// byte each finding points at.
    public var triggering: [String]
    /// Inputs on which it does not.
    public var nonTriggering: [String]
    public init(id: String, severity: Severity, description: String, rationale: String,
                triggering: [String], nonTriggering: [String]) {
        self.id = id; self.severity = severity; self.description = description
        self.rationale = rationale; self.triggering = triggering; self.nonTriggering = nonTriggering
    }
}

/// A kind of problem qmp-lint reports: one type per rule, in one file under `Rules/`, listed once
/// in `RuleRegistry.all`.
public protocol Rule: Sendable {
    /// The rule's catalogue entry.
    static var description: RuleDescription { get }
}

/// A rule about one message, decided by the one schema walk of that message
/// (`MessageValidator`): the walk detects what is wrong and says so as an `Observation`; the
/// rule that claims the observation (for that kind of message) words the finding. The walk
/// allocates nothing and calls no rule while the message is valid.
public protocol MessageRule: Rule {
    /// The observations this rule words, and for which kinds of message.
    static var claims: [(Observation.Kind, Set<MessageKind>)] { get }
    /// The finding's text for an observation it claims.
    static func message(for observation: Observation, in context: FindingContext) -> String
}

/// A rule about a whole stream (one QEMU monitor session), run in text order over its messages
/// by the reducer (`FileReducer`), after every message was validated: its state lives in the
/// rule value, one per session.
public protocol StreamRule: Rule {
    /// Which messages the rule wants to see (others are not shown to it).
    static var interest: StreamInterest { get }
    init()
    /// One message of the session, in text order.
    mutating func observe(_ message: StreamMessage, _ out: inout StreamFindings)
    /// The session ends (a new session starts in its stream, or the input ends).
    mutating func end(_ out: inout StreamFindings)
}

extension StreamRule {
    public mutating func end(_ out: inout StreamFindings) {}
}

/// The messages a stream rule is shown.
public struct StreamInterest: Sendable {
    public var kinds: Set<MessageKind>
    /// Only events and commands with these names; nil: every name. Replies and greetings are
    /// shown whatever their name when their kind is listed.
    public var names: Set<String>?
    /// String members of `data` / `arguments` the rule reads (`StreamMessage.members`).
    public var members: [String]
    public init(kinds: Set<MessageKind>, names: Set<String>? = nil, members: [String] = []) {
        self.kinds = kinds; self.names = names; self.members = members
    }
}
