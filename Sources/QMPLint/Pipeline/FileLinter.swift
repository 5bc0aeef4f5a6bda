#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one input produced: its summary, findings, and counts of everything the extractor saw.
public struct FileResult: Sendable {
    public var summary: FileSummary
    public var findings: [ReportFinding] = []
    public var eventsByName: [String: EventCount] = [:]
    public var findingsByRule: [String: Int] = [:]
    public var markers: [MarkerBucket: Int] = [:]
    /// Newline bytes read (ranges of one file add up; `summary.lines` adds a last unterminated line).
    public var newlines = 0
    /// Findings counted in the totals but not listed, past `FileLinter.Options.maxFindings`.
    public var omittedFindings = 0
    public var nonEvents: [NonEventKind: Int] = [:]
    /// One record per event, in text order, when events are recorded (`Options.eventBudget`);
    /// streams are named when the ranges of the input are merged.
    public var timeline: [ReportEvent] = []
    /// Per recorded event (until streams are resolved): its stream within the range read.
    var timelineRefs: [StreamRef] = []
    /// Per finding (until streams are resolved): its stream within the range read.
    var streamRefs: [StreamRef] = []
    /// The stateful rules' view of the range read, until it is merged (`resolveStreams`).
    var streamAnalysis: StreamAnalysis?
    /// Stream state after the ranges merged so far.
    var streamCarry = StreamCarry()
    /// `FileLinter.Options.maxFindings` of the run.
    var maxFindings = Int.max
    public init(path: String) { summary = FileSummary(path: path) }
}

/// The bounds and text of the line of the last stream site (shared with the sites' closures).
final class SiteLineCache {
    var capture = SourceLineCapture()
}

/// Input buffers mapped straight from the kernel and returned to it when done, so worker
/// threads never grow the heap (glibc keeps freed multi-megabyte blocks otherwise).
enum PageBuffer {
    static func allocate(_ size: Int) -> UnsafeMutableRawBufferPointer {
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: cannot map a \(size >> 20) MiB input buffer")
        }
        return UnsafeMutableRawBufferPointer(start: p, count: size)
    }
    static func free(_ b: UnsafeMutableRawBufferPointer) {
        munmap(b.baseAddress, b.count)
    }
}

/// Chooses the checker (the schema) for one input from its first bytes.
public protocol CheckerProvider: Sendable {
    associatedtype Checker: EventChecker
    /// The checker for `path`, whose first bytes are `head`, and the schema choice to report.
    func checker(path: String, head: UnsafeRawBufferPointer) -> (Checker, SchemaChoice)
}

/// Reads one input in bounded memory and runs extraction and validation over it.
public struct FileLinter<Provider: CheckerProvider> {
    public typealias Checker = Provider.Checker
    public struct Options: Sendable {
        /// Initial buffer size; grows (up to `maxBuffer`) only for objects longer than it.
        public var bufferSize = 2 << 20
        public var maxBuffer = 64 << 20
        /// Bytes kept before the unprocessed part, for look-back (echo detection).
        public var history = 64 << 10
        public var extractor = EventExtractor.Options()
        /// Findings listed per input at most (the totals still count every one): bounds memory
        /// on inputs crafted to produce millions.
        public var maxFindings = 100_000
        /// Keep the text of each finding's line (the text, SARIF and JUnit formats show it).
        public var captureSourceLines = true
        /// Told of every byte read, for the progress bar.
        public var progress: ProgressCounter?
        /// Set to record every event (for the timeline formats), within this budget; nil
        /// (the default) keeps counts only.
        public var eventBudget: EventBudget?
        /// For a range of a split input: the listing budget shared by the input's ranges (a range
        /// stops listing findings once the ranges before it have listed `maxFindings`) and this
        /// range's index among them.
        public var findingBudget: EventBudget?
        public var findingBudgetItem = 0
        /// The index of this input (or range) in the run's order, for `eventBudget`.
        public var eventBudgetItem = 0
        public init() {}
    }

    public var options: Options
    public let provider: Provider

    public init(provider: Provider, options: Options = Options()) {
        self.provider = provider
        self.options = options
    }

    /// Lints `source`, reporting paths as `displayPath`. The first `history` bytes are context
    /// before the part to lint (read for look-back, not linted or counted).
    ///
    /// `head`: the first bytes of the whole input when `source` is a later range of it (the
    /// schema is chosen from them); nil to use the first bytes read.
    public mutating func lint(_ source: inout any ByteSource, displayPath: String, history: Int = 0,
                              path: String? = nil, head: UnsafeRawBufferPointer? = nil) -> FileResult {
        var sink: Sink! = nil
        var extractor = EventExtractor(options: options.extractor)
        var cap = options.bufferSize
        var buf = PageBuffer.allocate(cap)
        defer { PageBuffer.free(buf) }
        var dataEnd = 0
        var processFrom = 0
        var atEOF = false
        var totalBytes = 0
        var lastByte: UInt8 = 0x0A
        var readError: InputError?
        var pendingHistory = history

        while true {
            // Fill the buffer.
            while !atEOF && dataEnd < cap {
                do {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buf[dataEnd..<cap]))
                    if n == 0 { atEOF = true; break }
                    dataEnd += n
                    totalBytes += n
                    options.progress?.add(bytes: n)
                    lastByte = buf[dataEnd - 1]
                } catch {
                    readError = error
                    atEOF = true
                }
            }
            if sink == nil {
                let h = min(pendingHistory, dataEnd)
                let firstBytes = head ?? UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[h..<dataEnd])
                let (checker, choice) = provider.checker(path: path ?? displayPath, head: firstBytes)
                sink = Sink(checker: checker, path: displayPath)
                sink.captureSourceLines = options.captureSourceLines
                sink.maxFindings = options.maxFindings
                sink.result.maxFindings = options.maxFindings
                sink.streams.maxFindings = options.maxFindings
                sink.findingBudget = options.findingBudget
                sink.findingBudgetItem = options.findingBudgetItem
                sink.result.summary.schema = choice
                if let budget = options.eventBudget {
                    sink.recorder = Sink.EventRecorder(budget: budget, item: options.eventBudgetItem)
                }
                processFrom = h
                sink.lines.anchor = h
                totalBytes -= h
                pendingHistory = 0
            }
            let ro = UnsafeRawBufferPointer(buf)
            // Handle complete lines only, unless the input has ended.
            var to = dataEnd
            if !atEOF {
                if let nl = ByteScan.findLast(0x0A, in: ro, from: processFrom, to: dataEnd) { to = nl + 1 } else { to = processFrom }
            }
            var processedUpTo = to
            if to > processFrom || atEOF {
                sink.buffer = ro
                sink.commands.removeAll(keepingCapacity: true)
                sink.commandCursor = 0
                MonitorCommandScanner.scan(ro, from: processFrom, to: to, dataEnd: dataEnd, into: &sink.commands)
                let outcome = extractor.scan(ro, floor: 0, from: processFrom, to: to, dataEnd: dataEnd, atEOF: atEOF, sink: &sink)
                if case .needMore(let r) = outcome { processedUpTo = max(r, processFrom) }
                // Commands past `processedUpTo` are found again with the lines they are on.
                sink.flushCommands(before: processedUpTo)
                sink.commands.removeAll(keepingCapacity: true)
            }
            if atEOF && processedUpTo >= to {
                sink.lines.advance(ro, to: dataEnd)
                break
            }
            var gaveUp = false
            if processedUpTo == processFrom && dataEnd == cap {
                // No progress in a full buffer: one object or line longer than the buffer.
                let needle: StaticString = "event"
                let nb = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
                if dataEnd - processFrom > 4096, ByteScan.find(nb, in: ro, from: processFrom, to: dataEnd) == nil {
                    // Nothing event-like in it: skip it, keeping a few bytes in case a marker
                    // straddles the next read.
                    processedUpTo = dataEnd - 8
                    gaveUp = true
                } else if cap < options.maxBuffer {
                    let bigger = PageBuffer.allocate(min(cap * 2, options.maxBuffer))
                    bigger.copyMemory(from: UnsafeRawBufferPointer(buf))
                    PageBuffer.free(buf)
                    buf = bigger
                    cap = bigger.count
                    continue
                } else {
                    // Give up on this stretch: handle it as if the input ended here, then move on.
                    sink.buffer = ro
                    _ = extractor.scan(ro, floor: 0, from: processFrom, to: dataEnd, dataEnd: dataEnd, atEOF: true, sink: &sink)
                    sink.overlong(at: processFrom, limit: cap)
                    processedUpTo = dataEnd
                    gaveUp = true
                }
            }
            // Keep history + unprocessed bytes; move them to the front.
            sink.lines.advance(ro, to: processedUpTo)
            // Lines still to come may continue a multi-line object begun before `processedUpTo`:
            // keep its first line too, so a marker deep inside it is still traced back to it
            // (not after giving up on a stretch longer than the largest buffer).
            let objectStart = gaveUp ? processedUpTo : Self.openObjectStart(ro, at: processedUpTo, dataEnd: dataEnd,
                                                   lowest: max(0, processedUpTo - options.extractor.maxObjectBytes))
            // History is capped at half the buffer: as large as the largest buffer, it would
            // leave the buffer full for ever after a stretch given up on (found by fuzzing
            // with 128-byte buffers and 128 bytes of history). An open object's first line
            // is kept whatever its distance (what a marker inside it belongs to).
            let history = min(options.history, cap / 2)
            let keepFrom = max(0, min(processedUpTo - history, processedUpTo, objectStart))
            let keep = dataEnd - keepFrom
            if keepFrom > 0 {
                memmove(buf.baseAddress!, buf.baseAddress! + keepFrom, keep)
                sink.lines.shift(by: keepFrom)
                extractor.consumedEnd = max(0, extractor.consumedEnd - keepFrom)
            }
            dataEnd = keep
            processFrom = processedUpTo - keepFrom
        }
        var result = sink.finish()
        options.findingBudget?.finish(item: options.findingBudgetItem, recorded: result.findings.count)
        result.streamAnalysis?.finishRange()
        result.summary.bytes = totalBytes
        result.newlines = sink.lines.line - 1
        result.summary.lines = result.newlines + (totalBytes > 0 && lastByte != 0x0A ? 1 : 0)
        if let readError {
            result.summary.readError = readError.description
        }
        return result
    }

    /// Start of the first line of a multi-line object that the line at `p` may continue (it
    /// starts with white space, `}` or `]`, or is not read yet), when that first line can open
    /// one (it holds a `{`); otherwise `p`. Looks back no further than `lowest`.
    static func openObjectStart(_ b: UnsafeRawBufferPointer, at p: Int, dataEnd: Int, lowest: Int) -> Int {
        func continues(_ l: Int) -> Bool { let c = b[l]; return c == 0x20 || c == 0x09 || c == 0x7D || c == 0x5D }
        if p < dataEnd && !continues(p) { return p }
        var l = p
        while l > lowest {
            l = ByteScan.lineStart(b, l - 1, floor: lowest)
            if !continues(l) {
                let le = ByteScan.lineEnd(b, l, limit: p)
                return ByteScan.find(0x7B, in: b, from: l, to: le) != nil ? l : p
            }
        }
        return p
    }

    /// Counts lines incrementally over a buffer that slides.
    struct LineTracker {
        /// Line number (1-based) at buffer offset `anchor`.
        var line = 1
        var anchor = 0
        mutating func reset() { line = 1; anchor = 0 }
        mutating func advance(_ b: UnsafeRawBufferPointer, to offset: Int) {
            guard offset > anchor else { return }
            line += ByteScan.countNewlines(b, from: anchor, to: offset)
            anchor = offset
        }
        mutating func shift(by n: Int) { anchor -= n }
        /// Line of `offset` (>= anchor) without moving the anchor.
        func line(of offset: Int, _ b: UnsafeRawBufferPointer) -> Int {
            offset <= anchor ? line : line + ByteScan.countNewlines(b, from: anchor, to: offset)
        }
    }

    struct Sink: ExtractionSink {
        var checker: Checker
        var result: FileResult
        var lines = LineTracker()
        var raw: [RawFinding] = []
        var captureSourceLines = true
        var maxFindings = Int.max
        /// The line of the previous finding (findings cluster on long lines).
        var sourceLines = SourceLineCapture()
        var buffer = UnsafeRawBufferPointer(start: nil, count: 0) { didSet { sourceLines.invalidate(); siteLines.capture.invalidate() } }
        /// The line of the previous stream site (many events may share one very long line).
        let siteLines = SiteLineCache()
        let path: String
        /// The stateful rules (severities from the checker).
        var streams: StreamAnalysis
        /// Commands of the buffer part being scanned, in text order, handed to `streams` in turn
        /// with the events.
        var commands: [MonitorCommand] = []
        var commandCursor = 0
        /// The last stream key read, with its text (libvirt logs repeat one monitor for a long time).
        var lastKey: (bytes: [UInt8], key: String)?
        /// Records events for the timeline formats; nil when they were not asked for.
        var recorder: EventRecorder?

        init(checker: Checker, path: String) {
            self.checker = checker
            self.path = path
            result = FileResult(path: path)
            let severities = StatefulSeverities { [checker] in checker.severity(of: $0) }
            streams = StreamAnalysis(severities: severities)
        }

        /// Hands the commands before `offset` to the stream analysis.
        mutating func flushCommands(before offset: Int) {
            while commandCursor < commands.count && commands[commandCursor].start < offset {
                let c = commands[commandCursor]
                commandCursor += 1
                switch c.kind {
                case .greeting, .capabilities:
                    streams.boundary(key: c.key)
                case .deviceDel(let id, let rejected):
                    let buffer = buffer, lines = lines, capture = captureSourceLines, cache = siteLines
                    streams.deviceDel(id: id, rejected: rejected, key: c.key) {
                        let le = ByteScan.lineEnd(buffer, c.start, limit: buffer.count)
                        return Self.site(buffer, lines, capture, cache, at: c.start, eventLine: lines.line(of: c.start, buffer),
                                         event: nil, hash: StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[c.start..<le])),
                                         invalid: false)
                    }
                }
            }
        }

        static func site(_ buffer: UnsafeRawBufferPointer, _ lines: LineTracker, _ captureSourceLines: Bool, _ cache: SiteLineCache,
                         at offset: Int, eventLine: Int, event: String?, hash: String, invalid: Bool) -> StreamSite {
            cache.capture.enabled = captureSourceLines
            let x = cache.capture.excerpt(buffer, at: offset)
            return StreamSite(line: lines.line(of: offset, buffer), column: offset - x.lineStart + 1, eventLine: eventLine,
                              event: event, eventHash: hash, sourceLine: x.text, invalid: invalid,
                              sourceLineStart: x.start, sourceLineTruncated: x.truncated)
        }

        /// The stream key an event's text names: `mon=0x..` (libvirt) or `domain NAME` (virsh).
        mutating func streamKey(of event: ExtractedEvent) -> String? {
            guard let r = event.stream else { return nil }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[r])
            if let last = lastKey, last.bytes.elementsEqual(bytes) { return last.key }
            let text = String(decoding: bytes, as: UTF8.self)
            let key: String
            if case .record = event.envelope { key = "domain " + text } else { key = "mon=" + text }
            lastKey = (Array(bytes), key)
            return key
        }

        /// The tape index of the event's `data` value, when it has one.
        func dataOf(_ event: ExtractedEvent, _ tape: JSONTape) -> Int? {
            switch event.envelope {
            case .json(let root): tape.member(root, "data")
            case .record(_, _, let d, _): d
            }
        }

        /// The `data` members the stateful rules read from this event.
        func streamMembers(of event: ExtractedEvent, name: String, _ tape: JSONTape) -> [String: String] {
            guard let wanted = StreamEvent.membersRead(by: name) else { return [:] }
            var data: Int?
            switch event.envelope {
            case .json(let root): data = tape.member(root, "data")
            case .record(_, _, let d, _): data = d
            }
            guard let data, tape[data].kind == .object else { return [:] }
            var out: [String: String] = [:]
            for m in wanted {
                if let n = tape.member(data, m), tape[n].kind == .string { out[m] = tape.string(n) }
            }
            return out
        }

        mutating func event(_ event: ExtractedEvent, tape: JSONTape) {
            flushCommands(before: event.start)
            lines.advance(buffer, to: event.start)
            raw.removeAll(keepingCapacity: true)
            let name = checker.check(event, tape: tape, findings: &raw) ?? "<no name>"
            result.summary.events += 1
            var invalid = false
            let key = streamKey(of: event)
            let ref = streams.ref(for: key)
            if !raw.isEmpty {
                let eventLine = lines.line
                let hash = StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[event.start..<event.end]))
                for f in raw {
                    if f.severity == .error { invalid = true }
                    add(f, eventLine: eventLine, event: name, hash: hash, ref: ref)
                }
            }
            do {
                let e = StreamEvent(name: name, key: key, time: timestamp(of: event, tape), members: streamMembers(of: event, name: name, tape))
                let start = event.start, end = event.end, eventLine = lines.line, wasInvalid = invalid
                let buffer = buffer, lines = lines, capture = captureSourceLines, cache = siteLines
                streams.event(e) {
                    Self.site(buffer, lines, capture, cache, at: start, eventLine: eventLine, event: name,
                         hash: StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[start..<end])), invalid: wasInvalid)
                }
            }
            result.eventsByName[name, default: EventCount()].total += 1
            if invalid {
                result.eventsByName[name, default: EventCount()].invalid += 1
                result.summary.invalidEvents += 1
            }
            let time = timestamp(of: event, tape)
            if recorder != nil, recorder!.admits(recorded: result.timeline.count) {
                result.timeline.append(
                    ReportEvent(file: path, line: lines.line, name: recorder!.intern(name), time: time, stream: nil,
                                data: EventDataSummary.make(dataOf(event, tape), tape)))
                result.timelineRefs.append(ref)
            }
            if let t = time {
                if result.summary.firstEvent.map({ t < $0 }) ?? true { result.summary.firstEvent = t }
                if result.summary.lastEvent.map({ $0 < t }) ?? true { result.summary.lastEvent = t }
            }
        }

        func timestamp(of event: ExtractedEvent, _ tape: JSONTape) -> EventTime? {
            switch event.envelope {
            case .record(_, _, _, let ts):
                if case .given(let s, let u) = ts, s >= 0 { return EventTime(seconds: s, microseconds: u) }
                return nil
            case .json(let root):
                guard let t = tape.member(root, "timestamp"), tape[t].kind == .object,
                      let s = tape.member(t, "seconds"), let u = tape.member(t, "microseconds"),
                      let sv = tape.int64(s), let uv = tape.int64(u), sv >= 0 else { return nil }
                return EventTime(seconds: sv, microseconds: uv)
            }
        }

        var findingBudget: EventBudget?
        var findingBudgetItem = 0
        /// Set once the ranges before this one have listed the input's `maxFindings`.
        var budgetSpent = false

        /// Whether this range may still list a finding (asked of the shared budget every 1,024).
        mutating func budgetAllows() -> Bool {
            guard let budget = findingBudget, !budgetSpent else { return !budgetSpent }
            if result.findings.count % 1024 == 0,
               !budget.mayRecord(item: findingBudgetItem, recorded: result.findings.count) {
                budgetSpent = true
            }
            return !budgetSpent
        }

        mutating func add(_ f: RawFinding, eventLine: Int, event: String?, hash: String, ref: StreamRef = .none) {
            result.findingsByRule[f.rule, default: 0] += 1
            switch f.severity {
            case .error: result.summary.errors += 1
            case .warning: result.summary.warnings += 1
            case .note: result.summary.notes += 1
            }
            if result.findings.count >= maxFindings || !budgetAllows() { result.omittedFindings += 1; return }
            let line = lines.line(of: f.offset, buffer)
            sourceLines.enabled = captureSourceLines
            let x = sourceLines.excerpt(buffer, at: f.offset)
            result.streamRefs.append(ref)
            result.findings.append(ReportFinding(
                file: path, line: line, column: f.offset - x.lineStart + 1, eventLine: eventLine, event: event,
                rule: f.rule, severity: f.severity, message: f.message, pointer: f.pointer,
                eventHash: hash, sourceLine: x.text, sourceLineStart: x.start, sourceLineTruncated: x.truncated))
        }

        mutating func malformed(_ m: MalformedEvent) {
            lines.advance(buffer, to: m.start)
            result.summary.malformed += 1
            // Per-name counts include every occurrence whose name is readable.
            if let name = m.name {
                result.eventsByName[name, default: EventCount()] += EventCount(total: 1, invalid: 1, malformed: 1)
            }
            let hash = StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[m.start..<max(m.start, min(m.end, buffer.count))]))
            let what = m.name.map { "malformed \($0) event: " } ?? "malformed event: "
            guard let severity = checker.severity(of: "malformed-json") else { return }
            add(RawFinding(rule: "malformed-json", severity: severity, message: what + m.message, pointer: "", offset: min(m.fault, buffer.count)),
                eventLine: lines.line, event: m.name, hash: hash)
        }

        mutating func nonEvent(kind: NonEventKind, start: Int, end: Int) {
            result.nonEvents[kind, default: 0] += 1
        }

        mutating func markers(_ bucket: MarkerBucket, count: Int) {
            result.markers[bucket, default: 0] += count
        }

        mutating func overlong(at offset: Int, limit: Int) {
            result.summary.readError = result.summary.readError
                ?? "\(path): an object or line longer than \(limit >> 20) MiB near line \(lines.line(of: offset, buffer)) was examined only in part"
        }

        /// Decides which events are recorded and shares their names' storage.
        struct EventRecorder {
            let budget: EventBudget
            let item: Int
            var stopped = false
            var names: [String: String] = [:]

            /// Whether the next event is recorded, after `recorded` of this range were; asks the
            /// shared budget every 1024 events.
            mutating func admits(recorded: Int) -> Bool {
                if stopped { return false }
                if recorded >= budget.cap { stopped = true }
                if recorded & 1023 == 0, !budget.mayRecord(item: item, recorded: recorded) { stopped = true }
                return !stopped
            }

            mutating func intern(_ name: String) -> String {
                if let known = names[name] { return known }
                if names.count < 4096 { names[name] = name }
                return name
            }
        }

        mutating func finish() -> FileResult {
            var r = result
            r.streamAnalysis = streams
            return r
        }
    }
}
