/// A rule: one kind of problem, with a stable id, a default severity, a one-line description,
/// and examples that double as its tests and feed `qmp-lint rules`.
public struct RuleDescription: Sendable {
    public var id: String
    public var severity: Severity
    public var description: String
    /// Why QEMU/QMP makes this wrong.
    public var rationale: String
    /// Inputs (one log line or a small transcript each) on which the rule fires.
    public var triggering: [String]
    /// Inputs on which it does not.
    public var nonTriggering: [String]
    public init(id: String, severity: Severity, description: String, rationale: String,
                triggering: [String], nonTriggering: [String]) {
        self.id = id; self.severity = severity; self.description = description
        self.rationale = rationale; self.triggering = triggering; self.nonTriggering = nonTriggering
    }
}

/// A kind of problem qmp-lint reports: one type per rule, holding its catalogue entry.
/// The checks themselves run in one walk over the event (`EventValidator`); each rule type
/// keeps its description, examples and message wording together.
public protocol ValidationRule {
    /// The rule's catalogue entry.
    static var rule: RuleDescription { get }
}
