/// Warns about `"data": {}` on an event whose schema has no data: QEMU omits `data` there.
public enum EmptyDataRule: MessageRule {
    public static let description = RuleDescription(
        id: "empty-data",
        severity: .warning,
        description: "Event without data members carries an empty data object.",
        rationale: "QEMU's generated event code adds `data` only for events that have members; an empty "
            + "`data` on STOP, RESUME or POWERDOWN was written by something other than QEMU (a test, a proxy, "
            + "a hand-edited log). (Members present there are reported as unexpected-member.)",
        triggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP", "data": ↓{}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "RESUME"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.emptyData, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .emptyData(let name) = observation else { return "" }
        return "\(name) has no data; QEMU omits data instead of sending {}"
    }
}
