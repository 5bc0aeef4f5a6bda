/// Notes an event that exists only in some QEMU builds (a QAPI `if` condition), showing the
/// condition.
public enum ConditionalEventRule: MessageRule {
    public static let description = RuleDescription(
        id: "conditional-event",
        severity: .note,
        description: "Event exists only in QEMU builds meeting a condition.",
        rationale: "Events under a QAPI `if` (e.g. CONFIG_SPICE, a target) are compiled out of other builds; "
            + "a log containing one tells which build produced it, and a client cannot expect it everywhere.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": ↓"SPICE_INITIALIZED", "data": {"server": {"auth": "spice", "port": "5901", "family": "ipv4", "host": "127.0.0.1"}, "client": {"port": "56890", "family": "ipv4", "channel-type": 3, "connection-id": 1804289383, "host": "127.0.0.1", "channel-id": 0, "tls": true}}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "STOP"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.conditionalDefinition, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .conditionalDefinition(let name, let condition) = observation else { return "" }
        return "event \(name) exists only in QEMU builds with \(condition)"
    }
}
