/// Flags a command sent in capabilities negotiation mode: after QEMU's greeting and before
/// `qmp_capabilities` succeeded.
public struct CommandBeforeCapabilitiesRule: StreamRule {
    public static let description = RuleDescription(
        id: "command-before-capabilities",
        severity: .warning,
        description: "A command other than qmp_capabilities is sent before capabilities negotiation ended.",
        rationale: "A QMP connection starts in capabilities negotiation mode: after its greeting QEMU accepts only "
            + "qmp_capabilities and answers every other command with CommandNotFound, until qmp_capabilities "
            + "succeeds. Flagged where the stream shows both ends of it: the connection's start (a greeting before "
            + "any command) and QEMU's CommandNotFound answer (or an error reply without a class). A capture "
            + "that starts mid-session proves nothing, and libvirt logs the greeting apart from its monitor (as "
            + "a `Line` record without `mon=`), after its own qmp_capabilities, so its monitors are never "
            + "judged. A command pipelined right after qmp_capabilities is fine (QEMU reads in order) unless "
            + "qmp_capabilities fails. A command whose reply is a success is not flagged (the log left the "
            + "negotiation out), nor one answered with another error class, nor one whose reply the stream does "
            + "not show (JSON that libvirt's debug records quote in `cmd=` lands in the greeting's stream).",
        triggering: [
            #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": ""}, "capabilities": ["oob"]}} ↓{"execute": "query-status"} {"error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}"#,
        ],
        nonTriggering: [
            #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": ""}, "capabilities": ["oob"]}} {"execute": "qmp_capabilities"} {"return": {}} {"execute": "query-status"} {"return": {"status": "running", "singlestep": false, "running": true}}"#,
            #"{"execute": "query-status"} {"return": {"status": "running", "singlestep": false, "running": true}}"#,
        ])

    public static let interest = StreamInterest(kinds: [.greeting, .command, .reply])

    /// Where capabilities negotiation stands in the session, as far as the stream shows.
    enum Negotiation {
        /// The stream did not show the session's start: nothing is judged.
        case unknown
        /// After a greeting, before qmp_capabilities was sent (or after it failed).
        case negotiating
        /// qmp_capabilities was sent, its reply not seen yet.
        case requested
        case done
    }

    /// What the rule keeps of a command: its site when it may be flagged, and whether it was sent
    /// while qmp_capabilities waited for its reply (then it is flagged only if that failed).
    struct Sent: Sendable {
        var site: StreamSite?
        var whileRequested = false
    }

    var state = Negotiation.unknown
    var commands = CommandLedger<Sent>()
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .greeting:
            // Only a greeting before any command starts the session the stream shows.
            if commands.sent == 0 { state = .negotiating }
        case .command:
            if m.name == QEMUBehaviour.capabilitiesCommand {
                commands.send(m, Sent())
                guard state == .negotiating else { return }
                if m.carriesReply { settle(capabilitiesFailed: m.isError) } else { state = .requested }
                return
            }
            switch state {
            case .unknown, .done:
                commands.send(m, Sent())
            case .negotiating, .requested:
                let e = commands.send(m, Sent(site: m.site, whileRequested: state == .requested))
                if m.carriesReply, state == .negotiating { judge(e, reply: m, &out) }
            }
        case .reply:
            guard case .command(let e) = commands.answer(m) else { return }
            if e.name == QEMUBehaviour.capabilitiesCommand {
                settle(capabilitiesFailed: m.isError)
            } else if e.info.site != nil, !e.info.whileRequested {
                judge(e, reply: m, &out)
            }
        case .event:
            break
        }
    }

    /// qmp_capabilities was answered: commands sent meanwhile ran in command mode, or, if it
    /// failed, in negotiation mode like those before it.
    private mutating func settle(capabilitiesFailed: Bool) {
        guard state == .negotiating || state == .requested else { return }
        state = capabilitiesFailed ? .negotiating : .done
        commands.update {
            // Those sent meanwhile ran in the mode QEMU was left in.
            if $0.info.whileRequested && !capabilitiesFailed { $0.info.site = nil }
            $0.info.whileRequested = false
        }
    }

    /// A command sent in negotiation mode, now answered.
    private func judge(_ e: CommandLedger<Sent>.Entry, reply m: StreamMessage, _ out: inout StreamFindings) {
        // A success means QEMU was in command mode (the log left the negotiation out); another
        // error class means QEMU got as far as the command's own checks.
        guard m.isError, m.errorClass == nil || m.errorClass == "CommandNotFound" else { return }
        report(e, answer: m.errorClass ?? "an error", &out)
    }

    private func report(_ e: CommandLedger<Sent>.Entry, answer: String, _ out: inout StreamFindings) {
        guard let site = e.info.site else { return }
        out.report(
            e.name + e.idText + " is sent before qmp_capabilities ended capabilities negotiation, and QEMU answered "
                + answer + ": until then it accepts only qmp_capabilities",
            at: site)
    }
}
