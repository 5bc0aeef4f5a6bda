/// Notes a command the schema marks unstable (experimental; `x-` names).
public enum UnstableCommandRule: MessageRule {
    public static let description = RuleDescription(
        id: "unstable-command",
        severity: .note,
        description: "Command is marked unstable by the schema.",
        rationale: "Unstable commands are experimental: QEMU may change or remove them in any release without "
            + "the deprecation period stable interfaces get, so a client should not depend on them.",
        triggering: [
            #"{"execute": ↓"x-debug-query-block-graph"}"#,
        ],
        nonTriggering: [
            #"{"execute": "query-block"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.unstableDefinition, [.command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .unstableDefinition(let name) = observation else { return "" }
        return "command \(name) is unstable in \(context.schema) (experimental; may change without notice)"
    }
}
