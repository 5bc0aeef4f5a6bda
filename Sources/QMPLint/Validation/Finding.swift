public enum Severity: String, Sendable, Comparable, CaseIterable {
    case note, warning, error
    var rank: Int { switch self { case .note: 0; case .warning: 1; case .error: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A problem found in one message, located by byte offset in the buffer the message was parsed
/// from. The chunk reader turns offsets into file/line/column.
public struct RawFinding: Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var message: String
    /// JSON Pointer into the message object (`/data/info/slot-type`), "" for the whole message.
    public var pointer: String
    /// Byte offset of the offending value (or of the message's start when there is none).
    public var offset: Int
    /// How many findings this one stands for: more than 1 for the one that closes a message's
    /// listing (`Walk.listLimit`), which counts the findings past it.
    public var count = 1
    public init(rule: String, severity: Severity, message: String, pointer: String, offset: Int, count: Int = 1) {
        self.rule = rule; self.severity = severity; self.message = message
        self.pointer = pointer; self.offset = offset; self.count = count
    }
}
