/// Flags messages that only a release other than their stream's fits: version inference chose
/// the release describing most of the stream (`VersionTally`), and these messages need another.
public enum VersionConflictRule: Rule {
    public static let description = RuleDescription(
        id: "version-conflict",
        severity: .warning,
        description: "Messages of one stream fit different QEMU releases.",
        rationale: "One QEMU process writes one stream, so its messages fit one release's schema. When the input "
            + "does not say which release (no greeting, no query-version), qmp-lint chooses the release that "
            + "describes most of the stream's messages and checks them against it; messages that only another "
            + "release describes (an event added later, a member that release lacks) mean the capture mixes "
            + "releases, was edited, or comes from a build whose schema differs. One finding, at the first such "
            + "message, counts them.",
        triggering: [
            #"{"event": "MEM_UNPLUG_ERROR", "data": {"device": "dimm1", "msg": "x"}, "timestamp": {"seconds": 1, "microseconds": 0}} {"event": "MEM_UNPLUG_ERROR", "data": {"device": "dimm2", "msg": "x"}, "timestamp": {"seconds": 2, "microseconds": 0}} ↓{"event": "VFIO_MIGRATION", "data": {"device-id": "v", "qom-path": "/machine/v", "device-state": "running"}, "timestamp": {"seconds": 3, "microseconds": 0}}"#,
        ],
        nonTriggering: [
            #"{"event": "MEM_UNPLUG_ERROR", "data": {"device": "dimm1", "msg": "x"}, "timestamp": {"seconds": 1, "microseconds": 0}} {"event": "STOP", "timestamp": {"seconds": 2, "microseconds": 0}}"#,
        ])

    /// The finding's text: the first message, how many more, and the releases on each side.
    static func message(what: String, more: Int, fits: String, chosen: String, rest: String) -> String {
        "this \(what)" + (more > 0 ? " and \(more) more message\(more == 1 ? "" : "s")" : "")
            + " of the stream fit QEMU \(fits) but not \(chosen), the release the rest of the stream fits (\(rest))"
    }
}
