/// Flags a command whose name the schema does not define: QEMU answers it with
/// `CommandNotFound`; suggests a near name.
public enum UnknownCommandRule: MessageRule {
    public static let description = RuleDescription(
        id: "unknown-command",
        severity: .warning,
        description: "Command name is not defined by the schema.",
        rationale: "QEMU dispatches a command by its exact name from the commands its schema generates; any other "
            + "name gets a CommandNotFound error reply (then the command is noted as rejected-command). A command "
            + "unknown to the release judged that QEMU still answered with success means the transcript comes "
            + "from another release, or a client relies on a command that this QEMU does not have. A warning: "
            + "which release is the question.",
        triggering: [
            #"{"execute": ↓"query-statuz", "id": "libvirt-5"}"#,
            #"{"execute": ↓"blockdev_add", "arguments": {"driver": "null-co", "node-name": "n0"}}"#,
        ],
        nonTriggering: [
            #"{"execute": "query-status", "id": "libvirt-5"}"#,
            #"{"execute": "qmp_capabilities"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.unknownName, [.command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .unknownName(let name, let suggestion) = observation else { return "" }
        return "unknown command \"\(name)\" (not in \(context.schema))" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
    }
}
