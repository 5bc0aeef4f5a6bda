/// Flags a reply that no command of its session asked for, in a stream that shows the session's
/// start and its commands.
public struct ReplyWithoutCommandRule: StreamRule {
    public static let description = RuleDescription(
        id: "reply-without-command",
        severity: .warning,
        description: "A reply answers no command sent in its session.",
        rationale: "QEMU sends a reply only to a command, exactly one, with the command's `id` when it had one; "
            + "a reply that matches no command waiting in its session (no command left, or an `id` no waiting "
            + "command has) means the log lost or never logged a command, duplicated a reply, or mixed two "
            + "connections into one stream. Judged only in sessions whose start the stream shows (a greeting or "
            + "qmp_capabilities first) and after the session showed a command: a capture that starts "
            + "mid-session may hold replies to earlier commands, and a capture of QEMU's output alone (or a "
            + "libvirt log without its QEMU_MONITOR_SEND_MSG records) holds replies only. An error reply without "
            + "`id` while every waiting command has one is QEMU's answer to input it could not read as a "
            + "command (bad JSON, not an object): not flagged.",
        triggering: [
            #"{"execute": "qmp_capabilities", "id": "c1"} {"return": {}, "id": "c1"} {"execute": "query-status", "id": "c2"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c2"} ↓{"return": {}, "id": "c9"}"#,
        ],
        nonTriggering: [
            #"{"execute": "qmp_capabilities", "id": "c1"} {"return": {}, "id": "c1"} {"execute": "query-status", "id": "c2"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c2"}"#,
            #"{"return": {}, "id": "c0"} {"execute": "query-status", "id": "c2"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c2"}"#,
            #"{"execute": "qmp_capabilities", "id": 1} {"return": {}, "id": 1} {"execute": "stop", "id": 2} {"error": {"class": "GenericError", "desc": "JSON parse error, invalid keyword 'bogus'"}} {"return": {}, "id": 2}"#,
        ])

    public static let interest = StreamInterest(kinds: [.greeting, .command, .reply])

    /// Whether the session's first message was its start (a greeting or qmp_capabilities); nil
    /// before any message.
    var startShown: Bool?
    var commands = CommandLedger<Void>()
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        if startShown == nil {
            startShown = m.kind == .greeting || (m.kind == .command && m.name == QEMUBehaviour.capabilitiesCommand)
        }
        switch m.kind {
        case .command:
            commands.send(m, ())
        case .reply:
            guard case .nothing = commands.answer(m), startShown == true, commands.sent > 0 else { return }
            let what = m.id.map { "this reply (id \($0))" } ?? "this reply"
            out.report(
                "\(what) answers no command of the session: "
                    + (m.id != nil && !commands.waiting.isEmpty
                        ? "no waiting command has its id" : "no command is waiting for a reply"),
                at: m.site)
        case .greeting, .event:
            break
        }
    }
}
