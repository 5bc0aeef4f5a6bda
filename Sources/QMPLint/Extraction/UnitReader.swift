#if canImport(Glibc)
import Glibc
#endif

/// A dialect's view of one unit and the operations it reads it with: parse the objects of a
/// region, report messages, malformed text and echoes, and read decoded text as a unit of its
/// own. It also keeps the unit's event markers and puts each in its bucket as the regions of
/// the unit are read, left to right.
public struct UnitReader {
    let engine: ExtractorEngine
    let sink: any MessageSink
    public let text: ExtractionText
    /// The unit: `text.bytes[start..<end]` (end of its last line's text).
    public let start: Int
    public let end: Int
    /// Earliest byte that may be read for look-back.
    let floor: Int
    /// Offsets of the unit's event markers, sorted; `settled` of them have a bucket.
    let markers: [Int]
    var settled = 0

    init(engine: ExtractorEngine, sink: any MessageSink, text: ExtractionText, start: Int, end: Int, floor: Int,
         markers: [Int]) {
        self.engine = engine; self.sink = sink; self.text = text
        self.start = start; self.end = end; self.floor = floor; self.markers = markers
    }

    public var bytes: UnsafeRawBufferPointer { text.bytes }

    /// End of the first line's text.
    public var firstLineEnd: Int {
        let le = LineShape.lineEnd(bytes, start, limit: end)
        return LineShape.textEnd(bytes, start, le)
    }

    /// Start of the first line's text (past a leading CR).
    public var firstLineTextStart: Int { LineShape.textStart(bytes, start, end) }

    // MARK: - Markers

    /// Settles the markers before `offset` that no region took: event text nobody could read
    /// (`unparsed`) or prose (`notEvents`).
    mutating func settleMarkers(upTo offset: Int) {
        var notEvents = 0
        while settled < markers.count && markers[settled] < offset {
            let h = markers[settled]
            if Markers.looksLikeKey(bytes, h, limit: end) {
                sink.markers(.unparsed, count: 1)
                sink.unparsed(at: h, text: text)
            } else {
                notEvents += 1
            }
            settled += 1
        }
        if notEvents > 0 { sink.markers(.notEvents, count: notEvents) }
    }

    /// Puts the markers in `from..<to` in `bucket`, except the one at `except` (the top-level
    /// `event` key of an event), which goes to `.events`. Returns how many went to `bucket` and
    /// whether `except` was among them.
    @discardableResult
    mutating func claimMarkers(_ from: Int, _ to: Int, _ bucket: MarkerBucket, except: Int = -1) -> (count: Int, took: Bool) {
        settleMarkers(upTo: from)
        var n = 0
        var took = false
        while settled < markers.count && markers[settled] < to {
            if markers[settled] == except { sink.markers(.events, count: 1); took = true } else { n += 1 }
            settled += 1
        }
        if n > 0 { sink.markers(bucket, count: n) }
        return (n, took)
    }

    /// The markers in `from..<to` not yet settled, handed over (to a decoded reading of them).
    mutating func takeMarkers(_ from: Int, _ to: Int) -> [Int] {
        settleMarkers(upTo: from)
        var out: [Int] = []
        while settled < markers.count && markers[settled] < to {
            out.append(markers[settled])
            settled += 1
        }
        return out
    }

    // MARK: - Objects

    /// What a region of text may hold and how its messages are reported.
    public struct Policy {
        /// Kinds reported as messages; other parsed objects are not messages.
        public var kinds: MessageKinds = .all
        public var dialect: DialectID
        /// The stream the record names (text offsets).
        public var stream: Range<Int>?
        /// Only objects at the region's start, one after another (a record's payload).
        public var payloadOnly = false
        /// The libvirt record carrying the region (echoes are told apart by the reducer).
        public var record: LibvirtRecord?
        public init(dialect: DialectID) { self.dialect = dialect }
    }

    /// Parses and reports the objects of `text[from..<to]`, left to right; returns where the
    /// reading stopped (past the last object it took).
    @discardableResult
    public mutating func readObjects(_ from: Int, _ to: Int, _ policy: Policy) -> Int {
        let b = bytes
        var p = from
        while p < to {
            var brace: Int
            if policy.payloadOnly {
                while p < to && (ByteScan.isSpace(b[p]) || b[p] == 0x0A || b[p] == 0x0D) { p += 1 }
                guard p < to, b[p] == 0x7B else { return p }
                brace = p
            } else {
                guard let at = ByteScan.find(0x7B, in: b, from: p, to: to) else { return to }
                brace = at
            }
            engine.tape.reset(bytes: b)
            switch JSONParser.parseValue(b, from: brace, limit: end, options: engine.options.json, into: &engine.tape) {
            case .success(let objectEnd):
                took(brace, objectEnd, policy)
                p = objectEnd
            case .failure(let e):
                failed(brace, e, policy)
                if policy.payloadOnly { return max(e.offset, brace + 1) }
                p = max(e.offset, brace + 1)
            }
        }
        return p
    }

    /// The tape holds a complete value parsed from `start` to `stop`.
    mutating func took(_ start: Int, _ stop: Int, _ policy: Policy) {
        let tape = engine.tape
        let kind = Self.kind(of: tape)
        guard let kind, policy.kinds.contains(kind) else {
            otherObject(start, stop, policy)
            return
        }
        var eventKey = -1
        if kind == .event, let k = Self.memberKey(tape, 0, "event") { eventKey = tape[k].start + 1 }
        let inner = claimMarkers(start, stop, .notEvents, except: eventKey)
        let carries = kind == .command && (tape.member(0, "return") != nil || tape.member(0, "error") != nil)
        sink.message(
            ExtractedMessage(kind: kind, envelope: .json(root: 0), dialect: policy.dialect, start: start, end: stop,
                             stream: policy.stream, carriesReply: carries, record: policy.record,
                             markers: (event: eventKey >= 0 && inner.took ? 1 : 0, inner: inner.count)),
            tape: engine.tape, text: text)
    }

    /// A parsed object that is no message: its markers are explained.
    mutating func otherObject(_ start: Int, _ stop: Int, _ policy: Policy) {
        claimMarkers(start, stop, .notEvents)
    }

    /// Text from `start` failed to parse (`e`): malformed QMP when it has a message's
    /// top-level key, otherwise broken text whose event-like markers are reported.
    mutating func failed(_ start: Int, _ e: JSONParseError, _ policy: Policy) {
        let b = bytes
        let stop = min(max(e.offset + 1, start + 1), end)
        guard let kind = Self.topLevelKind(b, from: start, to: stop), policy.kinds.contains(kind) else {
            // Not QMP as far as it goes: its event-like markers are reported by settling.
            return
        }
        let inner = claimMarkers(start, stop, kind == .event ? .malformed : .notEvents)
        var name: String?
        let pattern = kind == .command ? engine.commandName : engine.eventName
        if kind == .event || kind == .command,
           let m = try? pattern.firstMatch(in: b, from: start, to: stop), let g = m.groups[0] {
            name = String(decoding: UnsafeRawBufferPointer(rebasing: b[g]), as: UTF8.self)
        }
        let message = e.kind == .unexpectedEnd
            ? "\(kind.rawValue) text ends before the object is complete (\(e.message))" : e.message
        sink.malformed(
            MalformedMessage(kind: kind, dialect: policy.dialect, start: start, fault: min(e.offset, end),
                             message: message, name: name, end: stop, stream: policy.stream, record: policy.record,
                             markers: inner.count),
            text: text)
    }

    /// Reads the decoded content of the string literal at `text[at..<stringEnd]` as a unit of
    /// its own (a JSON log record's `"msg"` carrying libvirt's record or QMP).
    mutating func readDecoded(stringAt at: Int, end stringEnd: Int, singleQuoted: Bool) {
        let b = bytes
        var builder = DerivedTextBuilder()
        var i = at + 1
        let limit = stringEnd - 1
        var run = i
        var scratch: [UInt8] = []
        while i < limit {
            if b[i] != 0x5C { i += 1; continue }
            builder.append(b, run, i, inputAt: text.inputOffset(run))
            // One escape: decode it alone.
            var j = i + 2
            if i + 1 < limit && b[i + 1] == 0x75 {
                j = min(i + 6, limit)
                if j + 1 < limit && b[j] == 0x5C && b[j + 1] == 0x75 { j = min(j + 6, limit) }  // a surrogate pair
            }
            j = min(j, limit)
            scratch.removeAll(keepingCapacity: true)
            var lit: [UInt8] = [0x22]
            lit.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i..<j]))
            lit.append(0x22)
            lit.withUnsafeBytes { JSONStringDecoder.decode($0, singleQuoted: singleQuoted, into: &scratch) }
            let inputAt = text.inputOffset(i)
            for c in scratch { builder.appendDecoded(c, inputAt: inputAt) }
            i = j
            run = j
        }
        builder.append(b, run, limit, inputAt: text.inputOffset(run))
        // The unit's markers inside the string, located in the decoded text.
        let inside = takeMarkers(at, stringEnd)
        let inputMarkers = inside.map { text.inputOffset($0) }
        let (markers, dropped) = Markers.map(inputMarkers, through: builder.pieces, textCount: builder.bytes.count)
        if dropped > 0 { sink.markers(.notEvents, count: dropped) }
        engine.depth += 1
        defer { engine.depth -= 1 }
        builder.bytes.withUnsafeBytes { decoded in
            let derived = ExtractionText(bytes: decoded, pieces: builder.pieces, nested: true)
            // The decoded text is read unit by unit, like input text.
            var pos = 0
            var remaining = markers[...]
            while pos < decoded.count {
                let u = Units.forward(from: pos, in: decoded, limit: decoded.count, maxBytes: engine.options.maxUnitBytes)
                var mine: [Int] = []
                while let m = remaining.first, m < u.next {
                    mine.append(m)
                    remaining = remaining.dropFirst()
                }
                var reader = UnitReader(
                    engine: engine, sink: sink, text: derived, start: u.start, end: u.end, floor: 0, markers: mine)
                engine.read(&reader)
                pos = max(u.next, pos + 1)
            }
            if !remaining.isEmpty { sink.markers(.notEvents, count: remaining.count) }
        }
    }

    // MARK: - Classification

    /// What a parsed value is, from its top-level keys.
    static func kind(of tape: JSONTape) -> MessageKind? {
        let root = tape[0]
        if root.kind == .placeholder, root.end - root.start == 11,
           equal(tape.bytes.baseAddress! + root.start, 11, "QMP_VERSION") {
            return .greeting
        }
        guard root.kind == .object else { return nil }
        var isCommand = false, isReply = false, isGreeting = false
        var k = 1
        for _ in 0..<Int(root.count) {
            let key = tape[k]
            if key.kind == .string {
                let n = key.end - key.start - 2
                let p = tape.bytes.baseAddress! + key.start + 1
                if Self.equal(p, n, "event") {
                    if tape[k + 1].kind == .string { return .event }
                } else if Self.equal(p, n, "execute") || Self.equal(p, n, "exec-oob") {
                    isCommand = true
                } else if Self.equal(p, n, "return") || Self.equal(p, n, "error") {
                    isReply = true
                } else if Self.equal(p, n, "QMP") {
                    isGreeting = true
                }
            } else if key.kind == .placeholder && root.count == 1 {
                // `{ QMP_VERSION }`: QEMU's test suite filters the greeting to this.
                isGreeting = true
            }
            k = Int(tape[k + 1].next)
        }
        if isCommand { return .command }
        if isReply { return .reply }
        if isGreeting { return .greeting }
        return nil
    }

    /// Whether the `n` bytes at `p` are `word`.
    @inline(__always)
    static func equal(_ p: UnsafeRawPointer, _ n: Int, _ word: StaticString) -> Bool {
        n == word.utf8CodeUnitCount && memcmp(p, word.utf8Start, n) == 0
    }

    /// Tape index of the key node of member `name` of object `i`.
    static func memberKey(_ tape: JSONTape, _ i: Int, _ name: String) -> Int? {
        var k = i + 1
        for _ in 0..<Int(tape[i].count) {
            if tape.stringEquals(k, name) { return k }
            k = Int(tape[k + 1].next)
        }
        return nil
    }

    /// The kind of message that text cut or broken at `to` was going to be: a key `event`,
    /// `execute`/`exec-oob`, `return`/`error` or `QMP` at depth 1, followed by `:`.
    static func topLevelKind(_ b: UnsafeRawBufferPointer, from: Int, to: Int) -> MessageKind? {
        var depth = 0
        var i = from
        var found: MessageKind?
        while i < to {
            let c = b[i]
            if c == 0x22 || c == 0x27 {
                var j = i + 1
                while j < to && b[j] != c {
                    if b[j] == 0x5C { j += 1 }
                    j += 1
                }
                if depth == 1 {
                    var k = j + 1
                    while k < to && (ByteScan.isSpace(b[k]) || b[k] == 0x0A || b[k] == 0x0D) { k += 1 }
                    if k >= to || b[k] == 0x3A {
                        let n = j - i - 1
                        let p = b.baseAddress! + i + 1
                        var kind: MessageKind?
                        if Self.equal(p, n, "event") { kind = .event }
                        else if Self.equal(p, n, "execute") || Self.equal(p, n, "exec-oob") { kind = .command }
                        else if Self.equal(p, n, "return") || Self.equal(p, n, "error") { kind = .reply }
                        else if Self.equal(p, n, "QMP") { kind = .greeting }
                        if let kind, found.map({ kind < $0 }) ?? true { found = kind }
                    }
                }
                i = j + 1
                continue
            }
            if c == 0x7B || c == 0x5B { depth += 1 } else if c == 0x7D || c == 0x5D { depth -= 1 }
            i += 1
        }
        return found
    }
}
