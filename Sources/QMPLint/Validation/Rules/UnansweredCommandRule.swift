/// Flags a command whose reply never came although QEMU answered a command sent after it.
public struct UnansweredCommandRule: StreamRule {
    public static let description = RuleDescription(
        id: "unanswered-command",
        severity: .warning,
        description: "A command gets no reply although a command sent after it does.",
        rationale: "QEMU answers every command exactly once, and in-band commands in the order it received them "
            + "(out-of-band ones, `exec-oob`, may overtake them, and are compared only with each other). So when "
            + "a command sent later is answered, every earlier one of the same band was answered before it: a "
            + "command still without a reply then lost its reply, or the log did. Matching by `id` makes this "
            + "exact; a log without ids pairs replies by order and so cannot show a lost one. Commands still "
            + "waiting when the stream or the QEMU session ends with nothing answered after them are not "
            + "flagged: QEMU may have died, or the log stopped, before it could answer (a post-mortem question, "
            + "not a protocol error). QEMU 2.12 could drop in-band commands whose queue was full and said so "
            + "with COMMAND_DROPPED instead of a reply: a session that shows it is not judged.",
        triggering: [
            #"{"execute": "qmp_capabilities", "id": "c1"} {"return": {}, "id": "c1"} ↓{"execute": "query-block", "id": "c2"} {"execute": "query-status", "id": "c3"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c3"}"#,
        ],
        nonTriggering: [
            #"{"execute": "qmp_capabilities", "id": "c1"} {"return": {}, "id": "c1"} {"execute": "query-status", "id": "c2"} {"return": {"status": "running", "singlestep": false, "running": true}, "id": "c2"} {"execute": "quit", "id": "c3"}"#,
            #"{"execute": "migrate-recover", "arguments": {"uri": "tcp:localhost:4446"}, "id": "c2"} {"exec-oob": "migrate-pause", "id": "c3"} {"return": {}, "id": "c3"}"#,
        ])

    /// Events too: a COMMAND_DROPPED (QEMU 2.12) explains a missing reply.
    public static let interest = StreamInterest(kinds: [.command, .reply, .event])

    struct Sent: Sendable {
        var site: StreamSite
    }

    var commands = CommandLedger<Sent>()
    /// QEMU 2.12 dropped a command of the session: missing replies are explained.
    var dropped = false
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .command:
            if m.carriesReply {
                commands.send(m, Sent(site: m.site))
                lost(before: commands.sent - 1, outOfBand: m.outOfBand, answeredAt: m, &out)
            } else {
                commands.send(m, Sent(site: m.site))
            }
        case .reply:
            guard case .command(let e) = commands.answer(m) else { return }
            lost(before: e.order, outOfBand: e.outOfBand, answeredAt: m, &out)
        case .event:
            if m.name == "COMMAND_DROPPED" { dropped = true }
        case .greeting:
            break
        }
    }

    /// A command of the session was answered: those of its band sent before it and still waiting
    /// lost their reply.
    private mutating func lost(
        before order: Int, outOfBand: Bool, answeredAt m: StreamMessage,
        _ out: inout StreamFindings
    ) {
        let gone = commands.remove { $0.order < order && $0.outOfBand == outOfBand }
        guard !dropped, !gone.isEmpty else { return }
        let line = m.line
        for e in gone {
            out.report(
                "\(e.name)\(e.idText) never got a reply, although QEMU answered a command sent after it "
                    + "(at line \(line)): the reply was lost or not logged",
                at: e.info.site)
        }
    }
}
