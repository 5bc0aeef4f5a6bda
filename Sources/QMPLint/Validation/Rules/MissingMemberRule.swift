/// Flags a required member absent from `data` or from a nested struct (`/data/info/slot`),
/// including a union's discriminator; suggests a present member with a near name.
public enum MissingMemberRule: MessageRule {
    public static let description = RuleDescription(
        id: "missing-member",
        severity: .error,
        description: "A required member is absent.",
        rationale: "QEMU's generated code always emits every non-optional member of an event's data and of "
            + "every struct in it; an absent one means the event was produced by something else or was edited, "
            + "and a client reading the member fails.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288602, "microseconds": 4417}, "event": "ACPI_DEVICE_OST", "data": {"info": ↓{"device": "dimm3", "slot-type": "DIMM", "source": 1, "status": 0}}}"#,
            #"{"timestamp": {"seconds": 1344522075, "microseconds": 745528}, "event": "QUORUM_FAILURE", "data": ↓{"reference": "usr1", "sector-num": 345435, "sector-count": 5}}"#,
            #"{"timestamp": {"seconds": 1709288602, "microseconds": 4417}, "event": "SHUTDOWN", "data": ↓↓{}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288602, "microseconds": 4417}, "event": "ACPI_DEVICE_OST", "data": {"info": {"device": "dimm3", "slot": "3", "slot-type": "DIMM", "source": 1, "status": 0}}}"#,
            #"{"timestamp": {"seconds": 1709288602, "microseconds": 4417}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/net1/virtio-backend"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.missingMember, [.event, .command, .greeting])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .missingMember(let name, let type, let owner, let hint) = observation else { return "" }
        return context.standAlone("missing required member \"\(name)\" (\(type)) of \(owner)", hint: hint)
    }
}
