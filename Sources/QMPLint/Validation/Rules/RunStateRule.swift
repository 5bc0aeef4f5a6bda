/// Flags STOP / RESUME that do not alternate, and guest activity after SHUTDOWN in a stream
/// whose QEMU neither reset nor restarted.
public struct RunStateRule: StreamRule {
    public static let description = RuleDescription(
        id: "run-state",
        severity: .warning,
        description: "STOP and RESUME do not alternate, or the guest runs again after SHUTDOWN without a reset.",
        rationale: "QEMU sends STOP only when a running VM stops and RESUME only when a stopped one starts, so in "
            + "one stream they alternate (the first may be either, and SHUTDOWN starts over). After SHUTDOWN the guest is gone: QEMU exits, or "
            + "with -no-shutdown / -action shutdown=pause it waits for a system_reset, so RESUME, SUSPEND, WAKEUP, "
            + "GUEST_PANICKED or GUEST_CRASHLOADED before a RESET or a new QEMU session means a missing event "
            + "or a spliced log. Job and device events during QEMU's exit are expected; virsh streams are "
            + "exempt from the SHUTDOWN check, since a domain outlives its QEMU processes.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "STOP"} ↓{"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}} ↓{"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "RESUME"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "STOP"} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "RESUME"} {"timestamp": {"seconds": 1700000000, "microseconds": 3}, "event": "STOP"}"#,
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "STOP"} {"timestamp": {"seconds": 1700000000, "microseconds": 3}, "event": "RESET", "data": {"guest": false, "reason": "host-qmp-system-reset"}} {"timestamp": {"seconds": 1700000000, "microseconds": 4}, "event": "RESUME"}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event], names: Set(["STOP", "RESUME", "SHUTDOWN", "RESET"]).union(QEMUBehaviour.guestActivity))
    /// STOP or RESUME; "" after SHUTDOWN (QEMU exits or waits for a reset); nil before either.
    var lastRun: String?
    var shutDown = false
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        if m.name == "STOP" || m.name == "RESUME" {
            if lastRun == m.name {
                out.report(
                    m.name == "STOP"
                        ? "STOP while the VM is already stopped (no RESUME since the last STOP)"
                        : "RESUME while the VM is already running (no STOP since the last RESUME)",
                    at: m.site)
            }
            lastRun = m.name
        } else if m.name == "SHUTDOWN" {
            // The QEMU exits (a restarted domain's first event may be RESUME) or, with
            // -no-shutdown, stops: STOP follows.
            lastRun = ""
        }
        // A virsh domain outlives its QEMU: a restart shows no greeting there.
        guard m.stream.kind != .domain else { return }
        if m.name == "SHUTDOWN" {
            shutDown = true
        } else if m.name == "RESET" {
            shutDown = false
        } else if QEMUBehaviour.traits(of: m.name).guestActivity {
            if shutDown { out.report("\(m.name) after SHUTDOWN without a RESET or a new QEMU session", at: m.site) }
            shutDown = false
        }
    }
}
