/// Notes a command that does not match the schema and that QEMU refused with an error reply:
/// the transcript is consistent (QEMU enforced its schema), the finding says what the client
/// got wrong and what QEMU answered.
public enum RejectedCommandRule: Rule {
    public static let description = RuleDescription(
        id: "rejected-command",
        severity: .note,
        description: "A command breaks the schema and QEMU refused it with an error reply.",
        rationale: "QEMU checks every command against its schema and answers an invalid one with an error (an "
            + "unknown command with CommandNotFound, a missing or mistyped argument with GenericError). The "
            + "client's mistake is real, but QEMU caught it and said so in the reply: the traffic conforms, so "
            + "what would be an error on an accepted command is a note here.",
        triggering: [
            #"{"execute": "device_del", "arguments": ↓{}, "id": "4"} {"error": {"class": "GenericError", "desc": "Parameter 'id' is missing"}, "id": "4"}"#,
        ],
        nonTriggering: [
            #"{"execute": "device_del", "arguments": {"id": "net1"}, "id": "4"} {"error": {"class": "DeviceNotFound", "desc": "Device 'net1' not found"}, "id": "4"}"#,
        ])

    /// The finding's text: the first thing wrong with the command, and QEMU's answer.
    static func message(_ first: ReportFinding, more: Int, errorClass: String?) -> String {
        "QEMU refused the command" + (errorClass.map { " (\($0))" } ?? "") + ": " + first.message
            + (more > 0 ? " (and \(more) more)" : "") + " [\(first.rule)]"
    }
}
