/// Flags `exec-oob` of a command the schema does not allow out of band.
public enum OobNotAllowedRule: MessageRule {
    public static let description = RuleDescription(
        id: "oob-not-allowed",
        severity: .warning,
        description: "A command is sent out of band (exec-oob) but does not allow it.",
        rationale: "Only commands declared with allow-oob may be executed out of band; QEMU refuses any other "
            + "`exec-oob` with an error, so the client loses the command it meant to run immediately.",
        triggering: [
            #"{"exec-oob": ↓"query-status", "id": "oob-1"}"#,
        ],
        nonTriggering: [
            #"{"exec-oob": "migrate-pause", "id": "oob-1"}"#,
            #"{"execute": "query-status", "id": "1"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.oobNotAllowed, [.command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .oobNotAllowed(let name) = observation else { return "" }
        return "\(name) does not allow out-of-band execution (no allow-oob in \(context.schema))"
    }
}
