/// Flags an event without `data` although its schema requires data members.
public enum MissingDataRule: MessageRule {
    public static let description = RuleDescription(
        id: "missing-data",
        severity: .error,
        description: "Event has required data members but no data.",
        rationale: "QEMU always sends `data` for an event whose schema has members, and required members "
            + "are always in it; an event without `data` lost its payload, so clients cannot act on it.",
        triggering: [
            #"↓{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE"}"#,
            #"↓{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "SHUTDOWN"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "STOP"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.missingData, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .missingData(let name, let required) = observation else { return "" }
        return "\(name) has no data; required in \(context.schema): \(required.joined(separator: ", "))"
    }
}
