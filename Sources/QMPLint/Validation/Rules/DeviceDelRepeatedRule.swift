/// Flags a `device_del` repeated for a device whose earlier, accepted request has no outcome yet.
public struct DeviceDelRepeatedRule: StreamRule {
    public static let description = RuleDescription(
        id: "device-del-repeated",
        severity: .warning,
        description: "A device_del is repeated for a device before QEMU reported the outcome of the first request.",
        rationale: "device_del only asks the guest to release the device; QEMU reports the outcome with "
            + "DEVICE_DELETED (or DEVICE_UNPLUG_GUEST_ERROR, MEM_UNPLUG_ERROR before 6.2). Sending it again "
            + "before the outcome shows the first request is stuck: the guest has not booted far enough, has no "
            + "hotplug support, is paused, or ignored it. QEMU then either refuses the repeat (\"Device ... is "
            + "already in the process of unplug\", while the first request is pending) or asks the guest "
            + "again; a PCIe guest may even take a second attention-button press within five seconds as a "
            + "cancellation. Requests QEMU refused do not count as the first one; a device_add that QEMU "
            + "accepts with the same id proves the old device gone.",
        triggering: [
            #"{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} ↓{"execute": "device_del", "arguments": {"id": "net1"}} {"error": {"class": "GenericError", "desc": "Device net1 is already in the process of unplug"}}"#,
        ],
        nonTriggering: [
            #"{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}} {"execute": "device_del", "arguments": {"id": "net1"}} {"error": {"class": "DeviceNotFound", "desc": "Device 'net1' not found"}}"#,
            #"{"execute": "device_del", "arguments": {"id": "net9"}} {"error": {"class": "DeviceNotFound", "desc": "Device 'net9' not found"}} {"execute": "device_del", "arguments": {"id": "net9"}} {"error": {"class": "DeviceNotFound", "desc": "Device 'net9' not found"}}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event, .command, .reply],
        names: Set(["device_del", "device_add"]).union(QEMUBehaviour.unplugOutcomes),
        members: ["id", "device", "path"])

    /// A device_del or device_add waiting for its reply.
    struct Sent {
        var name: String
        var device: String
        var id: String?
        var line: Int
    }

    /// The first unconfirmed request per device: its line, and whether QEMU accepted it (nil: no
    /// reply yet), with repeats sent before its reply (judged once it comes).
    struct Request {
        var line: Int
        var accepted: Bool?
        var repeats: [StreamSite] = []
    }

    var requests: [String: Request] = [:]
    var waiting: [Sent] = []
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .event:
            for device in [m.members["device"], m.members["path"]].compactMap({ $0 }) { requests[device] = nil }
        case .command:
            guard let device = m.members["id"] else { return }
            if m.name == "device_add" {
                if m.carriesReply {
                    accepted(add: device, m.isError)
                } else {
                    wait(Sent(name: m.name, device: device, id: m.id, line: m.line))
                }
                return
            }
            if var first = requests[device] {
                switch first.accepted {
                case true?: repeated(device, m.site, first: first.line, &out)
                case nil:
                    first.repeats.append(m.site)
                    requests[device] = first
                case false?: break
                }
                if !m.carriesReply { wait(Sent(name: m.name, device: device, id: m.id, line: m.line)) }
                return
            }
            if m.carriesReply {
                if !m.isError { requests[device] = Request(line: m.line, accepted: true) }
            } else {
                requests[device] = Request(line: m.line, accepted: nil)
                wait(Sent(name: m.name, device: device, id: m.id, line: m.line))
            }
        case .reply:
            guard let name = m.answers, name == "device_del" || name == "device_add" else { return }
            let k: Int
            switch ReplyPairing.of(m, in: waiting.map { ($0.name, $0.id) }) {
            case .answers(let i):
                k = i
            case .stale(let i):
                // Its reply was lost or cannot be told: the request stays unjudged.
                let s = waiting.remove(at: i)
                if s.name == "device_del", let first = requests[s.device], first.line == s.line, first.accepted == nil {
                    requests[s.device] = nil
                }
                return
            case .none:
                return
            }
            let s = waiting.remove(at: k)
            if s.name == "device_add" {
                accepted(add: s.device, m.isError)
            } else if var first = requests[s.device], first.line == s.line, first.accepted == nil {
                // The reply to the first request.
                if m.isError {
                    // Refused: the oldest repeat becomes the request (its own reply decides it).
                    requests[s.device] = nil
                    if let next = first.repeats.first {
                        var r = Request(line: next.line, accepted: nil)
                        r.repeats = Array(first.repeats.dropFirst())
                        requests[s.device] = r
                    }
                } else {
                    first.accepted = true
                    for r in first.repeats { repeated(s.device, r, first: first.line, &out) }
                    first.repeats = []
                    requests[s.device] = first
                }
            }
        case .greeting:
            break
        }
    }

    private mutating func wait(_ s: Sent) {
        if waiting.count >= 64 { waiting.removeFirst() }
        waiting.append(s)
    }

    /// QEMU answered a device_add of `device`: accepted, the id is free again (the old device is gone).
    private mutating func accepted(add device: String, _ isError: Bool) {
        if !isError { requests[device] = nil }
    }

    private func repeated(_ device: String, _ site: StreamSite, first line: Int, _ out: inout StreamFindings) {
        out.report(
            "device_del of \"\(device)\" repeated before DEVICE_DELETED or DEVICE_UNPLUG_GUEST_ERROR answered the request QEMU "
                + "accepted at line \(line): the guest has not acted on it",
            at: site)
    }
}
