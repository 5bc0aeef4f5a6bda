/// Notes a timestamp replaced by QEMU test-suite placeholders (`TIMESTAMP`, `"SECS"`,
/// `"USECS"`): a filtered transcript, whose clock cannot be checked.
public enum FilteredTimestampRule: MessageRule {
    public static let description = RuleDescription(
        id: "filtered-timestamp",
        severity: .note,
        description: "Timestamp was replaced by a test-suite placeholder.",
        rationale: "QEMU's iotests filter timestamps to `TIMESTAMP` or `\"SECS\"`/`\"USECS\"` so reference "
            + "output is stable; such transcripts are not wire data, so the timestamp is reported as unchecked "
            + "rather than as malformed.",
        triggering: [
            #"{"timestamp": ↓{"seconds": "SECS", "microseconds": "USECS"}, "event": "STOP"}"#,
            #"{"timestamp": ↓{"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "event": "STOP"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.filteredTimestamp, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        "timestamp was replaced by a test-suite placeholder; not checked"
    }
}
