/// Notes a `device_del` sent while the VM was paused whose unplug then had to wait for the guest.
public struct DeviceDelWhilePausedRule: StreamRule {
    public static let description = RuleDescription(
        id: "device-del-while-paused",
        severity: .note,
        description: "A device_del is sent while the VM is paused, and the unplug waits for the guest.",
        rationale: "device_del of most devices (PCI, PCIe, memory, CPUs) only asks the guest to release the "
            + "device, and a paused guest cannot answer: QEMU accepts the command, but DEVICE_DELETED can come "
            + "only after the VM runs again, the classic \"DEVICE_DELETED never came\" when it stays paused. The "
            + "VM is paused between a STOP and the next RESUME of the stream (a QEMU started with -S is paused "
            + "without a STOP, and is not seen as such). Noted when the VM resumes, or the session ends, with the "
            + "unplug still unconfirmed; not when QEMU refused the command, nor for devices QEMU unplugs without "
            + "the guest (USB, for one), whose DEVICE_DELETED comes while the VM is still paused. A note, not a "
            + "warning: QEMU allows it and the unplug completes once the guest runs.",
        triggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "STOP"} ↓{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000005, "microseconds": 1}, "event": "RESUME"} {"timestamp": {"seconds": 1700000005, "microseconds": 9}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "STOP"} {"execute": "device_del", "arguments": {"id": "tablet0"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"device": "tablet0", "path": "/machine/peripheral/tablet0"}} {"timestamp": {"seconds": 1700000005, "microseconds": 1}, "event": "RESUME"}"#,
            #"{"timestamp": {"seconds": 1700000000, "microseconds": 1}, "event": "RESUME"} {"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 9}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event, .command, .reply],
        names: Set(["device_del", "STOP", "RESUME"]).union(QEMUBehaviour.unplugOutcomes),
        members: ["id", "device", "path"])

    struct Request {
        var device: String
        var id: String?
        var site: StreamSite
        /// The reply was seen (QEMU accepted it; refused ones are dropped).
        var answered = false
    }

    /// Whether the VM is paused (STOP, then no RESUME); nil before either.
    var paused: Bool?
    /// The line of the STOP that paused it.
    var stopLine = 0
    /// device_del requests sent while paused whose unplug is not confirmed.
    var requests: [Request] = []
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .event:
            switch m.name {
            case "STOP":
                paused = true
                stopLine = m.line
            case "RESUME":
                paused = false
                for r in requests {
                    out.report(
                        "device_del of \"\(r.device)\" was sent while the VM was paused (STOP at line \(stopLine)): "
                            + "the guest could act on it only after the RESUME at line \(m.line)",
                        at: r.site)
                }
                requests = []
            default:
                let ids = [m.members["device"], m.members["path"]].compactMap { $0 }
                requests.removeAll { ids.contains($0.device) }
            }
        case .command:
            guard paused == true, let device = m.members["id"] else { return }
            if m.carriesReply && m.isError { return }
            requests.append(Request(device: device, id: m.id, site: m.site, answered: m.carriesReply))
            if requests.count > 64 { requests.removeFirst() }
        case .reply:
            guard m.answers == "device_del" else { return }
            let waiting = requests.indices.filter { !requests[$0].answered }
            switch ReplyPairing.of(m, in: waiting.map { ("device_del", requests[$0].id) }) {
            case .answers(let k):
                if m.isError { requests.remove(at: waiting[k]) } else { requests[waiting[k]].answered = true }
            case .stale(let k):
                requests.remove(at: waiting[k])
            case .none:
                break
            }
        case .greeting:
            break
        }
    }

    public mutating func end(_ out: inout StreamFindings) {
        guard paused == true else { return }
        for r in requests {
            out.report(
                "device_del of \"\(r.device)\" was sent while the VM was paused (STOP at line \(stopLine)), and the "
                    + "VM stayed paused until this stream's session ended: the guest never saw the request",
                at: r.site)
        }
        requests = []
    }
}
