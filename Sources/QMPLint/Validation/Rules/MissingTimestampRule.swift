/// Flags an event without a `timestamp` member (in virsh output: `at -1.000000`).
public enum MissingTimestampRule: MessageRule {
    public static let description = RuleDescription(
        id: "missing-timestamp",
        severity: .error,
        description: "Event has no timestamp.",
        rationale: "The QMP specification makes `timestamp` part of every event and QEMU always adds it "
            + "(with -1/-1 when the host clock fails); an event without one was not produced by QEMU as logged. "
            + "virsh shows a missing timestamp as `at -1.000000`, libvirt's default.",
        triggering: [
            #"↓{"event": "STOP"}"#,
            #"↓{"event": "BALLOON_CHANGE", "data": {"actual": 944766976}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": -1, "microseconds": -1}, "event": "STOP"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.missingTimestamp, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .missingTimestamp(let virsh) = observation else { return "" }
        return virsh ? "event has no timestamp (virsh shows -1, libvirt's value when QEMU sent none)" : "event has no timestamp"
    }
}
