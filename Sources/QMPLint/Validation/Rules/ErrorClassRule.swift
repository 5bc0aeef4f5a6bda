/// Flags an error reply whose class is not one of the release's error classes.
public enum ErrorClassRule: MessageRule {
    public static let description = RuleDescription(
        id: "error-class",
        severity: .error,
        description: "An error reply's class is not one of the schema's error classes.",
        rationale: "QEMU reports every error with one of the few classes of its QapiErrorClass enum (GenericError, "
            + "CommandNotFound, DeviceNotActive, DeviceNotFound, KVMMissingCap); clients branch on them, so any "
            + "other class was not written by this QEMU.",
        triggering: [
            #"{"error": {"class": ↓"NotFound", "desc": "Device 'net1' not found"}, "id": "libvirt-9"}"#,
        ],
        nonTriggering: [
            #"{"error": {"class": "DeviceNotFound", "desc": "Device 'net1' not found"}, "id": "libvirt-9"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.unknownErrorClass, [.reply, .command])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        guard case .unknownErrorClass(let value, let known) = observation else { return "" }
        return "error class \"\(value)\" is not one of \(context.schema)'s (" + known.joined(separator: ", ") + ")"
    }
}
