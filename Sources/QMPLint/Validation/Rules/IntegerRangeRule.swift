/// Flags an integer outside its QAPI type's exact range (`uint8` 0..255, `int64`, `uint64`
/// 0..18446744073709551615, ...).
public enum IntegerRangeRule: MessageRule {
    public static let description = RuleDescription(
        id: "integer-range",
        severity: .error,
        description: "An integer is outside the range of its integer type.",
        rationale: "QEMU stores each QAPI integer in a C type of the declared width and sign, so it can "
            + "never send a value outside that range; such a value was altered, or is read with a lossy "
            + "parser (doubles round integers above 2^53).",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "GUEST_PANICKED", "data": {"action": "pause", "info": {"type": "hyper-v", "arg1": ↓18446744073709551616, "arg2": 0, "arg3": 0, "arg4": 0, "arg5": 0}}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "GUEST_PANICKED", "data": {"action": "pause", "info": {"type": "s390", "core": ↓-1, "psw-mask": 0, "psw-addr": 0, "reason": "disabled-wait"}}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": ↓9223372036854775808}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "GUEST_PANICKED", "data": {"action": "pause", "info": {"type": "hyper-v", "arg1": 18446744073709551615, "arg2": 0, "arg3": 0, "arg4": 0, "arg5": 0}}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 9223372036854775807}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.integerRange, [.event, .command, .greeting])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .integerRange(let text, let type, let lo, let hi) = observation else { return "" }
        return context.standAlone("\(text) is outside the range of \(type) (\(lo) to \(hi))")
    }
}
