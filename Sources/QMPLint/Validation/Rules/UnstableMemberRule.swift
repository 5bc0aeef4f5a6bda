/// Notes an event or member the schema marks `unstable`.
public enum UnstableMemberRule: MessageRule {
    public static let description = RuleDescription(
        id: "unstable-member",
        severity: .note,
        description: "An event or member is marked unstable by the schema.",
        rationale: "QEMU marks experimental interfaces `unstable`: they may change or vanish in any "
            + "release without the deprecation period, so production clients should not depend on them.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": ↓"CPU_POLARIZATION_CHANGE", "data": {"polarization": "vertical"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [
        (.unstableMember, [.event, .command]), (.unstableDefinition, [.event]),
    ]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        switch observation {
        case .unstableMember(let name): context.standAlone("member \"\(name)\" is unstable", hint: "; experimental, may change without notice")
        case .unstableDefinition(let name): "event \(name) is unstable in \(context.schema) (experimental; may change without notice)"
        default: ""
        }
    }
}
