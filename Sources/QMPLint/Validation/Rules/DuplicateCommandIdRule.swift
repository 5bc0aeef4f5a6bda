/// Flags a command whose `id` is already used by a command of the session still waiting for its
/// reply.
public struct DuplicateCommandIdRule: StreamRule {
    public static let description = RuleDescription(
        id: "duplicate-command-id",
        severity: .warning,
        description: "A command reuses the id of a command that still waits for its reply.",
        rationale: "QEMU does not check command ids: it copies each command's `id` into its reply, and that copy "
            + "is all a client has to tell replies apart. Two waiting commands with one id make their replies "
            + "ambiguous, and out-of-band commands, which may be answered out of order, are required to have "
            + "unique ids. Reusing an id once its command was answered is fine (many clients use one fixed id "
            + "for strictly sequential commands).",
        triggering: [
            #"{"execute": "query-block", "id": "c1"} ↓{"execute": "query-status", "id": "c1"} {"return": [], "id": "c1"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c1"}"#,
        ],
        nonTriggering: [
            #"{"execute": "query-block", "id": "c1"} {"return": [], "id": "c1"} {"execute": "query-status", "id": "c1"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c1"}"#,
        ])

    public static let interest = StreamInterest(kinds: [.command, .reply])

    struct Sent: Sendable {
        var line: Int
    }

    var commands = CommandLedger<Sent>()
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .command:
            guard let id = m.id else {
                commands.send(m, Sent(line: 0))
                return
            }
            if let first = commands.waiting(id: id) {
                out.report(
                    "\(m.name) reuses id \(id) of \(first.name) (line \(first.info.line)), which still waits for "
                        + "its reply: the two replies cannot be told apart",
                    at: m.site)
            }
            commands.send(m, Sent(line: m.line))
        case .reply:
            _ = commands.answer(m)
        case .event, .greeting:
            break
        }
    }
}
