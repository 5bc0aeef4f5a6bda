/// Checks one extracted event and says what it is: the validation stage as the pipeline sees it.
public protocol EventChecker {
    /// Appends findings for the event; returns its name as written (nil when it has none).
    mutating func check(_ event: ExtractedEvent, tape: JSONTape, findings: inout [RawFinding]) -> String?
}
