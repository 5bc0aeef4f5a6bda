/// Flags an event name the schema does not define (suggesting a near name, e.g. `Stop` -> STOP).
/// Its data is not checked: without a definition there is nothing to check it against.
public enum UnknownEventRule: MessageRule {
    public static let description = RuleDescription(
        id: "unknown-event",
        severity: .error,
        description: "Event name is not defined by the schema.",
        rationale: "QEMU only emits events its QAPI schema defines, with upper-case names; an unknown or "
            + "differently-cased name is a typo, a renamed log entry, or an event from another QEMU version "
            + "than the schema validated against.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": ↓"Stop"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": ↓"GUEST_REBOOTED"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": ↓"JOB_STATUS_CHANGED", "data": {"status": "done"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "JOB_STATUS_CHANGE", "data": {"id": "commit-vda", "status": "running"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.unknownName, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .unknownName(let name, let suggestion) = observation else { return "" }
        return "unknown event \"\(name)\" (not in \(context.schema))" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
    }
}
