/// What the stateful rules learn from one event: its stream, time, and the few data members
/// they read. Built by the pipeline for every event; kept only while it is analysed.
public struct StreamEvent {
    public var name: String
    /// The monitor or domain the text names (`mon=0x7f..`, `domain vm1`); nil: the file's own stream.
    public var key: String?
    /// The event's QEMU timestamp; nil when absent, filtered, or replaced by a host clock.
    public var time: EventTime?
    /// `data` members the rules read (job id, status, device, node-name, ...), by member name.
    public var members: [String: String]
    public init(name: String, key: String?, time: EventTime?, members: [String: String] = [:]) {
        self.name = name
        self.key = key
        self.time = time
        self.members = members
    }

    /// The `data` members the stateful rules read, per event name (nil: none).
    public static func membersRead(by name: String) -> [String]? {
        switch name {
        case "JOB_STATUS_CHANGE": ["id", "status"]
        case "BLOCK_JOB_READY", "BLOCK_JOB_PENDING", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED": ["device"]
        case "QUORUM_REPORT_BAD": ["node-name"]
        case "VSERPORT_CHANGE": ["id"]
        case "MEMORY_DEVICE_SIZE_CHANGE", "BLOCK_IO_ERROR": ["qom-path"]
        case "DEVICE_DELETED", "DEVICE_UNPLUG_GUEST_ERROR", "MEM_UNPLUG_ERROR": ["device", "path"]
        default: nil
        }
    }
}

/// Where a stateful finding points, captured when its event or command was read (lines are
/// relative to the range of the input being read, shifted when ranges are merged).
public struct StreamSite: Sendable {
    public var line: Int
    public var column: Int
    public var eventLine: Int
    public var event: String?
    public var eventHash: String
    public var sourceLine: String
    /// The event already has an error-level finding (it counts as invalid once).
    public var invalid: Bool
    /// Where `sourceLine` starts in the line, and whether the line goes on after it
    /// (`ReportFinding.sourceLineStart`, `sourceLineTruncated`).
    public var sourceLineStart = 1
    public var sourceLineTruncated = false
}

/// A finding's stream, before session numbers are known: the stream key (index into the
/// range's key table, -1: none) and the session number counted within the range.
public struct StreamRef: Sendable, Equatable {
    public var key: Int32
    public var session: Int32
    public static let none = StreamRef(key: -1, session: 0)
}

/// The stream a finding names: the monitor or domain, and the QEMU session within it.
public enum StreamName {
    public static func make(key: String, session: Int) -> String {
        if key.isEmpty { return "session \(session)" }
        return session == 1 ? key : "\(key) session \(session)"
    }
}
