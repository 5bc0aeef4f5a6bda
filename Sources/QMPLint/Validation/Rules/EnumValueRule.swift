/// Flags a string that is not a value of its enum (with a near value or the allowed values).
public enum EnumValueRule: MessageRule {
    public static let description = RuleDescription(
        id: "enum-value",
        severity: .error,
        description: "A string is not one of its enum's values.",
        rationale: "QEMU writes enum members from the enum's value table only, case-sensitively; any other "
            + "string is a typo, a value from another QEMU version, or a hand-written event, and clients "
            + "that map the value to their own enum fail.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "JOB_STATUS_CHANGE", "data": {"id": "commit-vda", "status": ↓"finished"}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BLOCK_JOB_READY", "data": {"type": ↓"Mirror", "device": "copy-vdb", "len": 10737418240, "offset": 10737418240, "speed": 0}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "JOB_STATUS_CHANGE", "data": {"id": "commit-vda", "status": "null"}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BLOCK_JOB_READY", "data": {"type": "mirror", "device": "copy-vdb", "len": 10737418240, "offset": 10737418240, "speed": 0}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.enumValue, [.event, .command, .greeting])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .enumValue(let value, let type, let hint) = observation else { return "" }
        return context.standAlone("\"\(value)\" is not a value of \(type)", hint: hint)
    }
}
