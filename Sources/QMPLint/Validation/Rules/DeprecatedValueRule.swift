/// Warns about an enum value the schema marks `deprecated`.
public enum DeprecatedValueRule: MessageRule {
    public static let description = RuleDescription(
        id: "deprecated-value",
        severity: .warning,
        description: "An enum value is deprecated by the schema.",
        rationale: "A deprecated enum value is still accepted but will be dropped in a later QEMU; clients "
            + "that depend on it will then see a different value. (No enum value used by QEMU 10.2 events is "
            + "deprecated; the examples assume a schema that deprecates MigrationStatus value colo.)",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "MIGRATION", "data": {"status": ↓"colo"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "MIGRATION", "data": {"status": "completed"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.deprecatedValue, [.event, .command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .deprecatedValue(let value, let type) = observation else { return "" }
        return context.standAlone("value \"\(value)\" of \(type) is deprecated")
    }
}
