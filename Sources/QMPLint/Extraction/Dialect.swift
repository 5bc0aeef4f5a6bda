/// A log shape QMP messages are found in: one declaration each (one file under `Dialects/`),
/// with how it reads a unit of log text, and samples that prove it (each sample is a test:
/// `DialectSampleTests` runs the extractor on it and compares the messages found).
///
/// The extractor offers each unit to the dialects in `Dialects.all` order; the first that
/// reads it wins (record formats before the catch-all JSON reading), like lnav's formats.
public protocol Dialect: Sendable {
    static var id: DialectID { get }
    /// One line for documentation.
    static var summary: String { get }
    /// Sample inputs and the messages each holds, in text order.
    static var samples: [DialectSample] { get }
    /// Reads the unit when it is of this shape (reporting what it holds through `reader`);
    /// returns false to let the next dialect try.
    static func read(_ reader: inout UnitReader) -> Bool
}

/// The identifier of a dialect (messages found are counted per dialect and input:
/// `FileResult.dialects`).
public enum DialectID: String, Sendable, CaseIterable, Comparable {
    case jsonLogRecord = "json-log-record"
    case libvirtMonitor = "libvirt-monitor"
    case virshEvent = "virsh-event"
    case qmpJSON = "qmp-json"

    public static func < (a: DialectID, b: DialectID) -> Bool { a.rawValue < b.rawValue }

    /// Position in `allCases`.
    public var index: Int {
        switch self {
        case .jsonLogRecord: 0
        case .libvirtMonitor: 1
        case .virshEvent: 2
        case .qmpJSON: 3
        }
    }
}

/// A sample of a dialect: text and the messages it holds (`kind name`, e.g. `event STOP`,
/// `command query-status`, `reply`, `greeting`), in text order.
public struct DialectSample: Sendable {
    public var text: String
    public var messages: [String]
    public init(_ text: String, _ messages: [String]) { self.text = text; self.messages = messages }
}

/// Every dialect, in the order the extractor offers units to them.
public enum Dialects {
    public static let all: [any Dialect.Type] = [
        JSONLogRecordDialect.self,
        LibvirtMonitorDialect.self,
        VirshEventDialect.self,
        QMPJSONDialect.self,
    ]
}
