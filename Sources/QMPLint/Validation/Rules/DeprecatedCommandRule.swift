/// Flags a command the schema marks deprecated, naming its replacement when the schema does.
public enum DeprecatedCommandRule: MessageRule {
    public static let description = RuleDescription(
        id: "deprecated-command",
        severity: .note,
        description: "Command is deprecated by the schema.",
        rationale: "A deprecated command still works but is scheduled for removal (QEMU drops deprecated "
            + "interfaces after two releases); a client sending it breaks on a later QEMU. Run QEMU with "
            + "-compat deprecated-input=reject to find such uses. It is only a note because QEMU accepted the command, the "
            + "traffic conforms; the advice is for the client's author.",
        triggering: [
            #"{"execute": ↓"query-cpus"}"#,
        ],
        nonTriggering: [
            #"{"execute": "query-cpus-fast"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.deprecatedDefinition, [.command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .deprecatedDefinition(let name, let replacement) = observation else { return "" }
        return "command \(name) is deprecated in \(context.schema)" + (replacement.map { "; use \($0) instead" } ?? "")
    }
}
