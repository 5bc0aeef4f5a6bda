/// What a QMP message is: the four things that travel on a QMP connection.
public enum MessageKind: String, Sendable, CaseIterable, Comparable {
    /// `{"event": ..., "timestamp": ..., "data"?: ...}` from QEMU (or a virsh event record).
    case event
    /// `{"execute"|"exec-oob": ..., "arguments"?: ..., "id"?: ...}` from a client.
    case command
    /// `{"return": ...}` or `{"error": {"class", "desc"}}` from QEMU, with the command's `id`.
    case reply
    /// `{"QMP": {"version": ..., "capabilities": ...}}`: QEMU's first words on a connection.
    case greeting

    public static func < (a: MessageKind, b: MessageKind) -> Bool { a.order < b.order }
    var order: Int {
        switch self {
        case .event: 0
        case .command: 1
        case .reply: 2
        case .greeting: 3
        }
    }
}

/// A set of message kinds, as bits (what a log record may carry).
public struct MessageKinds: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ kind: MessageKind) { rawValue = 1 << UInt8(kind.order) }
    public static let event = MessageKinds(.event)
    public static let command = MessageKinds(.command)
    public static let reply = MessageKinds(.reply)
    public static let greeting = MessageKinds(.greeting)
    public static let all: MessageKinds = [.event, .command, .reply, .greeting]
    @inline(__always) public func contains(_ kind: MessageKind) -> Bool { rawValue & (1 << UInt8(kind.order)) != 0 }
}

/// The QEMU timestamp of an event whose envelope is not JSON (virsh lines).
public enum RecordTimestamp: Sendable, Equatable {
    /// `at SECONDS.MICROS` (seconds -1: QEMU sent none).
    case given(seconds: Int64, microseconds: Int64)
    /// virsh --timestamp: libvirt's clock replaced QEMU's; nothing to check.
    case hostClock
}

/// The connection a message travelled on, as the log names it.
public struct StreamKey: Hashable, Sendable, Comparable {
    public enum Kind: UInt8, Sendable, Comparable {
        /// The input's own connection (a raw transcript, test output): no name in the text.
        case transcript
        /// A libvirt monitor, `mon=0x7f...`.
        case monitor
        /// A virsh domain.
        case domain

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }
    public var kind: Kind
    /// The monitor address or domain name as written; empty for `.transcript`.
    public var name: String

    public init(kind: Kind, name: String) { self.kind = kind; self.name = name }
    public static let transcript = StreamKey(kind: .transcript, name: "")

    /// How reports name the stream: `mon=0x7f..`, `domain vm1`, or "" for the transcript.
    public var label: String {
        switch kind {
        case .transcript: ""
        case .monitor: "mon=" + name
        case .domain: "domain " + name
        }
    }

    public static func < (a: StreamKey, b: StreamKey) -> Bool { (a.kind, a.name) < (b.kind, b.name) }
}

/// A message the extractor found and parsed. Offsets are in the extraction text (see
/// `ExtractionText`); the tape is valid only during the sink call.
public struct ExtractedMessage {
    public enum Envelope {
        /// A JSON object at tape index `root`.
        case json(root: Int)
        /// A virsh event record: name from the text, `data` = tape index of the details object
        /// (nil for `<null>`).
        case virsh(name: String, nameOffset: Int, data: Int?, timestamp: RecordTimestamp)
    }
    public var kind: MessageKind
    public var envelope: Envelope
    /// The log shape it was found in.
    public var dialect: DialectID
    /// Where the message's text starts (its `{`, or a virsh record's first byte) and ends.
    public var start: Int
    public var end: Int
    /// The stream the text names: the monitor address or the virsh domain, as a byte range of
    /// the extraction text; nil when the dialect names none (the input's own stream).
    public var stream: Range<Int>?
    /// A command object that also carries its reply (`qmp-shell -l` logs write them merged).
    public var carriesReply: Bool
    /// The libvirt record that carried it, when one did (the reducer tells echoes apart).
    public var record: LibvirtRecord?
    /// Event markers inside it: its own top-level `event` key (0 or 1), and the others.
    public var markers: (event: Int, inner: Int)
}

/// The libvirt debug records that carry QMP text.
public enum LibvirtRecord: UInt8, Sendable {
    /// `QEMU_MONITOR_SEND_MSG: mon=.. msg=`: a command as libvirt queues it.
    case sendMsg
    /// `QEMU_MONITOR_IO_WRITE: mon=.. buf=`: the command's bytes as written (repeats SEND_MSG).
    case ioWrite
    /// `QEMU_MONITOR_IO_PROCESS: mon=.. buf=`: QEMU's raw text as read (older libvirt).
    case ioProcess
    /// `Line [...]`: one line of QEMU's text (debug level).
    case line
    /// `QEMU_MONITOR_RECV_EVENT: mon=.. event=`.
    case recvEvent
    /// `QEMU_MONITOR_RECV_REPLY: mon=.. reply=`.
    case recvReply

    /// The records whose copy of the same text, shortly before in the same stream, makes this
    /// record an echo (the first copy is the one counted).
    public var echoes: [LibvirtRecord] {
        switch self {
        case .sendMsg, .ioProcess: []
        case .ioWrite: [.sendMsg]
        case .line: [.ioProcess]
        case .recvEvent, .recvReply: [.ioProcess, .line]
        }
    }
}

/// QMP-like text that could not be parsed.
public struct MalformedMessage {
    /// What the text was going to be, from its top-level keys.
    public var kind: MessageKind
    public var dialect: DialectID
    public var start: Int
    /// Offset of the fault.
    public var fault: Int
    public var message: String
    /// The event's (or command's) name when it can still be read.
    public var name: String?
    public var end: Int
    /// As for `ExtractedMessage`.
    public var stream: Range<Int>?
    public var record: LibvirtRecord?
    /// Event markers inside it.
    public var markers: Int
}

/// Where one occurrence of an event marker (`"event"`, `'event'`, `\"event\"` or a virsh
/// `event NAME` record) ended up. Every marker of the input ends in exactly one bucket.
public enum MarkerBucket: String, Sendable, CaseIterable {
    /// The top-level `event` member of a parsed event, or a virsh record.
    case events
    /// Inside event text that could not be parsed (reported as `malformed-json`).
    case malformed
    /// A repeated copy of a message already counted (libvirt's `Line [...]`, `IO_PROCESS` echoes).
    case echoes
    /// Explained as not an event: nested objects, strings, commands, replies, schema entries,
    /// prose that mentions the word.
    case notEvents
    /// Looks like event text (`"event":` outside anything parsed) but no message could be
    /// made of it: reported as `unparsed-event-text`, never silent.
    case unparsed

    /// The JSON report's key.
    public var key: String {
        switch self {
        case .events: "events"
        case .malformed: "malformed"
        case .echoes: "echoes"
        case .notEvents: "notEvents"
        case .unparsed: "unparsed"
        }
    }
}

/// Counts of markers per bucket.
public struct MarkerCounts: Sendable, Equatable {
    public var events = 0, malformed = 0, echoes = 0, notEvents = 0, unparsed = 0
    public init() {}
    public subscript(bucket: MarkerBucket) -> Int {
        get {
            switch bucket {
            case .events: events
            case .malformed: malformed
            case .echoes: echoes
            case .notEvents: notEvents
            case .unparsed: unparsed
            }
        }
        set {
            switch bucket {
            case .events: events = newValue
            case .malformed: malformed = newValue
            case .echoes: echoes = newValue
            case .notEvents: notEvents = newValue
            case .unparsed: unparsed = newValue
            }
        }
    }
    public var total: Int { events + malformed + echoes + notEvents + unparsed }
    public static func += (a: inout MarkerCounts, b: MarkerCounts) {
        a.events += b.events; a.malformed += b.malformed; a.echoes += b.echoes
        a.notEvents += b.notEvents; a.unparsed += b.unparsed
    }
}
