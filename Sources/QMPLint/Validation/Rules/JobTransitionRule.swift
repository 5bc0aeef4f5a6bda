/// Flags a `JOB_STATUS_CHANGE` whose status cannot follow the job's previous one in QEMU's job
/// state machine (per job id, per stream).
///
/// A warning by default (`severity: {job-transition: error}` in `.qmp-lint.yml` makes it an
/// error): the per-event answer keys of generated corpora have no job state, and their random job
/// statuses must not add error-level findings to what the keys list.
public struct JobTransitionRule: StreamRule {
    public static let description = RuleDescription(
        id: "job-transition",
        severity: .warning,
        description: "A job's status changes in a way QEMU's job state machine does not allow.",
        rationale: "QEMU moves every job through a fixed table of states (job.c, JobSTT, the same since jobs got "
            + "JOB_STATUS_CHANGE in 2.12): created -> running | aborting | null; running -> paused | ready | "
            + "waiting | aborting; paused -> running; ready -> standby | waiting | aborting; standby -> ready; "
            + "waiting -> pending | aborting; pending -> aborting | concluded; aborting -> aborting | concluded; "
            + "concluded -> null. Any other change means events were lost, reordered or invented. A job first "
            + "seen mid-stream may be in any state, jobs may be left unfinished when QEMU quits, and `created` "
            + "always starts a new job (an id is free again after `null`, or in a QEMU restarted unseen). "
            + "A warning unless configured as an error (`severity: {job-transition: error}`): logs made up for "
            + "tests, such as generated benchmark corpora, draw job statuses at random.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "job0"}} ↓{"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "concluded", "id": "job0"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "job0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "aborting", "id": "job0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 3}, "event": "JOB_STATUS_CHANGE", "data": {"status": "concluded", "id": "job0"}}"#,
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "pending", "id": "job0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "concluded", "id": "job0"}}"#,
        ])

    public static let interest = StreamInterest(kinds: [.event], names: ["JOB_STATUS_CHANGE"], members: ["id", "status"])
    var jobs: [String: String] = [:]
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        guard let id = m.members["id"], let status = m.members["status"] else { return }
        if let prev = jobs[id], QEMUBehaviour.allows(from: prev, to: status) == false {
            out.report(
                "job \"\(id)\" goes from \"\(prev)\" to \"\(status)\", which QEMU's job state machine does not allow",
                at: m.site)
        }
        jobs[id] = status
    }
}
