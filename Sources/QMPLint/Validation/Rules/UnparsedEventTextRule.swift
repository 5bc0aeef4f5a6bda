/// Flags text that looks like part of an event (`"event":` with its colon) where no event could
/// be read: outside any object, after a stray byte, in an object broken beyond recognition. It
/// is what keeps a log from being green and silent when its events are in a shape no dialect
/// reads: every such marker is counted (`FileResult.markers.unparsed`) and reported here.
public enum UnparsedEventTextRule: Rule {
    public static let description = RuleDescription(
        id: "unparsed-event-text",
        severity: .warning,
        description: "Text looks like an event member but no event could be read there.",
        rationale: "Every QMP event carries a top-level `\"event\":` member, so that text outside anything "
            + "qmp-lint could parse means an event in a shape it does not read (or one broken beyond repair): "
            + "its count would be wrong without a word. The finding points at the marker so the shape can be "
            + "fixed or reported.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, ↓"event"x: "STOP"}"#,
            #"log: ↓"event": "STOP" (no object around it)"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP"}"#,
            #"grep "event" libvirtd.log"#,
        ])

    /// The finding's text.
    static func message() -> String { "text looks like an event member, but no event could be read here" }
}
