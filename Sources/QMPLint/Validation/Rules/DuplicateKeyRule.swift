/// Flags a member name that occurs twice in one object.
public enum DuplicateKeyRule: MessageRule {
    public static let description = RuleDescription(
        id: "duplicate-key",
        severity: .error,
        description: "An object has the same member twice.",
        rationale: "QEMU's QDict cannot hold a key twice, so QEMU never sends one; with duplicates, JSON "
            + "parsers disagree on which value wins, so clients may see different events.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992, ↓"actual": 4294967296}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "STOP", ↓"event": "RESUME"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.duplicateKey, Set(MessageKind.allCases))]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .duplicateKey(let key) = observation else { return "" }
        return context.standAlone("member \"\(key)\" occurs more than once in the same object")
    }
}
