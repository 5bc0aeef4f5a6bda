/// QEMU's job state machine (`JobSTT` in job.c; blockjob.c's `BlockJobSTT` in 2.12, where
/// JOB_STATUS_CHANGE appeared): which status may follow which, and where the block-job events
/// are sent.
public enum QEMUBehaviour {
    /// The transition table of QEMU 2.12 and later (unchanged since), as `from -> allowed next`.
    /// A self-transition sends no event, so it never shows in a transcript.
    public static let transitions: [String: Set<String>] = [
        "undefined": ["created"],
        "created": ["running", "aborting", "null"],
        "running": ["paused", "ready", "waiting", "aborting"],
        "paused": ["running"],
        "ready": ["standby", "waiting", "aborting"],
        "standby": ["ready"],
        "waiting": ["pending", "aborting"],
        "pending": ["aborting", "concluded"],
        "aborting": ["aborting", "concluded"],
        "concluded": ["null"],
        "null": [],
    ]

    /// Whether `to` may follow `from`; nil when either is not a status of the table. `created`
    /// always may: it starts a new job under a free id.
    public static func allows(from: String, to: String) -> Bool? {
        guard let next = transitions[from], transitions[to] != nil else { return nil }
        return to == "created" || next.contains(to)
    }

    /// Statuses after which QEMU no longer sends the block-job event `name` for the job.
    public static func statusesTooLate(for name: String) -> Set<String> {
        switch name {
        case "BLOCK_JOB_READY": ["waiting", "pending", "aborting", "concluded", "null"]
        case "BLOCK_JOB_PENDING": ["aborting", "concluded", "null"]
        case "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED": ["concluded", "null"]
        default: []
        }
    }

    /// Events QEMU rate-limits to one per second per key, with the data member that keys them.
    /// BLOCK_IO_ERROR is also limited (per qom-path) since 9.2, which made `qom-path` required:
    /// see `rateKey(of:members:)`.
    public static let rateLimited: [String: String?] = [
        "RTC_CHANGE": nil, "WATCHDOG": nil, "BALLOON_CHANGE": nil, "QUORUM_FAILURE": nil,
        "HV_BALLOON_STATUS_REPORT": nil, "QUORUM_REPORT_BAD": "node-name", "VSERPORT_CHANGE": "id",
        "MEMORY_DEVICE_SIZE_CHANGE": "qom-path",
    ]

    /// Whether QEMU may have rate-limited `name` (its delayed event may carry an older timestamp).
    public static func mayBeDelayed(_ name: String) -> Bool { rateLimited[name] != nil || name == "BLOCK_IO_ERROR" }

    /// The limiter's key member of a rate-limited event ("" for per event), nil when not limited.
    public static func rateKey(of name: String, members: [String: String]) -> String?? {
        if name == "BLOCK_IO_ERROR" { return members["qom-path"] != nil ? .some("qom-path") : nil }
        return rateLimited[name]
    }

    /// Events that need a running (or suspended) guest: they cannot follow SHUTDOWN without a reset.
    public static let guestActivity: Set<String> = [
        "RESUME", "SUSPEND", "SUSPEND_DISK", "WAKEUP", "GUEST_PANICKED", "GUEST_CRASHLOADED",
    ]

    /// Events that confirm a device_del (or report the guest refused it).
    public static let unplugOutcomes: Set<String> = ["DEVICE_DELETED", "DEVICE_UNPLUG_GUEST_ERROR", "MEM_UNPLUG_ERROR"]

    /// What the stateful rules need to know of an event name, found with one lookup per event.
    public struct Traits: Sendable {
        /// Rate-limited by QEMU: its delayed event may carry an older timestamp.
        public var mayBeDelayed = false
        /// Has a rate-limit key (BLOCK_IO_ERROR only when it names a qom-path, see `rateKey`).
        public var rateLimited = false
        public var guestActivity = false
        public var unplugOutcome = false
    }

    static let traitTable: [String: Traits] = {
        var t: [String: Traits] = [:]
        for name in rateLimited.keys { t[name, default: Traits()].mayBeDelayed = true; t[name]!.rateLimited = true }
        t["BLOCK_IO_ERROR", default: Traits()].mayBeDelayed = true
        t["BLOCK_IO_ERROR"]!.rateLimited = true
        for name in guestActivity { t[name, default: Traits()].guestActivity = true }
        for name in unplugOutcomes { t[name, default: Traits()].unplugOutcome = true }
        return t
    }()

    /// The traits of `name` (all false for most events).
    public static func traits(of name: String) -> Traits { traitTable[name] ?? Traits() }
}
