/// Flags a BLOCK_JOB_READY / PENDING / COMPLETED / CANCELLED that arrives after its job's
/// status (from JOB_STATUS_CHANGE) has already moved past the point where QEMU sends it.
public enum BlockJobStatusRule: ValidationRule {
    public static let rule = RuleDescription(
        id: "block-job-status",
        severity: .warning,
        description: "A block-job event does not fit the job's status.",
        rationale: "QEMU sends BLOCK_JOB_READY right after the job becomes `ready`, BLOCK_JOB_PENDING when it "
            + "becomes `pending`, and BLOCK_JOB_COMPLETED / BLOCK_JOB_CANCELLED while it is `pending` or "
            + "`aborting`, before it is `concluded`. A block-job event for a job whose last status is later than "
            + "that (READY after `waiting`, anything after `concluded` or `null`) is out of order. Transcripts "
            + "often leave status changes out, so an earlier status is not flagged.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "concluded", "id": "drive0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "drive0", "len": 1048576, "offset": 1048576, "speed": 0, "type": "mirror"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "pending", "id": "drive0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "drive0", "len": 1048576, "offset": 1048576, "speed": 0, "type": "mirror"}}"#,
        ])
}
