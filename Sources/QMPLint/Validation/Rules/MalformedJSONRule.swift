/// Flags event text that is not complete JSON: QEMU writes each event as one whole JSON object,
/// so a cut or garbled one means the log lost bytes. Found by extraction (the parser), never by
/// the schema walk (`MessageValidator`); catalogued here so it can be configured and listed like
/// every other rule.
public enum MalformedJSONRule: Rule {
    public static let description = RuleDescription(
        id: "malformed-json",
        severity: .error,
        description: "Event text is not a complete JSON object.",
        rationale: "QEMU serialises every event as one complete JSON object; text cut mid-object or "
            + "with a syntax error means the log was truncated or corrupted, and no QMP client could read it.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288573, "microseconds": 12388}, "event": "BLOCK_JOB_COMPLETED", "data": {"type": "mirror", "dev↓"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "RTC_CHANGE", "data": {"offset": 78, "qom-path": "/machine/unattached/device[9]"↓"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "RTC_CHANGE", "data": {"offset": 78, "qom-path": "/machine/unattached/device[9]"}}"#,
        ])
}
