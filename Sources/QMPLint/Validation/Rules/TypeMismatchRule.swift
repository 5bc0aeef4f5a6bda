/// Flags a value of the wrong JSON type: a string for an integer, `null` for a member that is
/// not of type null, `78.25` for an int, an integer for a str or enum, an array or object for a
/// scalar, or a `data` that is not an object. Says which type was expected and which was found.
public enum TypeMismatchRule: MessageRule {
    public static let description = RuleDescription(
        id: "type-mismatch",
        severity: .error,
        description: "A value has the wrong JSON type for its schema type.",
        rationale: "QEMU's output visitor writes each QAPI type as one JSON type (integers as integers, "
            + "str and enums as strings, absent optional members omitted rather than null); a value of another "
            + "type cannot have come from QEMU and makes typed clients such as libvirt reject the event.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": ↓"3897556992"}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "RTC_CHANGE", "data": {"offset": ↓78.25, "qom-path": "/machine/unattached/device[9]"}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "SHUTDOWN", "data": {"guest": ↓"true", "reason": "guest-shutdown"}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "DEVICE_DELETED", "data": {"device": ↓null, "path": "/machine/peripheral/net1"}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "MIGRATION", "data": {"status": ↓["active"]}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": ↓"actual=3897556992"}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "BALLOON_CHANGE", "data": {"actual": 3897556992}}"#,
            #"{"timestamp": {"seconds": 1709288600, "microseconds": 595545}, "event": "RTC_CHANGE", "data": {"offset": -78, "qom-path": "/machine/unattached/device[9]"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.typeMismatch, [.event, .command, .greeting]), (.dataOfNothing, [.event, .command, .greeting])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        switch observation {
        case .typeMismatch(let expected, let got, let isNull):
            context.standAlone("expected \(expected), got \(got)",
                               hint: isNull ? "; QEMU omits an absent optional member instead of sending null" : "")
        case .dataOfNothing(_, let got):
            switch context.kind {
            case .command: context.standAlone("takes no arguments; got \(got)")
            case .reply: context.standAlone("returns nothing ({}); got \(got)")
            default: context.standAlone("has no data; got \(got)")
            }
        default: ""
        }
    }
}
