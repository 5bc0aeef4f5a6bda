/// Flags a `device_del` that QEMU accepted but whose device was never reported gone.
public enum UnplugUnconfirmedRule: ValidationRule {
    public static let rule = RuleDescription(
        id: "unplug-unconfirmed",
        severity: .warning,
        description: "A device_del is not followed by DEVICE_DELETED or DEVICE_UNPLUG_GUEST_ERROR for that device.",
        rationale: "device_del only asks the guest to release the device; QEMU confirms with DEVICE_DELETED "
            + "(or DEVICE_UNPLUG_GUEST_ERROR, MEM_UNPLUG_ERROR before 6.2) once it did. A stream that goes on "
            + "with other events but never confirms means the guest ignored the request, the classic stuck "
            + "unplug. Requests QEMU refused (an error reply) and transcripts that show no events after the "
            + "command are not flagged.",
        triggering: [
            #"{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "STOP"}"#,
        ],
        nonTriggering: [
            #"{"execute": "device_del", "arguments": {"id": "net1"}} {"return": {}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}"#,
            #"{"execute": "device_del", "arguments": {"id": "net9"}} {"error": {"class": "DeviceNotFound", "desc": "Device 'net9' not found"}} {"timestamp": {"seconds": 1700000000, "microseconds": 2}, "event": "STOP"}"#,
        ])
}
