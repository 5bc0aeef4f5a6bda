/// What a stream rule sees of one message: its kind, name, time, the few members rules read,
/// and for a reply the command it answers. Made by the reducer, in text order.
public struct StreamMessage {
    public var kind: MessageKind
    /// Event or command name ("" for replies and greetings).
    public var name: String
    /// The stream the message belongs to.
    public var stream: StreamKey
    /// The event's QEMU timestamp; nil when absent, filtered, or replaced by a host clock.
    public var time: EventTime?
    /// String members of `data` (events) or `arguments` (commands) that stream rules asked for
    /// (`StreamInterest.members`), by name.
    public var members: [String: String]
    /// For a reply: the name of the command it answers, when known.
    public var answers: String?
    /// For a reply: it is an error, and its class (`GenericError`, `CommandNotFound`, ...).
    public var isError: Bool
    public var errorClass: String?
    /// A command's or reply's `id`, as written (JSON text: `"libvirt-12"` with its quotes, `7`).
    public var id: String?
    /// A command sent with `exec-oob`.
    public var outOfBand: Bool
    /// When the log recorded the message (a libvirt debug record's or `virsh --timestamp`'s
    /// time), nil when the log gives none. Not set by the reducer yet (see `SlowCommandRule`).
    public var recordTime: EventTime?

    /// Where a finding about this message points (made only when asked).
    public var site: StreamSite { source.site() }
    /// The line the message starts on (cheap: no site is made).
    public var line: Int { source.line }
    let source: SiteSource

    init(kind: MessageKind, name: String, stream: StreamKey, time: EventTime?, members: [String: String],
         answers: String? = nil, isError: Bool = false, errorClass: String? = nil, id: String? = nil,
         outOfBand: Bool = false, recordTime: EventTime? = nil, source: SiteSource) {
        self.kind = kind; self.name = name; self.stream = stream; self.time = time; self.members = members
        self.answers = answers; self.isError = isError; self.errorClass = errorClass; self.id = id
        self.outOfBand = outOfBand; self.recordTime = recordTime; self.source = source
    }
}

/// Makes the site of the message being shown to the stream rules (once, when a rule asks):
/// its place and line text, read from the chunk's buffer while it is still held.
final class SiteSource {
    var buffer = UnsafeRawBufferPointer(start: nil, count: 0)
    var start = 0, end = 0, line = 0
    var event: String?
    var invalid = false
    var kind: MessageKind?
    var captureSourceLines = true
    private var made: StreamSite?
    private var lines = SourceLineCapture()

    /// A new chunk's buffer: lines found in the last one are forgotten.
    func newBuffer() { lines.invalidate() }

    func reset(buffer: UnsafeRawBufferPointer, start: Int, end: Int, line: Int, event: String?, invalid: Bool,
               kind: MessageKind? = nil) {
        self.buffer = buffer; self.start = start; self.end = end; self.line = line
        self.event = event; self.invalid = invalid; self.kind = kind
        made = nil
    }

    func site() -> StreamSite {
        if let made { return made }
        let start = min(self.start, max(0, buffer.count - 1))
        lines.enabled = captureSourceLines
        let x = lines.excerpt(buffer, at: start)
        let hash = StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[start..<min(max(end, start), buffer.count)]))
        let s = StreamSite(line: line, column: start - x.lineStart + 1, eventLine: line, event: event, eventHash: hash,
                           sourceLine: x.text, invalid: invalid, sourceLineStart: x.start,
                           sourceLineTruncated: x.truncated, kind: kind)
        made = s
        return s
    }
}

/// Where a stream finding points, captured when its message was read.
public struct StreamSite: Sendable {
    public var line: Int
    public var column: Int
    public var eventLine: Int
    public var event: String?
    public var eventHash: String
    public var sourceLine: String
    /// The message already has an error-level finding (it counts as invalid once).
    public var invalid: Bool
    /// Where `sourceLine` starts in the line, and whether the line goes on after it
    /// (`ReportFinding.sourceLineStart`, `sourceLineTruncated`).
    public var sourceLineStart = 1
    public var sourceLineTruncated = false
    /// The kind of the message (`ReportFinding.kind`).
    public var kind: MessageKind?
}

/// The findings stream rules make while one message (or the end of a session) is shown to them.
public struct StreamFindings {
    struct Item {
        var rule: Int
        var message: String
        var site: StreamSite
    }
    var items: [Item] = []
    /// The rule being run (index in `RuleRegistry.all`), set by the reducer.
    var rule = 0

    /// A finding of the rule being run, at `site`.
    public mutating func report(_ message: String, at site: StreamSite) {
        items.append(Item(rule: rule, message: message, site: site))
    }
}

/// The stream a finding names: the monitor or domain, and the QEMU session within it.
public enum StreamName {
    public static func make(key: StreamKey, session: Int) -> String {
        let label = key.label
        if label.isEmpty { return "session \(session)" }
        return session == 1 ? label : "\(label) session \(session)"
    }
}

extension EventTime {
    /// The time from `b` to `a`, in seconds with six decimals (`0.620000 s`).
    static func seconds(_ a: EventTime, _ b: EventTime) -> String {
        let us = (a.seconds - b.seconds) * 1_000_000 + (a.microseconds - b.microseconds)
        let whole = us / 1_000_000
        let frac = abs(us % 1_000_000)
        var f = String(frac)
        while f.count < 6 { f = "0" + f }
        return "\(us < 0 && whole == 0 ? "-" : "")\(whole).\(f) s"
    }
}
