/// Flags a job command QEMU accepted although the job's status, as the stream's JOB_STATUS_CHANGE
/// events tell it, does not allow that verb.
public struct JobVerbStateRule: StreamRule {
    public static let description = RuleDescription(
        id: "job-verb-state",
        severity: .warning,
        description: "QEMU accepted a job command that the job's status, as the stream reports it, does not allow.",
        rationale: "QEMU checks every job command against a fixed table of statuses (job.c's JobVerbTable): "
            + "complete only when the job is ready (or standby, since 6.0), finalize only when pending, dismiss "
            + "only when concluded, cancel in any status from created to pending, pause, resume, set-speed and "
            + "change from created to standby. It refuses the others with an error reply, which is QEMU "
            + "enforcing the table and is not flagged. But if QEMU accepted the command (a `return` reply) while "
            + "no status the stream reported for the job around it allows the verb (its status when the command "
            + "was sent, and every status reported until the reply), the stream misses a JOB_STATUS_CHANGE, or "
            + "holds one QEMU never sent: the log is incomplete or reordered. The job is named by `id` (job-*, "
            + "block-job-dismiss, -finalize and -change) or `device` (the other block-job-* commands); jobs the "
            + "stream has not reported yet, and commands without a reply, are not judged; without ids, a reply is "
            + "paired only with the newest job command waiting (a lost reply must not shift the pairs).",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "mirror0"}} ↓{"execute": "job-complete", "arguments": {"id": "mirror0"}} {"return": {}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "ready", "id": "mirror0"}} {"execute": "job-complete", "arguments": {"id": "mirror0"}} {"return": {}}"#,
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "mirror0"}} {"execute": "job-complete", "arguments": {"id": "mirror0"}} {"error": {"class": "GenericError", "desc": "Job 'mirror0' in state 'running' cannot accept command verb 'complete'"}}"#,
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "JOB_STATUS_CHANGE", "data": {"status": "concluded", "id": "backup0"}} {"execute": "job-dismiss", "arguments": {"id": "backup0"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "null", "id": "backup0"}} {"return": {}}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event, .command, .reply], names: Set(QEMUBehaviour.jobCommands.keys).union(["JOB_STATUS_CHANGE"]),
        members: ["id", "device", "status"])

    /// A job command waiting for its reply, and the statuses its job had meanwhile.
    struct Pending {
        var name: String
        var id: String?
        var job: String
        var verb: QEMUBehaviour.JobVerb
        /// The job's status when the command was sent, then every status reported until the reply.
        var statuses: [String]
        var site: StreamSite
    }

    /// Each job's last reported status.
    var jobs: [String: String] = [:]
    var pending: [Pending] = []
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .event:
            guard let id = m.members["id"], let status = m.members["status"] else { return }
            jobs[id] = status
            for i in pending.indices where pending[i].job == id { pending[i].statuses.append(status) }
        case .command:
            guard let (verb, member) = QEMUBehaviour.jobCommands[m.name], let job = m.members[member],
                let status = jobs[job]
            else { return }
            let p = Pending(name: m.name, id: m.id, job: job, verb: verb, statuses: [status], site: m.site)
            if m.carriesReply {
                if !m.isError { judge(p, &out) }
            } else {
                if pending.count >= 64 { pending.removeFirst() }
                pending.append(p)
            }
        case .reply:
            guard let name = m.answers, QEMUBehaviour.jobCommands[name] != nil else { return }
            switch ReplyPairing.of(m, in: pending.map { ($0.name, $0.id) }) {
            case .answers(let k):
                let p = pending.remove(at: k)
                if !m.isError { judge(p, &out) }
            case .stale(let k):
                pending.remove(at: k)
            case .none:
                break
            }
        case .greeting:
            break
        }
    }

    private func judge(_ p: Pending, _ out: inout StreamFindings) {
        guard let allowed = QEMUBehaviour.jobVerbStatuses[p.verb], !p.statuses.contains(where: allowed.contains)
        else { return }
        let seen =
            p.statuses.count == 1
            ? "its status was \"\(p.statuses[0])\""
            : "its statuses were " + p.statuses.map { "\"\($0)\"" }.joined(separator: ", ")
        let need = allowed.sorted { Self.order($0) < Self.order($1) }.map { "\"\($0)\"" }.joined(separator: ", ")
        out.report(
            "QEMU accepted \(p.name) for job \"\(p.job)\" while \(seen) in this stream, but it accepts the "
                + "\(p.verb.rawValue) verb only in \(need): a JOB_STATUS_CHANGE is missing or out of place",
            at: p.site)
    }

    /// Statuses in the order of QEMU's JobStatus enum, for messages.
    static func order(_ status: String) -> Int {
        [
            "undefined", "created", "running", "paused", "ready", "standby", "waiting", "pending", "aborting",
            "concluded", "null",
        ].firstIndex(of: status) ?? 99
    }
}
