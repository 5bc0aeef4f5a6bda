/// Flags rate-limited events that come faster than QEMU's limiter lets them out.
public struct RateLimitRule: StreamRule {
    public static let description = RuleDescription(
        id: "rate-limit",
        severity: .warning,
        description: "A rate-limited event comes more often than QEMU sends it (one per second per key).",
        rationale: "QEMU throttles guest-triggerable events to one per second per limiter (monitor.c's "
            + "monitor_qapi_event_conf): RTC_CHANGE, WATCHDOG, BALLOON_CHANGE and QUORUM_FAILURE one limiter per "
            + "event; QUORUM_REPORT_BAD one per node-name (per event in 2.1-2.4); VSERPORT_CHANGE one per id "
            + "(since 2.5, per event before); MEMORY_DEVICE_SIZE_CHANGE (5.1) one per qom-path (since 6.2, per "
            + "event before); HV_BALLOON_STATUS_REPORT (8.2) one per event; BLOCK_IO_ERROR one per qom-path since "
            + "9.2, which added that member, and not at all before (so only one naming a qom-path is judged). "
            + "Limiters are keyed by the finest key any release uses, so no release is judged stricter than its "
            + "QEMU; one limiter never delays another. A held-back event keeps the time it was created, so two "
            + "in a row may be less than a second apart, but three within one second cannot come from one QEMU "
            + "monitor.",
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
