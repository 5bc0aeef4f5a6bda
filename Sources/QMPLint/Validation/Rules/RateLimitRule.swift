/// Flags rate-limited events that come faster than QEMU's limiter lets them out.
public struct RateLimitRule: StreamRule {
    public static let description = RuleDescription(
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
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 100}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000000, "microseconds": 200}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} ↓{"timestamp": {"seconds": 1700000000, "microseconds": 300}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 100}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000000, "microseconds": 200}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}} {"timestamp": {"seconds": 1700000001, "microseconds": 300}, "event": "BALLOON_CHANGE", "data": {"actual": 1073741824}}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event], names: Set(QEMUBehaviour.rateLimited.keys).union(["BLOCK_IO_ERROR"]),
        members: ["node-name", "id", "qom-path"])
    /// Per limiter key (event name and key member), the times of the last two events.
    var recent: [String: [EventTime]] = [:]
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        guard let t = m.time, let member = QEMUBehaviour.rateKey(of: m.name, members: m.members) else { return }
        // QEMU keeps one limiter per event name, and per key member for the events that have one.
        let key = member.map { "\($0)=" + (m.members[$0] ?? "") } ?? ""
        let slot = m.name + "\u{0}" + key
        var times = recent[slot] ?? []
        if times.count == 2, Self.tooFast(t, times[0]) {
            let what = key.isEmpty ? m.name : "\(m.name) (\(key))"
            out.report("third \(what) within \(EventTime.seconds(t, times[0])); QEMU sends at most one per second", at: m.site)
        }
        times.append(t)
        if times.count > 2 { times.removeFirst() }
        recent[slot] = times
    }

    static func tooFast(_ t: EventTime, _ twoBefore: EventTime) -> Bool {
        let us = (t.seconds - twoBefore.seconds) * 1_000_000 + (t.microseconds - twoBefore.microseconds)
        return us >= 0 && us < 1_000_000
    }
}
