/// Checks one extracted event and says what it is: the validation stage as the pipeline sees it.
public protocol EventChecker {
    /// Appends findings for the event; returns its name as written (nil when it has none).
    mutating func check(_ event: ExtractedEvent, tape: JSONTape, findings: inout [RawFinding]) -> String?
    /// The severity findings of `rule` get (configuration may change it); nil when the rule is off.
    func severity(of rule: String) -> Severity?
}

extension EventChecker {
    public func severity(of rule: String) -> Severity? { RuleCatalog.rule(id: rule)?.severity }
}
