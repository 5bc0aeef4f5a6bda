/// Warns about a member the schema marks `deprecated`.
public enum DeprecatedMemberRule: MessageRule {
    public static let description = RuleDescription(
        id: "deprecated-member",
        severity: .warning,
        description: "A member is deprecated by the schema.",
        rationale: "A deprecated member is still sent but will disappear in a later QEMU; clients reading "
            + "it will break then. (No event member of QEMU 10.2 is deprecated; the examples assume a schema "
            + "that deprecates DEVICE_DELETED's device in favour of path.)",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "DEVICE_DELETED", "data": {"device": ↓"net1", "path": "/machine/peripheral/net1"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/net1"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.deprecatedMember, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .deprecatedMember(let name) = observation else { return "" }
        return context.standAlone("member \"\(name)\" is deprecated")
    }
}
