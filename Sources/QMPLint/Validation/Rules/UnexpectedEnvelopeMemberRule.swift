/// Flags top-level members of an event other than `event`, `timestamp` and `data`.
public enum UnexpectedEnvelopeMemberRule: MessageRule {
    public static let description = RuleDescription(
        id: "unexpected-envelope-member",
        severity: .error,
        description: "Event object has a top-level member other than event, timestamp and data.",
        rationale: "A QMP event is exactly `event`, `timestamp` and an optional `data`; QEMU never adds more. "
            + "An `id` or `return` member means a command reply was mixed into the event, or the log was edited.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP", ↓"id": "libvirt-42"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.unexpectedEnvelopeMember, Set(MessageKind.allCases))]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .unexpectedEnvelopeMember(let key, let allowed) = observation else { return "" }
        return "member \"\(key)\" is not part of a QMP \(context.kind.rawValue) (only \(allowed) are)"
    }
}
