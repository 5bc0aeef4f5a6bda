/// Flags a member name that occurs twice in one object.
public enum DuplicateKeyRule: ValidationRule {
    public static let rule = RuleDescription(
        id: "duplicate-key",
        severity: .error,
        description: "An object has the same member twice.",
        rationale: "QEMU's QDict cannot hold a key twice, so QEMU never sends one; with duplicates, JSON "
            + "parsers disagree on which value wins, so clients may see different events.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992, "actual": 4294967296}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "STOP", "event": "RESUME"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
        ])
}
