/// Warns about an event the schema marks `deprecated`, naming its replacement when known.
public enum DeprecatedEventRule: MessageRule {
    public static let description = RuleDescription(
        id: "deprecated-event",
        severity: .warning,
        description: "Event is deprecated by the schema.",
        rationale: "A deprecated event is still sent but will be removed in a later QEMU (MEM_UNPLUG_ERROR, "
            + "deprecated in 6.2 for DEVICE_UNPLUG_GUEST_ERROR, was removed in 9.1); clients relying on it "
            + "must move to the replacement. (The examples assume a QEMU 6.2 to 9.0 schema.)",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": ↓"MEM_UNPLUG_ERROR", "data": {"device": "dimm1", "msg": "acpi: device unplug for unsupported device"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "DEVICE_UNPLUG_GUEST_ERROR", "data": {"device": "dimm1", "path": "/machine/peripheral/dimm1"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.deprecatedDefinition, [.event])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .deprecatedDefinition(let name, let replacement) = observation else { return "" }
        return "event \(name) is deprecated in \(context.schema)" + (replacement.map { "; use \($0) instead" } ?? "")
    }
}
