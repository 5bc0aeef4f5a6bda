/// Flags a `device_del` that QEMU accepted but whose device was never reported gone.
public struct UnplugUnconfirmedRule: StreamRule {
    public static let description = RuleDescription(
        id: "unplug-unconfirmed",
        severity: .warning,
        description: "A device_del is not followed by DEVICE_DELETED or DEVICE_UNPLUG_GUEST_ERROR for that device.",
        rationale: "device_del only asks the guest to release the device; QEMU confirms with DEVICE_DELETED "
            + "(or DEVICE_UNPLUG_GUEST_ERROR, MEM_UNPLUG_ERROR before 6.2) once it did. A stream that goes on "
            + "with other events but never confirms means the guest ignored the request, the classic stuck "
            + "unplug. Requests QEMU refused (an error reply) and transcripts that show no events after the "
            + "command are not flagged.",
        triggering: [
            #"↓{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "STOP"}"#,
        ],
        nonTriggering: [
            #"{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}"#,
            #"{"execute": "device_del", "arguments": {"id": "net9"}} {"error": {"class": "DeviceNotFound", "desc": "Device 'net9' not found"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "STOP"}"#,
        ])

    public static let interest = StreamInterest(
        kinds: [.event, .command, .reply], members: ["id", "device", "path"])
    struct Pending {
        var id: String
        var site: StreamSite
        /// An event of the stream came after the request.
        var followed = false
    }
    var pending: [Pending] = []
    /// The device_del awaiting its reply (QEMU refuses some: then no outcome comes), and whether
    /// it made a new request (a repeated one leaves the first waiting).
    var awaitingReply: (id: String, isNew: Bool)?
    public init() {}

    public mutating func observe(_ m: StreamMessage, _ out: inout StreamFindings) {
        switch m.kind {
        case .command:
            awaitingReply = nil
            guard m.name == "device_del", let id = m.members["id"] else { return }
            let isNew = !pending.contains(where: { $0.id == id })
            if isNew { pending.append(Pending(id: id, site: m.site)) }
            awaitingReply = (id, isNew)
        case .reply:
            if m.isError, m.answers == "device_del", let (id, isNew) = awaitingReply, isNew {
                pending.removeAll { $0.id == id }
            }
            awaitingReply = nil
        case .event:
            if QEMUBehaviour.traits(of: m.name).unplugOutcome {
                let ids = [m.members["device"], m.members["path"]].compactMap { $0 }
                pending.removeAll { ids.contains($0.id) }
            }
            for i in pending.indices { pending[i].followed = true }
        case .greeting:
            break
        }
    }

    public mutating func end(_ out: inout StreamFindings) {
        for p in pending where p.followed {
            out.report(
                "device_del of \"\(p.id)\" was never confirmed: no DEVICE_DELETED or DEVICE_UNPLUG_GUEST_ERROR for it in this stream",
                at: p.site)
        }
        pending = []
    }
}
