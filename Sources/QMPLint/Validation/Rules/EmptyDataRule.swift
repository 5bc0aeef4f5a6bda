/// Warns about `"data": {}` on an event whose schema has no data: QEMU omits `data` there.
public enum EmptyDataRule: ValidationRule {
    public static let rule = RuleDescription(
        id: "empty-data",
        severity: .warning,
        description: "Event without data members carries an empty data object.",
        rationale: "QEMU's generated event code adds `data` only for events that have members; an empty "
            + "`data` on STOP, RESUME or POWERDOWN was written by something other than QEMU (a test, a proxy, "
            + "a hand-edited log). (Members present there are reported as unexpected-member.)",
        triggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP", "data": {}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "RESUME"}"#,
        ])
}
