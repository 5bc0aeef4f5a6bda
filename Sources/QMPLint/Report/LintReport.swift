/// One finding as reported: located in a file, sorted by (file, line, column, rule).
public struct ReportFinding: Sendable, Equatable {
    /// Path as given on the command line, relative to the current directory when possible.
    public var file: String
    /// 1-based line and column (column in bytes, 1-based) of the offending value.
    public var line: Int
    public var column: Int
    /// 1-based line where the event's text starts (the `{`, or the start of a virsh record).
    public var eventLine: Int
    /// The event name when known (also for unknown events), nil for malformed text without one.
    /// For a command, the command's name; for a reply, the name of the command it answers.
    public var event: String?
    /// What the finding is about: an event, a command, a reply or a greeting (malformed text
    /// by what it was read as); nil for text that is no parsed message (`unparsed-event-text`).
    public var kind: MessageKind?
    public var rule: String
    public var severity: Severity
    public var message: String
    /// JSON Pointer into the event (`/data/info/slot-type`), "" when none.
    public var pointer: String
    /// Stable content hash of the event text (hex), for baselines and fingerprints.
    public var eventHash: String
    /// The text of the line `line` (for the caret display), or of a window of it around
    /// `column` when the line is long (see `sourceLineStart`); may be empty.
    public var sourceLine: String
    /// The 1-based byte column of line `line` where `sourceLine` starts: 1 when it holds the
    /// line from its beginning, more when it is a window into a long line.
    public var sourceLineStart: Int
    /// Whether line `line` goes on after `sourceLine`.
    public var sourceLineTruncated: Bool
    /// The stream (QEMU monitor session) the event belongs to, when known: `mon=0x7f..` of a
    /// libvirt log, `domain vm1` of virsh output, `session N` of a raw transcript; later sessions
    /// of the same monitor add ` session N`.
    public var stream: String?

    public init(file: String, line: Int, column: Int, eventLine: Int, event: String?, rule: String,
                severity: Severity, message: String, pointer: String, eventHash: String, sourceLine: String,
                stream: String? = nil, sourceLineStart: Int = 1, sourceLineTruncated: Bool = false,
                kind: MessageKind? = nil) {
        self.file = file; self.line = line; self.column = column; self.eventLine = eventLine; self.kind = kind
        self.event = event; self.rule = rule; self.severity = severity; self.message = message
        self.pointer = pointer; self.eventHash = eventHash; self.sourceLine = sourceLine; self.stream = stream
        self.sourceLineStart = sourceLineStart; self.sourceLineTruncated = sourceLineTruncated
    }

    /// Whether `a` and `b` are about the same event (or malformed object): same file, same
    /// first line, same content hash.
    public static func sameEvent(_ a: ReportFinding, _ b: ReportFinding) -> Bool {
        a.eventLine == b.eventLine && a.eventHash == b.eventHash && a.file == b.file
    }

    /// The runs of `findings` (in report order) that concern one event each, as index ranges:
    /// the findings a reader wants to see together (six misplaced members of one object).
    public static func eventGroups(_ findings: ArraySlice<ReportFinding>) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = findings.startIndex
        while start < findings.endIndex {
            var end = start + 1
            while end < findings.endIndex && sameEvent(findings[start], findings[end]) { end += 1 }
            groups.append(start..<end)
            start = end
        }
        return groups
    }

    /// The report order: file, line, column, rule, then message.
    public static func ordered(_ a: ReportFinding, _ b: ReportFinding) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.message < b.message
    }

    /// `findings` in report order (`ordered`; ties keep their order). Findings are large values:
    /// their indices are sorted, not the findings, and a list already in order is returned as is
    /// (one file's findings usually are, but for its stateful findings).
    public static func sorted(_ findings: [ReportFinding]) -> [ReportFinding] {
        findings.withUnsafeBufferPointer { b in
            var inOrder = true
            var i = 1
            while i < b.count {
                if ordered(b[i], b[i - 1]) { inOrder = false; break }
                i += 1
            }
            if inOrder { return findings }
            var order = Array(0..<b.count)
            order.sort { x, y in ordered(b[x], b[y]) || (!ordered(b[y], b[x]) && x < y) }
            return order.map { b[$0] }
        }
    }
}

/// Per event name: how many were seen, how many had an error-level finding, and how many of
/// those could not be parsed.
public struct EventCount: Sendable, Equatable {
    /// Every occurrence: parsed events and malformed text that names the event.
    public var total: Int = 0
    /// Occurrences with an error-level finding, malformed ones included.
    public var invalid: Int = 0
    /// Occurrences that could not be parsed (`malformed-json`).
    public var malformed: Int = 0
    public init(total: Int = 0, invalid: Int = 0, malformed: Int = 0) {
        self.total = total; self.invalid = invalid; self.malformed = malformed
    }

    /// Adds `b`'s counts to `a`'s (summing inputs, merging reports).
    public static func += (a: inout EventCount, b: EventCount) {
        a.total += b.total
        a.invalid += b.invalid
        a.malformed += b.malformed
    }
}

/// A QMP timestamp (seconds, microseconds since the epoch).
public struct EventTime: Sendable, Equatable, Comparable {
    public var seconds: Int64
    public var microseconds: Int64
    public init(seconds: Int64, microseconds: Int64) { self.seconds = seconds; self.microseconds = microseconds }
    public static func < (a: EventTime, b: EventTime) -> Bool {
        (a.seconds, a.microseconds) < (b.seconds, b.microseconds)
    }
}

/// One event as the timeline formats show it: where it is, what it is, when QEMU sent it.
/// Recorded only when a format asks for it (`Reporter.needsEvents`), up to `EventTimeline.cap`.
public struct ReportEvent: Sendable, Equatable {
    /// The file, as in `ReportFinding.file`.
    public var file: String
    /// 1-based line where the event's text starts (`ReportFinding.eventLine` of its findings).
    public var line: Int
    /// The event name as written (unknown names included).
    public var name: String
    /// The QEMU timestamp; nil when absent, filtered or negative.
    public var time: EventTime?
    /// The stream, named as `ReportFinding.stream`.
    public var stream: String?
    /// A short view of the data members (`status=running id=job0`), nil when there are none.
    public var data: String?
    public init(file: String, line: Int, name: String, time: EventTime?, stream: String?, data: String? = nil) {
        self.file = file; self.line = line; self.name = name; self.time = time; self.stream = stream
        self.data = data
    }
}

/// The events of a run, one record each, for the timeline formats: files in report order,
/// each file's events in text order. At most `cap` are kept (the first ones in input order,
/// whatever `--jobs` is); the others are counted in `omitted`.
public struct EventTimeline: Sendable, Equatable {
    /// Events kept by default: memory stays bounded (about 100 bytes each) on huge inputs.
    public static let defaultCap = 200_000
    public var events: [ReportEvent]
    /// Events seen but not recorded (past the cap).
    public var omitted: Int
    public var cap: Int
    public init(events: [ReportEvent] = [], omitted: Int = 0, cap: Int = EventTimeline.defaultCap) {
        self.events = events; self.omitted = omitted; self.cap = cap
    }
}

/// Which schema validated a file, and why that one.
public struct SchemaChoice: Sendable, Hashable {
    /// e.g. `qemu-10.2.0`, or a schema file's name.
    public var name: String
    /// e.g. "default (newest built-in release)", "--qemu-version 8.2", "QMP greeting: QEMU 8.2.0 (line 1)".
    public var reason: String
    public init(name: String, reason: String) { self.name = name; self.reason = reason }
}

/// Everything learned about one input file.
public struct FileSummary: Sendable, Equatable {
    public var path: String
    public var bytes: Int = 0
    public var lines: Int = 0
    /// Parsed events (valid or not), one per emission.
    public var events: Int = 0
    /// Event-like text that could not be parsed.
    public var malformed: Int = 0
    /// Events with at least one error-level finding (malformed ones not included).
    public var invalidEvents: Int = 0
    /// Commands, replies (a qmp-shell object holding both counts as one of each) and greetings
    /// found, each once: copies libvirt logged again are counted in `echoes` instead.
    public var commands: Int = 0
    public var replies: Int = 0
    public var greetings: Int = 0
    /// Replies that are errors (`{"error": ...}`).
    public var errorReplies: Int = 0
    /// Copies of messages logged again (a libvirt `Line [...]` record and its monitor record).
    public var echoes: Int = 0
    /// Per command name as written: sent, answered with an error, invalid.
    public var commandsByName: [String: CommandCount] = [:]
    /// Where every event marker of the input ended up: the buckets add up to every `"event"`
    /// (`'event'`, `\"event\"`) marker and virsh event record of the input.
    public var markers = MarkerCounts()
    /// Messages found per log shape (`DialectID` raw value), shapes that found none left out.
    public var dialects: [String: Int] = [:]
    public var errors: Int = 0
    public var warnings: Int = 0
    public var notes: Int = 0
    public var schema: SchemaChoice?
    /// Per stream, the release version inference chose (empty when the release was known).
    public var versions: [StreamVersion] = []
    public var firstEvent: EventTime?
    public var lastEvent: EventTime?
    /// Set when the input could not be read (wholly or partly): the reason, with the place.
    public var readError: String?
    /// What reading the input found worth telling that is not a read error (decoded as UTF-16,
    /// binary data, trailing garbage after a gzip member); shown on standard error, not in reports.
    public var notices: [InputNotice] = []
    public init(path: String) { self.path = path }
}

/// Totals over all inputs.
public struct ReportSummary: Sendable, Equatable {
    public var files: Int = 0
    public var bytes: Int = 0
    public var lines: Int = 0
    public var events: Int = 0
    public var malformed: Int = 0
    public var invalidEvents: Int = 0
    /// Per event name as written (unknown names included).
    public var eventsByName: [String: EventCount] = [:]
    /// Commands, replies, greetings, error replies and echoes over all inputs (`FileSummary`).
    public var commands: Int = 0
    public var replies: Int = 0
    public var greetings: Int = 0
    public var errorReplies: Int = 0
    public var echoes: Int = 0
    /// Per command name as written: sent, answered with an error, invalid.
    public var commandsByName: [String: CommandCount] = [:]
    /// Where every event marker of every input ended up.
    public var markers = MarkerCounts()
    public var findingsByRule: [String: Int] = [:]
    public var errors: Int = 0
    public var warnings: Int = 0
    public var notes: Int = 0
    /// Inputs that could not be read.
    public var unreadableFiles: Int = 0
    public var firstEvent: EventTime?
    public var lastEvent: EventTime?
    public init() {}
}

/// The whole result of a run, as every reporter sees it. Deterministic: files sorted by path,
/// findings by `ReportFinding.ordered`.
public struct LintReport: Sendable, Equatable {
    public static let reportVersion = 1
    public var toolName = "qmp-lint"
    public var toolVersion: String
    /// The run's default schema: the one `--schema` / `--qemu-version` named, else the newest
    /// built-in release. A file whose head names its QEMU uses another (`FileSummary.schema`;
    /// `schemasUsed` sums them up).
    public var schema: SchemaChoice
    public var summary: ReportSummary
    public var files: [FileSummary]
    public var findings: [ReportFinding]
    /// One record per event, when a format that shows them was asked for; nil otherwise (the
    /// default: reports hold counts only) and for merged reports.
    public var timeline: EventTimeline?
    public init(toolVersion: String, schema: SchemaChoice, summary: ReportSummary,
                files: [FileSummary], findings: [ReportFinding]) {
        self.toolVersion = toolVersion; self.schema = schema; self.summary = summary
        self.files = files; self.findings = findings
    }

    /// The schemas the files were checked against, each once (in file order) with how many files
    /// used it; the default `schema` alone when no file names one.
    public var schemasUsed: [(choice: SchemaChoice, files: Int)] {
        var order: [SchemaChoice] = []
        var files: [SchemaChoice: Int] = [:]
        for f in self.files {
            guard let c = f.schema else { continue }
            if files[c] == nil { order.append(c) }
            files[c, default: 0] += 1
        }
        if order.isEmpty { return [(schema, 0)] }
        return order.map { ($0, files[$0]!) }
    }
}
