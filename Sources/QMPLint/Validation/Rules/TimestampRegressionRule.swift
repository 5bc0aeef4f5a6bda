/// Flags an event whose timestamp is older than the previous event's in the same stream.
public struct TimestampRegressionRule: StreamRule {
    public static let description = RuleDescription(
        id: "timestamp-regression",
        severity: .warning,
        description: "An event is older than the event before it in the same stream.",
        rationale: "A QEMU monitor sends events in the order it creates them, each stamped with the host's "
            + "wall clock, so timestamps within one stream do not go back unless the host clock was stepped or "
            + "the log was spliced. Rate-limited events (RTC_CHANGE, WATCHDOG, BALLOON_CHANGE, QUORUM_REPORT_BAD, "
            + "QUORUM_FAILURE, VSERPORT_CHANGE, MEMORY_DEVICE_SIZE_CHANGE, HV_BALLOON_STATUS_REPORT, and BLOCK_IO_ERROR "
            + "since QEMU 9.2) are exempt: "
            + "QEMU holds the last one back and sends it later with its original, older timestamp.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000005, "microseconds": 0}, "event": "STOP"} ↓{"timestamp": {"seconds": 1700000001, "microseconds": 0}, "event": "RESUME"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000005, "microseconds": 0}, "event": "STOP"} {"timestamp": {"seconds": 1700000001, "microseconds": 0}, "event": "RTC_CHANGE", "data": {"offset": 0, "qom-path": "/machine/unattached/device[9]"}} {"timestamp": {"seconds": 1700000006, "microseconds": 0}, "event": "RESUME"}"#,
        ])

    public static let interest = StreamInterest(kinds: [.event])
    var last: EventTime?
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        // Rate-limited events may be delayed by QEMU's limiter: exempt.
        guard let t = m.time, !QEMUBehaviour.traits(of: m.name).mayBeDelayed else { return }
        if let prev = last, t < prev {
            out.report("\(m.name) is \(EventTime.seconds(prev, t)) older than the event before it in this stream", at: m.site)
        }
        last = t
    }
}
