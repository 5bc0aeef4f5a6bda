/// Flags a command argument the schema marks deprecated.
public enum DeprecatedArgumentRule: MessageRule {
    public static let description = RuleDescription(
        id: "deprecated-argument",
        severity: .note,
        description: "A command argument is deprecated by the schema.",
        rationale: "QEMU still accepts a deprecated argument but will drop it; a client passing it breaks on a "
            + "later release (-compat deprecated-input=reject makes QEMU refuse it today). It is only a note because "
            + "QEMU accepted it, the traffic conforms; the advice is for the client's author.",
        triggering: [
            #"{"execute": "block-job-set-speed", "arguments": {"device": "job0", "speed": 0, "granularity": ↓0}}"#,
        ],
        nonTriggering: [
            #"{"execute": "block-job-set-speed", "arguments": {"device": "job0", "speed": 0}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.deprecatedMember, [.command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .deprecatedMember(let name) = observation else { return "" }
        return context.standAlone("argument \"\(name)\" is deprecated")
    }
}
