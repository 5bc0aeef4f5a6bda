/// One message of a chunk as the reducer needs it: what it is, where, and what it said - the
/// rest of its text is gone once the chunk is reduced.
struct MessageRecord {
    var kind: MessageKind
    /// Text that could not be parsed (reported as malformed-json).
    var malformed = false
    /// Event or command name (shared with the schema's strings when known); "" otherwise.
    var name: String
    /// Index in `ChunkResult.keys`; -1: the input's own stream.
    var key: Int32
    /// Input offsets of the message text in the chunk's buffer.
    var start: Int
    var end: Int
    /// 1-based line of `start`, counted from the chunk's first line.
    var line: Int
    var time: EventTime?
    /// String members stream rules read (`StreamInterest.members`).
    var members: [String: String] = [:]
    /// A command's or reply's `id` as written (JSON text), nil when it has none.
    var id: String?
    /// A reply that is an error, and its class.
    var isError = false
    var errorClass: String?
    /// A command object that also carries its reply (qmp-shell -l).
    var carriesReply = false
    /// A command sent with `exec-oob`.
    var outOfBand = false
    /// The libvirt record that carried it, and a hash of its text (for echoes).
    var record: LibvirtRecord?
    var hash: UInt64 = 0
    /// Markers inside: its own event key (0/1) and the others.
    var markerEvent: Int32 = 0
    var markerInner: Int32 = 0
    /// Its findings in `ChunkResult.findings`.
    var findings: Range<Int> = 0..<0
    var hasError = false
    var dialect: DialectID
    /// The QEMU version a greeting announces.
    var version: String?
    /// A short view of the data, for the timeline formats (when events are recorded).
    var data: String?
    /// The stream rules that want to see it, as bits (`StreamRulePlan.interest`).
    var interest: UInt64 = 0
    /// Read in place (not from a copy without log prefixes or escapes): the reducer can parse
    /// it again from the chunk's buffer.
    var identityText = true
    /// For a reply: the command its return value was checked against (nil: none).
    var checkedAgainst: String?
    /// When its log record was written (libvirt's record time), for stream rules about latency.
    var recordTime: EventTime?
    /// The built-in releases that describe it, when probed (`ReleaseProbe`, version inference).
    var accepts = ReleaseMask.none
    var probed = false
}

/// Which waiting command a reply answers: the one with its `id`, or, for a reply without an
/// id, the oldest waiting command sent without one. The reader (within a chunk) and the
/// reducer (across chunks) match the same way.
enum CommandMatching {
    static func match(_ id: String?, in pending: [(name: String, id: String?)]) -> Int? {
        if let id { return pending.firstIndex { $0.id == id } }
        return pending.firstIndex { $0.id == nil }
    }
}

/// What reading one chunk produced, for the reducer.
struct ChunkResult {
    var messages: [MessageRecord] = []
    /// Findings of the messages (`MessageRecord.findings` index them). Lines are chunk-relative.
    var findings: [ReportFinding] = []
    /// Findings about no message (unparsed event text), chunk-relative lines.
    var loose: [ReportFinding] = []
    var keys: [StreamKey] = []
    /// Markers not inside any message (counted in their buckets here).
    var markers = MarkerCounts()
    var bytes = 0
    var newlines = 0
    var lastByte: UInt8 = 0x0A
    /// The input could not be read (from some point on).
    var readError: String?
    /// A line longer than the geometry's limit was cut at this chunk's end.
    var overlongLine = false
    /// Findings counted but not listed (too many in one message).
    var omitted: [Int: Int] = [:]
}

/// Everything a chunk reader is told for one input: the schema, which rules are on, what to
/// record.
struct ReadingConfig: @unchecked Sendable {
    var validator: MessageValidator
    var path: String
    var captureSourceLines: Bool
    var recordEvents: Bool
    /// Per event/command name, the string members stream rules read; `allNames` for any name.
    var members: [String: [String]]
    var allNames: [String]
    var plan: StreamRulePlan
    /// Probes every message against every built-in release (version inference), when set.
    var probe: ReleaseProbe?
}

/// Reads chunks: extraction plus validation of every message, in parallel with other readers.
/// One per worker thread (it owns an extractor and scratch space), reused across chunks.
final class ChunkReader: MessageSink {
    let extractor: MessageExtractor
    private var config: ReadingConfig!
    private var buffer = UnsafeRawBufferPointer(start: nil, count: 0)
    private var result = ChunkResult()
    private var lines = LineCounter()
    private var raw: [RawFinding] = []
    private var keyIndex: [String: Int32] = [:]
    private var lastKey: (bytes: [UInt8], kind: StreamKey.Kind, index: Int32)?
    /// The line of the previous finding (findings cluster on long lines).
    private var sourceLines = SourceLineCapture()
    /// Commands of the chunk waiting for their reply, per stream (chunk-local key index).
    private var pending: [Int32: [(name: String, id: String?)]] = [:]
    /// Releases of messages probed already (`ReleaseProbe`).
    private let probeMemo = ProbeMemo()
    /// The line of the last unparsed marker and its hash (many markers share one long line).
    private var unparsedLine = (start: -1, end: -1, hash: "", listed: 0)
    /// Stream rule interest per message kind and name (the plan is the same for every chunk of a run).
    private var interest: [[String: UInt64]] = Array(repeating: [:], count: MessageKind.allCases.count)

    init(options: MessageExtractor.Options) {
        extractor = MessageExtractor(options: options)
    }

    /// Reads `b[from..<to]` (a chunk: `from` starts a unit, `to` ends the data or starts one).
    func read(_ b: UnsafeRawBufferPointer, from: Int, to: Int, config: ReadingConfig) -> ChunkResult {
        self.config = config
        buffer = b
        result = ChunkResult()
        lines = LineCounter(anchor: from)
        keyIndex.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        lastKey = nil
        sourceLines = SourceLineCapture(enabled: config.captureSourceLines)
        unparsedLine = (-1, -1, "", 0)
        extractor.scan(b, floor: from, from: from, to: to, sink: self)
        result.bytes = to - from
        result.newlines = ByteScan.countNewlines(b, from: from, to: to)
        result.lastByte = to > from ? b[to - 1] : 0x0A
        let out = result
        result = ChunkResult()
        buffer = UnsafeRawBufferPointer(start: nil, count: 0)
        return out
    }

    // MARK: - MessageSink

    func message(_ m: ExtractedMessage, tape: JSONTape, text: ExtractionText) {
        let v = config.validator
        raw.removeAll(keepingCapacity: true)
        let start = text.inputOffset(m.start)
        var r = MessageRecord(kind: m.kind, name: "", key: key(m.stream, m, text), start: start,
                              end: max(start + 1, text.inputOffset(m.end - 1) + 1), line: lines.line(of: start, buffer),
                              dialect: m.dialect)
        r.carriesReply = m.carriesReply
        r.markerEvent = Int32(m.markers.event)
        r.markerInner = Int32(m.markers.inner)
        r.identityText = text.isIdentity
        if let record = m.record {
            r.record = record
            r.hash = ContentHash.of(UnsafeRawBufferPointer(rebasing: text.bytes[m.start..<m.end]))
        }
        if m.kind == .reply {
            // A reply is checked against the command it answers when this chunk holds it; the
            // reducer checks again when its own matching (which sees every chunk) says otherwise.
            describe(&r, m, tape)
            if let k = pending[r.key].flatMap({ CommandMatching.match(r.id, in: $0) }) {
                r.checkedAgainst = pending[r.key]![k].name
                pending[r.key]!.remove(at: k)
            }
            r.hasError = v.validate(m, tape: tape, answering: r.checkedAgainst, into: &raw).hasError
        } else {
            let verdict = v.validate(m, tape: tape, answering: m.carriesReply ? Self.commandName(m, tape) : nil, into: &raw)
            r.name = verdict.name
            r.hasError = verdict.hasError
            describe(&r, m, tape)
            if m.kind == .command && !m.carriesReply { pending[r.key, default: []].append((r.name, r.id)) }
        }
        r.interest = interestOf(r.kind, r.name)
        if m.dialect == .libvirtMonitor || m.dialect == .virshEvent, start < buffer.count {
            r.recordTime = RecordTime.read(buffer, lineStart: ByteScan.lineStart(buffer, start))
        }
        if let probe = config.probe, m.kind != .greeting {
            r.accepts = probe.mask(m, tape: tape, answering: m.kind == .reply ? r.checkedAgainst : nil, memo: probeMemo)
            r.probed = true
        }
        if !raw.isEmpty {
            let first = result.findings.count
            let hash = StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[r.start..<min(r.end, buffer.count)]))
            for f in raw {
                // The finding that closes a long listing stands for the findings past it.
                if f.count > 1 { result.omitted[RuleSet.index(of: f.rule) ?? 0, default: 0] += f.count - 1 }
                let subject = m.kind == .reply ? r.checkedAgainst : r.name
                add(f, at: text.inputOffset(f.offset), eventLine: r.line, event: subject?.isEmpty == false ? subject : nil,
                    hash: hash, kind: m.kind)
            }
            r.findings = first..<result.findings.count
        }
        result.messages.append(r)
    }

    func malformed(_ m: MalformedMessage, text: ExtractionText) {
        let start = text.inputOffset(m.start)
        var r = MessageRecord(kind: m.kind, name: m.name ?? "", key: key(m.stream, nil, text), start: start,
                              end: max(start + 1, text.inputOffset(max(m.start, m.end - 1)) + 1),
                              line: lines.line(of: start, buffer), dialect: m.dialect)
        r.malformed = true
        r.markerInner = Int32(m.markers)
        if let record = m.record {
            r.record = record
            r.hash = ContentHash.of(UnsafeRawBufferPointer(rebasing: text.bytes[m.start..<min(m.end, text.bytes.count)]))
        }
        if m.kind == .event, let severity = config.validator.rules.severity(of: MalformedJSONRule.description.id) {
            r.hasError = severity == .error
            let what = m.name.map { "malformed \($0) event: " } ?? "malformed event: "
            let first = result.findings.count
            let hash = StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[r.start..<min(r.end, buffer.count)]))
            add(RawFinding(rule: MalformedJSONRule.description.id, severity: severity, message: what + m.message,
                           pointer: "", offset: 0),
                at: text.inputOffset(min(m.fault, text.bytes.count)), eventLine: r.line, event: m.name, hash: hash,
                kind: m.kind)
            r.findings = first..<result.findings.count
        }
        result.messages.append(r)
    }

    func unparsed(at offset: Int, text: ExtractionText) {
        guard let severity = config.validator.rules.severity(of: UnparsedEventTextRule.description.id) else { return }
        let at = text.inputOffset(offset)
        if !(at >= unparsedLine.start && at < unparsedLine.end) {
            let ls = ByteScan.lineStart(buffer, at)
            let le = ByteScan.lineEnd(buffer, at, limit: buffer.count)
            unparsedLine = (ls, le, StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[ls..<le])), 0)
        }
        unparsedLine.listed += 1
        if unparsedLine.listed > Walk.listLimit {
            // A line of a million stray markers: the first ones listed, the rest counted.
            result.omitted[RuleSet.index(of: UnparsedEventTextRule.description.id) ?? 0, default: 0] += 1
            return
        }
        let hash = unparsedLine.hash
        let before = result.findings.count
        add(RawFinding(rule: UnparsedEventTextRule.description.id, severity: severity,
                       message: UnparsedEventTextRule.message(), pointer: "", offset: 0),
            at: max(0, at - 1), eventLine: lines.line(of: at, buffer), event: nil, hash: hash, kind: nil)
        if result.findings.count > before { result.loose.append(result.findings.removeLast()) }
    }

    func markers(_ bucket: MarkerBucket, count: Int) {
        result.markers[bucket] += count
    }

    // MARK: - Records

    private func interestOf(_ kind: MessageKind, _ name: String) -> UInt64 {
        if let known = interest[kind.order][name] { return known }
        let mask = config.plan.interest(kind, name)
        if interest[kind.order].count < 4096 { interest[kind.order][name] = mask }
        return mask
    }

    /// The stream key index of a message naming `range` of `text`.
    private func key(_ range: Range<Int>?, _ m: ExtractedMessage?, _ text: ExtractionText) -> Int32 {
        guard let range else { return -1 }
        let kind: StreamKey.Kind = m?.dialect == .virshEvent ? .domain : .monitor
        let bytes = UnsafeRawBufferPointer(rebasing: text.bytes[range])
        if let last = lastKey, last.kind == kind, last.bytes.elementsEqual(bytes) { return last.index }
        let name = String(decoding: bytes, as: UTF8.self)
        let k = StreamKey(kind: kind, name: name)
        let label = k.label
        let index: Int32
        if let i = keyIndex[label] {
            index = i
        } else {
            index = Int32(result.keys.count)
            result.keys.append(k)
            keyIndex[label] = index
        }
        lastKey = (Array(bytes), kind, index)
        return index
    }

    /// Fills in time, members, ids and the data view of a parsed message.
    private func describe(_ r: inout MessageRecord, _ m: ExtractedMessage, _ tape: JSONTape) {
        var container: Int?
        switch m.envelope {
        case .virsh(_, _, let data, let ts):
            if case .given(let s, let u) = ts, s >= 0 { r.time = EventTime(seconds: s, microseconds: u) }
            container = data
        case .json(let root):
            switch m.kind {
            case .event:
                if let t = tape.member(root, "timestamp"), tape[t].kind == .object,
                   let s = tape.member(t, "seconds"), let u = tape.member(t, "microseconds"),
                   let sv = tape.int64(s), let uv = tape.int64(u), sv >= 0 {
                    r.time = EventTime(seconds: sv, microseconds: uv)
                }
                container = tape.member(root, "data")
            case .command:
                if r.name.isEmpty { r.name = Self.commandName(m, tape) ?? "" }
                r.outOfBand = tape.member(root, "execute") == nil
                r.id = tape.member(root, "id").map { tape.rawText($0) }
                container = tape.member(root, "arguments")
                if m.carriesReply, let e = tape.member(root, "error") { r.isError = true; r.errorClass = errorClass(e, tape) }
            case .reply:
                r.id = tape.member(root, "id").map { tape.rawText($0) }
                if let e = tape.member(root, "error") {
                    r.isError = true
                    r.errorClass = errorClass(e, tape)
                } else if let ret = tape.member(root, "return"), tape[ret].kind == .object, tape.member(ret, "package") != nil,
                          let q = tape.member(ret, "qemu") {
                    r.version = GreetingVersion.read(qemu: q, tape)
                }
            case .greeting:
                r.version = GreetingVersion.read(tape, root)
            }
        }
        if let c = container, tape[c].kind == .object {
            let wanted = config.members[r.name] ?? []
            for name in wanted + config.allNames {
                if r.members[name] == nil, let n = tape.member(c, name), tape[n].kind == .string {
                    r.members[name] = tape.string(n)
                }
            }
        }
        if config.recordEvents && m.kind == .event {
            r.data = EventDataSummary.make(container, tape)
        }
    }

    /// A command's name as written.
    static func commandName(_ m: ExtractedMessage, _ tape: JSONTape) -> String? {
        guard case .json(let root) = m.envelope,
              let e = tape.member(root, "execute") ?? tape.member(root, "exec-oob"), tape[e].kind == .string
        else { return nil }
        return tape.string(e)
    }

    private func errorClass(_ e: Int, _ tape: JSONTape) -> String? {
        guard tape[e].kind == .object, let c = tape.member(e, "class"), tape[c].kind == .string else { return nil }
        return tape.string(c)
    }

    // MARK: - Findings

    /// Places a finding at input offset `at` of the buffer.
    private func add(_ f: RawFinding, at: Int, eventLine: Int, event: String?, hash: String, kind: MessageKind?) {
        let at = min(max(0, at), max(0, buffer.count - 1))
        result.findings.append(ReportFinding.placing(f, at: at, line: lines.line(of: at, buffer), in: buffer,
                                                     lines: &sourceLines, file: config.path, eventLine: eventLine,
                                                     event: event, hash: hash, kind: kind))
    }
}

/// Counts lines from an anchor as offsets move forward (and back, within what was counted).
struct LineCounter {
    /// Line number (1-based) at buffer offset `anchor`.
    var line = 1
    var anchor = 0
    init(anchor: Int = 0) { self.anchor = anchor }

    /// The 1-based line of `offset` (`offset >= ` the first anchor).
    mutating func line(of offset: Int, _ b: UnsafeRawBufferPointer) -> Int {
        if offset >= anchor {
            line += ByteScan.countNewlines(b, from: anchor, to: offset)
            anchor = offset
            return line
        }
        return line - ByteScan.countNewlines(b, from: offset, to: anchor)
    }
}

/// A fast 64-bit hash of message text, for telling echoes apart (not stable across versions:
/// never written anywhere).
enum ContentHash {
    static func of(_ b: UnsafeRawBufferPointer) -> UInt64 {
        guard let p = b.baseAddress else { return 0 }
        let n = b.count
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(n) &* k
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* k
        return h ^ (h >> 32)
    }
}

/// The QEMU version a greeting announces (`{"QMP": {"version": {"qemu": {...}}}}`).
enum GreetingVersion {
    static func read(_ tape: JSONTape, _ root: Int) -> String? {
        guard let q = tape.member(root, "QMP"), tape[q].kind == .object,
              let v = tape.member(q, "version"), tape[v].kind == .object,
              let qemu = tape.member(v, "qemu") else { return nil }
        return read(qemu: qemu, tape)
    }

    /// `{"major": .., "minor": .., "micro": ..}` (of a greeting or a query-version reply).
    static func read(qemu: Int, _ tape: JSONTape) -> String? {
        guard tape[qemu].kind == .object,
              let major = tape.member(qemu, "major").flatMap({ tape.int64($0) }),
              let minor = tape.member(qemu, "minor").flatMap({ tape.int64($0) })
        else { return nil }
        let micro = tape.member(qemu, "micro").flatMap { tape.int64($0) } ?? 0
        return "\(major).\(minor).\(micro)"
    }
}

extension ReportFinding {
    /// A finding made at byte `at` of `buffer` (on line `line`), with its source line as the
    /// formats show it. The one place a finding gets its place.
    static func placing(_ f: RawFinding, at: Int, line: Int, in buffer: UnsafeRawBufferPointer,
                        lines: inout SourceLineCapture, file: String, eventLine: Int, event: String?,
                        hash: String, kind: MessageKind?) -> ReportFinding {
        let x = lines.excerpt(buffer, at: at)
        return ReportFinding(
            file: file, line: line, column: at - x.lineStart + 1, eventLine: eventLine, event: event, rule: f.rule,
            severity: f.severity, message: f.message, pointer: f.pointer, eventHash: hash, sourceLine: x.text,
            sourceLineStart: x.start, sourceLineTruncated: x.truncated, kind: kind)
    }
}

/// The time a log record was written, from its line's head: libvirt's debug log and virsh
/// `--timestamp` start records with `YYYY-MM-DD HH:MM:SS.mmm+HHMM`.
enum RecordTime {
    static func read(_ b: UnsafeRawBufferPointer, lineStart s: Int) -> EventTime? {
        // 2025-06-02 08:14:00.002+0000
        guard s + 28 <= b.count, b[s + 4] == 0x2D, b[s + 7] == 0x2D, b[s + 10] == 0x20, b[s + 13] == 0x3A,
              b[s + 16] == 0x3A, b[s + 19] == 0x2E, b[s + 23] == 0x2B || b[s + 23] == 0x2D else { return nil }
        func number(_ from: Int, _ n: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<(from + n) {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        guard let year = number(s, 4), let month = number(s + 5, 2), let day = number(s + 8, 2),
              let hour = number(s + 11, 2), let minute = number(s + 14, 2), let second = number(s + 17, 2),
              let milli = number(s + 20, 3), let zh = number(s + 24, 2), let zm = number(s + 26, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let offset = (zh * 3600 + zm * 60) * (b[s + 23] == 0x2B ? 1 : -1)
        return EventTime(seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset, microseconds: milli * 1000)
    }
}
