/// Flags a `timestamp` that is not `{"seconds": S, "microseconds": U}` with integers and
/// `0 <= U <= 999999`. The pair -1/-1 is accepted: QEMU sends it when the clock is unavailable.
public enum MalformedTimestampRule: MessageRule {
    public static let description = RuleDescription(
        id: "malformed-timestamp",
        severity: .error,
        description: "Timestamp is not an object of integer seconds and microseconds (0..999999).",
        rationale: "QEMU builds the timestamp from the host's wall clock as exactly two integer members, "
            + "`seconds` and `microseconds` (0 to 999999), or -1/-1 when the clock is unavailable; "
            + "anything else was altered after QEMU sent it and breaks clients that sort or diff events by time.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": ↓1018544}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": ↓"1709288601", "microseconds": 18544}, "event": "STOP"}"#,
            #"{"timestamp": ↓1709288601.018544, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544, ↓"nanoseconds": 0}, "event": "STOP"}"#,
            #"{"timestamp": ↓{"seconds": 1709288601}, "event": "STOP"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": -1, "microseconds": -1}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 0}, "event": "STOP"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.malformedTimestamp, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        switch observation {
        case .virshTimestampInvalid(let s, let us): "timestamp \(s).\(us) is not seconds >= 0 with microseconds 0..999999"
        case .timestampNotObject(let got): "timestamp must be an object {\"seconds\", \"microseconds\"}, got \(got)"
        case .timestampExtraMember(let key): "timestamp has an extra member \"\(key)\" (only seconds and microseconds)"
        case .timestampPartMissing(let part): "timestamp has no \(part) member"
        case .timestampPartOutOfRange(let part, let text): "timestamp \(part) \(text) is out of range"
        case .timestampPartNotInteger(let part, let got): "timestamp \(part) must be an integer, got \(got)"
        case .timestampMicrosecondsRange(let us): "timestamp microseconds \(us) is outside 0..999999"
        case .timestampNegative(let s):
            "timestamp seconds \(s) is negative (only the pair -1/-1, \"clock unavailable\", is allowed)"
        default: ""
        }
    }
}
