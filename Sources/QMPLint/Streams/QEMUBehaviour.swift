/// What QEMU does that stream rules rely on: its job state machine (`JobSTT` in job.c, blockjob.c's
/// `BlockJobSTT` in 2.12; JOB_STATUS_CHANGE reports it since 3.0) and which command verbs each job
/// status accepts, where the block-job events are sent, which events QEMU throttles, and which
/// events confirm an unplug.
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

    /// A job verb: what a job command asks of a job (`JobVerb` in QEMU's QAPI schema).
    public enum JobVerb: String, Sendable, CaseIterable {
        case cancel, pause, resume, setSpeed = "set-speed", complete, finalize, dismiss, change
    }

    /// The statuses in which QEMU accepts each verb (job.c's `JobVerbTable`, blockjob.c's
    /// `BlockJobVerbTable` in 2.12), as the union over releases so that no release is judged
    /// stricter than its QEMU. The table has had three shapes:
    /// - 2.12 to 5.2: cancel in created, running, paused, ready, standby, waiting, pending;
    ///   pause, resume and set-speed in created, running, paused, ready, standby; complete in
    ///   ready; finalize in pending; dismiss in concluded.
    /// - 6.0: complete also in standby ("job: Allow complete for jobs on standby", block pull of
    ///   9 April 2021, during the 6.0 release candidates).
    /// - 8.2: the `change` verb of block-job-change, with set-speed's statuses.
    /// Unchanged since up to 10.2.50. A verb QEMU refuses gets an error reply ("Job 'x' in state
    /// 'running' cannot accept command verb 'complete'").
    public static let jobVerbStatuses: [JobVerb: Set<String>] = [
        .cancel: ["created", "running", "paused", "ready", "standby", "waiting", "pending"],
        .pause: ["created", "running", "paused", "ready", "standby"],
        .resume: ["created", "running", "paused", "ready", "standby"],
        .setSpeed: ["created", "running", "paused", "ready", "standby"],
        .complete: ["ready", "standby"],
        .finalize: ["pending"],
        .dismiss: ["concluded"],
        .change: ["created", "running", "paused", "ready", "standby"],
    ]

    /// The job commands: the verb each applies and the argument naming the job (`id` for job-*
    /// and the 2.12 block-job-dismiss/-finalize, 8.2 block-job-change; `device`, which holds the
    /// job id since 2.7, for the older block-job-* commands).
    public static let jobCommands: [String: (verb: JobVerb, member: String)] = [
        "job-cancel": (.cancel, "id"), "job-pause": (.pause, "id"), "job-resume": (.resume, "id"),
        "job-complete": (.complete, "id"), "job-finalize": (.finalize, "id"), "job-dismiss": (.dismiss, "id"),
        "block-job-cancel": (.cancel, "device"), "block-job-pause": (.pause, "device"),
        "block-job-resume": (.resume, "device"), "block-job-set-speed": (.setSpeed, "device"),
        "block-job-complete": (.complete, "device"), "block-job-finalize": (.finalize, "id"),
        "block-job-dismiss": (.dismiss, "id"), "block-job-change": (.change, "id"),
    ]

    /// The command that ends capabilities negotiation; until it succeeds QEMU answers every other
    /// command with CommandNotFound.
    public static let capabilitiesCommand = "qmp_capabilities"

    /// One entry of QEMU's event throttle table (`monitor_qapi_event_conf`, with the key members of
    /// `qapi_event_throttle_hash`; in monitor.c, since 4.1 in monitor/monitor.c): QEMU sends the
    /// first event of a limiter at once and holds back later ones until a second has passed since
    /// the last one it sent, keeping only the newest. Every entry is one event per 1000 ms.
    public struct EventThrottle: Sendable {
        public var event: String
        /// The data member whose value selects the limiter; nil: one limiter per event name.
        public var key: String?
        /// The first release that throttles the event.
        public var since: String
        /// The first release that keys it by `key` (before it: one limiter per event name).
        public var keyedSince: String?
    }

    /// QEMU's throttled events, release by release (derived facts, read from QEMU's sources and
    /// its qemu-devel patches):
    /// - 2.1-2.4: `monitor_qapi_event_init` throttles RTC_CHANGE, WATCHDOG, BALLOON_CHANGE,
    ///   QUORUM_REPORT_BAD, QUORUM_FAILURE and VSERPORT_CHANGE, one limiter per event name.
    /// - 2.5: the table becomes a hash keyed by data members; VSERPORT_CHANGE by `id` (commit
    ///   7de0be6573af, "monitor: Throttle event VSERPORT_CHANGE separately by "id"", Oct 2015).
    /// - QUORUM_REPORT_BAD by `node-name`: in every monitor.c from the 2.6/2.7 era on (the exact
    ///   release of that change is not pinned here; 2.1-2.4 key it per event name).
    /// - 5.1: MEMORY_DEVICE_SIZE_CHANGE added, throttled per event name; 6.2 keys it by `qom-path`
    ///   (commit 77ae2302ae16, "monitor: Rate-limit MEMORY_DEVICE_SIZE_CHANGE qapi events per
    ///   device", with `qom-path` added to the event).
    /// - 8.2: HV_BALLOON_STATUS_REPORT added, throttled per event name.
    /// - 9.2: BLOCK_IO_ERROR throttled by `qom-path` ("block-backend: per-device throttling of
    ///   BLOCK_IO_ERROR reports", block pull of 22 Oct 2024, the pull that added `qom-path`).
    /// - Unchanged up to 10.2.50 (throttling patches for VIRTQUEUE_ERROR and X_CONFIG_READ were
    ///   posted but neither event is in any release).
    public static let throttles: [EventThrottle] = [
        EventThrottle(event: "RTC_CHANGE", key: nil, since: "2.1", keyedSince: nil),
        EventThrottle(event: "WATCHDOG", key: nil, since: "2.1", keyedSince: nil),
        EventThrottle(event: "BALLOON_CHANGE", key: nil, since: "2.1", keyedSince: nil),
        EventThrottle(event: "QUORUM_FAILURE", key: nil, since: "2.1", keyedSince: nil),
        EventThrottle(event: "QUORUM_REPORT_BAD", key: "node-name", since: "2.1", keyedSince: nil),
        EventThrottle(event: "VSERPORT_CHANGE", key: "id", since: "2.1", keyedSince: "2.5"),
        EventThrottle(event: "MEMORY_DEVICE_SIZE_CHANGE", key: "qom-path", since: "5.1", keyedSince: "6.2"),
        EventThrottle(event: "HV_BALLOON_STATUS_REPORT", key: nil, since: "8.2", keyedSince: nil),
        EventThrottle(event: "BLOCK_IO_ERROR", key: "qom-path", since: "9.2", keyedSince: "9.2"),
    ]

    /// Events QEMU rate-limits to one per second per key, with the data member that keys them in
    /// the newest releases (the finest key any release uses, so a stream of any release is judged
    /// no stricter than its QEMU). BLOCK_IO_ERROR is not listed: it is limited only since 9.2,
    /// which made `qom-path` required, so only when it names one (see `rateKey(of:members:)`);
    /// events that were limited per event name before their key member existed key on "" then.
    public static let rateLimited: [String: String?] = {
        var t: [String: String?] = [:]
        for e in throttles where e.event != "BLOCK_IO_ERROR" { t[e.event] = .some(e.key) }
        return t
    }()

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
