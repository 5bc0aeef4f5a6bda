/// Notes a command that QEMU answered late, or not at all while the log went on, where the log
/// records when it wrote each message (libvirt's debug log).
///
public struct SlowCommandRule: StreamRule {
    /// How long a reply may take before it is noted.
    public static let threshold = EventTime(seconds: 10, microseconds: 0)

    public static let description = RuleDescription(
        id: "slow-command",
        severity: .note,
        description: "A command's reply comes more than 10 s after the command, or not at all while the log goes on.",
        rationale: "QEMU runs in-band commands one at a time on its main loop: while one takes long (a synchronous "
            + "dump-guest-memory, a savevm through human-monitor-command, storage that hangs in blockdev-add or "
            + "query-block), every later command and the monitor itself wait. A post-mortem asks what QEMU was "
            + "doing: this notes each command answered more than 10 s after it was sent, and each one still "
            + "unanswered when the session's last message came more than 10 s later, by the times the log "
            + "records (a libvirt debug record's time: QEMU_MONITOR_SEND_MSG when the command was queued, "
            + "QEMU_MONITOR_RECV_REPLY when its reply was read). Logs without record times are not judged. A "
            + "note, as slow is not wrong.",
        triggering: [
            #"2025-06-02 08:14:00.002+0000: 1: info : qemuMonitorSend:981 : QEMU_MONITOR_SEND_MSG: mon=0x55 msg=↓{"execute":"query-block","id":"libvirt-9"}\#n2025-06-02 08:14:31.205+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=0x55 reply={"return": [], "id": "libvirt-9"}"#,
        ],
        nonTriggering: [
            #"2025-06-02 08:14:00.002+0000: 1: info : qemuMonitorSend:981 : QEMU_MONITOR_SEND_MSG: mon=0x55 msg={"execute":"query-block","id":"libvirt-9"}\#n2025-06-02 08:14:00.205+0000: 1: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=0x55 reply={"return": [], "id": "libvirt-9"}"#,
        ])

    public static let interest = StreamInterest(kinds: [.event, .command, .reply])

    struct Sent: Sendable {
        var time: EventTime
        var site: StreamSite
    }

    /// Commands with a record time waiting for their reply (only those are kept).
    var commands = CommandLedger<Sent?>()
    /// The latest record time of the session.
    var last: EventTime?
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        if let t = m.recordTime, last.map({ $0 < t }) ?? true { last = t }
        switch m.kind {
        case .command:
            commands.send(m, m.recordTime.map { Sent(time: $0, site: m.site) })
        case .reply:
            guard case .command(let e) = commands.answer(m), let sent = e.info, let t = m.recordTime,
                Self.longer(from: sent.time, to: t)
            else { return }
            out.report(
                "\(e.name)\(e.idText) took \(EventTime.seconds(t, sent.time)) to answer (reply at line \(m.line)); "
                    + "QEMU's monitor waited meanwhile",
                at: sent.site)
        case .event, .greeting:
            break
        }
    }

    public mutating func end(_ out: inout StreamFindings) {
        guard let last else { return }
        for e in commands.waiting {
            guard let sent = e.info, Self.longer(from: sent.time, to: last) else { continue }
            out.report(
                "\(e.name)\(e.idText) got no reply in the \(EventTime.seconds(last, sent.time)) the session went on "
                    + "after it",
                at: sent.site)
        }
        commands = CommandLedger()
    }

    /// Whether more than `threshold` passed from `a` to `b`.
    static func longer(from a: EventTime, to b: EventTime) -> Bool {
        let us = (b.seconds - a.seconds) * 1_000_000 + (b.microseconds - a.microseconds)
        return us > threshold.seconds * 1_000_000 + threshold.microseconds
    }
}
