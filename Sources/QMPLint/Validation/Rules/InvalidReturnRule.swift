/// Flags a success reply whose `return` value does not match the return type of the command it
/// answers: a member missing or unknown, a value of the wrong type, an enum value or integer out
/// of the type.
public enum InvalidReturnRule: MessageRule {
    public static let description = RuleDescription(
        id: "invalid-return",
        severity: .warning,
        description: "A reply's return value does not match the command's return type.",
        rationale: "QEMU builds every reply from the command's declared return type, so a return value that does "
            + "not match it was not produced by that release of QEMU: the transcript comes from another release "
            + "(clients must ignore members they do not know), or was edited or generated. Typed clients (go-qemu, "
            + "qapi-rs) break on such replies. A warning: the reply is QEMU's, the question is which QEMU. "
            + "Deprecated values in a reply are not flagged: QEMU reports what it has, the client chose nothing. "
            + "One finding per reply, at its first mismatch, counting the others: a reply from another release "
            + "differs in many places at once.",
        triggering: [
            #"{"execute": "query-status", "id": "7"} {"return": ↓{"running": true}, "id": "7"}"#,
            #"{"execute": "query-status", "id": "7"} {"return": ↓{}, "id": "7"}"#,
            #"{"execute": "query-status", "id": "7"} {"return": {"running": true, "status": ↓"sleeping"}, "id": "7"}"#,
        ],
        nonTriggering: [
            #"{"execute": "query-status", "id": "7"} {"return": {"running": true, "status": "running"}, "id": "7"}"#,
            #"{"execute": "cont", "id": "8"} {"return": {}, "id": "8"}"#,
        ])

    public static let claims: [(Observation.Kind, Set<MessageKind>)] = [
        (.missingMember, [.reply]), (.unexpectedMember, [.reply]), (.memberOfNothing, [.reply]),
        (.typeMismatch, [.reply]), (.dataOfNothing, [.reply]), (.enumValue, [.reply]), (.integerRange, [.reply]),
    ]

    public static func message(for observation: Observation, in context: FindingContext) -> String {
        let what: String
        var hint = ""
        switch observation {
        case .missingMember(let name, let type, let owner, let h):
            what = "missing required member \"\(name)\" (\(type)) of \(owner)"
            hint = h
        case .unexpectedMember(let key, let owner, let suggestion):
            what = "member \"\(key)\" is not defined by \(owner)"
            hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? ""
        case .memberOfNothing(let key, let name):
            what = "member \"\(key)\" is unexpected: \(name) returns nothing ({})"
        case .typeMismatch(let expected, let got, _):
            what = "expected \(expected), got \(got)"
        case .dataOfNothing(_, let got):
            what = "returns nothing ({}); got \(got)"
        case .enumValue(let value, let type, let h):
            what = "\"\(value)\" is not a value of \(type)"
            hint = h
        case .integerRange(let text, let type, let lo, let hi):
            what = "\(text) is outside the range of \(type) (\(lo) to \(hi))"
        default:
            what = ""
        }
        return context.standAlone(what, hint: hint)
    }

    /// Folds the findings of one reply (from index `from` of `findings`) into one: the first
    /// mismatch, and how many more with the first few of them.
    static func fold(_ findings: inout [RawFinding], from: Int) {
        let id = description.id
        let mine = findings.indices.filter { $0 >= from && findings[$0].rule == id }
        guard mine.count > 1, let first = mine.first else { return }
        var f = findings[first]
        // The others without their command name (the first names it): `/return/b: ...`.
        let prefix = f.message.range(of: " /").map { String(f.message[..<$0.lowerBound]) + " " } ?? ""
        let others = mine.dropFirst().prefix(3).map { i -> String in
            let m = findings[i].message
            return m.hasPrefix(prefix) ? String(m.dropFirst(prefix.count)) : m
        }
        f.message += " (and \(mine.count - 1) more: " + others.joined(separator: "; ")
            + (mine.count > 4 ? "; ..." : "") + ")"
        findings[first] = f
        let drop = Set(mine.dropFirst())
        var kept: [RawFinding] = Array(findings[..<from])
        for i in from..<findings.count where !drop.contains(i) { kept.append(findings[i]) }
        findings = kept
    }
}
