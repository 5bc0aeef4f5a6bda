/// Notes an event or member the schema marks `unstable`.
public enum UnstableMemberRule: ValidationRule {
    public static let rule = RuleDescription(
        id: "unstable-member",
        severity: .note,
        description: "An event or member is marked unstable by the schema.",
        rationale: "QEMU marks experimental interfaces `unstable`: they may change or vanish in any "
            + "release without the deprecation period, so production clients should not depend on them.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "CPU_POLARIZATION_CHANGE", "data": {"polarization": "vertical"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
        ])
}
