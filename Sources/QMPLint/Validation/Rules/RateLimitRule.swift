/// Flags rate-limited events that come faster than QEMU's limiter lets them out.
public enum RateLimitRule: ValidationRule {
    public static let rule = RuleDescription(
        id: "rate-limit",
        severity: .warning,
        description: "A rate-limited event comes more often than QEMU sends it (one per second per key).",
        rationale: "QEMU throttles guest-triggerable events to one per second: RTC_CHANGE, WATCHDOG, "
            + "BALLOON_CHANGE, QUORUM_FAILURE, HV_BALLOON_STATUS_REPORT per event, QUORUM_REPORT_BAD per "
            + "node-name, VSERPORT_CHANGE per id, MEMORY_DEVICE_SIZE_CHANGE per qom-path, and since 9.2 (when its "
            + "`qom-path` became required) BLOCK_IO_ERROR per qom-path. A held-back event "
            + "keeps the time it was created, so two in a row may be less than a second apart, but three within "
            + "one second cannot come from one QEMU monitor.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 100}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000000, "microseconds": 200}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000000, "microseconds": 300}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 100}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000000, "microseconds": 200}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000001, "microseconds": 300}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}}"#,
        ])
}
