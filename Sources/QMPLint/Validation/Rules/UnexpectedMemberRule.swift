/// Warns about a member the schema does not define (suggesting a near name:
/// `sector-count` -> `sectors-count`). A warning because clients must ignore unknown members.
public enum UnexpectedMemberRule: MessageRule {
    public static let description = RuleDescription(
        id: "unexpected-member",
        severity: .warning,
        description: "A member is not defined by the schema.",
        rationale: "QEMU emits only the members its schema defines. A newer QEMU may add members, which "
            + "QMP clients must ignore, so this is a warning; more often it is a misspelling or a member "
            + "placed at the wrong nesting level.",
        triggering: [
            #"{"timestamp": {"seconds": 1709288602, "microseconds": 4417}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1", ↓"reason": "unplugged"}}"#,
            #"{"timestamp": {"seconds": 1709288601, "microseconds": 18544}, "event": "STOP", "data": {↓"reason": "pause"}}"#,
        ],
        nonTriggering: [
            #"{"timestamp": {"seconds": 1709288602, "microseconds": 4417}, "event": "DEVICE_DELETED", "data": {"device": "net1", "path": "/machine/peripheral/net1"}}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [(.unexpectedMember, [.event, .command, .greeting]), (.memberOfNothing, [.event, .command, .greeting])]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        switch observation {
        case .unexpectedMember(let key, let owner, let suggestion):
            context.standAlone("member \"\(key)\" is not defined by \(owner)",
                               hint: suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
        case .memberOfNothing(let key, let name):
            switch context.kind {
            case .command: context.standAlone("argument \"\(key)\" is unexpected: \(name) takes no arguments")
            case .reply: context.standAlone("member \"\(key)\" is unexpected: \(name) returns nothing ({})")
            default: context.standAlone("member \"\(key)\" is unexpected: \(name) has no data")
            }
        default: ""
        }
    }
}
