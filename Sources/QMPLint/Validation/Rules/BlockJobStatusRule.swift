/// Flags a BLOCK_JOB_READY / PENDING / COMPLETED / CANCELLED that arrives after its job's
/// status (from JOB_STATUS_CHANGE) has already moved past the point where QEMU sends it.
public struct BlockJobStatusRule: StreamRule {
    public static let description = RuleDescription(
        id: "block-job-status",
        severity: .warning,
        description: "A block-job event does not fit the job's status.",
        rationale: "QEMU sends BLOCK_JOB_READY right after the job becomes `ready`, BLOCK_JOB_PENDING when it "
            + "becomes `pending`, and BLOCK_JOB_COMPLETED / BLOCK_JOB_CANCELLED while it is `pending` or "
            + "`aborting`, before it is `concluded`. A block-job event for a job whose last status is later than "
            + "that (READY after `waiting`, anything after `concluded` or `null`) is out of order. Transcripts "
            + "often leave status changes out, so an earlier status is not flagged.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "concluded", "id": "drive0"}} ↓{"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "drive0", "len": 1048576, "offset": 1048576, "speed": 0, "type": "mirror"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "pending", "id": "drive0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "drive0", "len": 1048576, "offset": 1048576, "speed": 0, "type": "mirror"}}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event],
        names: ["JOB_STATUS_CHANGE", "BLOCK_JOB_READY", "BLOCK_JOB_PENDING", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED"],
        members: ["id", "status", "device"])
    var jobs: [String: String] = [:]
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        if m.name == "JOB_STATUS_CHANGE" {
            if let id = m.members["id"], let status = m.members["status"] { jobs[id] = status }
            return
        }
        guard let id = m.members["device"], let status = jobs[id],
              QEMUBehaviour.statusesTooLate(for: m.name).contains(status) else { return }
        out.report("\(m.name) for job \"\(id)\" whose status is already \"\(status)\"", at: m.site)
    }
}
