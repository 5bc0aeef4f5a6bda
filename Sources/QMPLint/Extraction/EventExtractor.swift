/// The QEMU timestamp of an event whose envelope is not JSON (virsh lines).
public enum RecordTimestamp: Sendable, Equatable {
    /// `at SECONDS.MICROS` (seconds -1: QEMU sent none).
    case given(seconds: Int64, microseconds: Int64)
    /// virsh --timestamp: libvirt's clock replaced QEMU's; nothing to check.
    case hostClock
}

/// An event the extractor parsed. Offsets are in the scanned buffer; the tape is valid only
/// during the sink call.
public struct ExtractedEvent {
    public enum Envelope {
        /// A JSON object with a string `event` member, at tape index `root`.
        case json(root: Int)
        /// A virsh record: name from the text, `data` = details object (nil for `<null>`).
        case record(name: String, nameOffset: Int, data: Int?, timestamp: RecordTimestamp)
    }
    public var envelope: Envelope
    public var dialect: Dialect.ID
    /// Where the event's text starts (the `{`, or the start of a virsh record) and ends.
    public var start: Int
    public var end: Int
    /// Where the text names the monitor or domain the event came from (`0x7f..` of `mon=`, a
    /// virsh domain), as a byte range of the buffer; nil when the dialect does not say.
    public var stream: Range<Int>?
}

/// Event-like text that could not be parsed.
public struct MalformedEvent {
    public var dialect: Dialect.ID
    public var start: Int
    /// Offset of the fault.
    public var fault: Int
    public var message: String
    /// The event's name when it can still be read.
    public var name: String?
    public var end: Int
}

/// Where one occurrence of an event marker (`"event"`, `'event'`, a virsh `event NAME`) ended up.
public enum MarkerBucket: String, Sendable, CaseIterable {
    /// The top-level `event` member of a parsed event, or a virsh record.
    case event
    /// Inside event-like text that could not be parsed.
    case malformed
    /// Anywhere else inside a parsed event (nested objects, strings in data).
    case insideEvent = "inside-event"
    /// Inside a command, reply, greeting or other non-event object (blkdebug's `{"event": ...}`,
    /// schema entries with `"meta-type": "event"`).
    case nonEvent = "non-event"
    /// A repeated echo of an event already counted (libvirt `Line [...]`/`RECV_EVENT` after `IO_PROCESS`).
    case echo
    /// Outside any object: prose, or text the extractor could not attach to one.
    case stray
}

/// Receives what the extractor finds, in text order.
public protocol ExtractionSink {
    mutating func event(_ event: ExtractedEvent, tape: JSONTape)
    mutating func malformed(_ malformed: MalformedEvent)
    /// A complete non-event object (command, reply, greeting, ...) or echo; for counting.
    mutating func nonEvent(kind: NonEventKind, start: Int, end: Int)
    mutating func markers(_ bucket: MarkerBucket, count: Int)
}

public enum NonEventKind: String, Sendable, CaseIterable {
    case command, reply, greeting, other, echo
}

/// Finds every QMP event in a buffer of log text, whatever the dialect, and parses it exactly.
///
/// How: a fast scan for the bytes `event` finds candidate lines; each is recognised by the
/// dialects (libvirt record, virsh line, JSON in any line); a line that continues a multi-line
/// object (it starts with white space, `}` or `]`) is traced back to the object's first line.
/// An object's text is its first line plus the continuation lines after it, so text cut by a
/// logger is reported where it was cut instead of swallowing the lines that follow.
public struct EventExtractor {
    public struct Options: Sendable {
        public var json = JSONParser.Options.lenient
        /// How far back a continuation line is traced to its object's first line.
        public var maxObjectBytes = 8 << 20
        /// How many earlier lines are searched for the record a libvirt echo repeats.
        public var echoLookbackLines = 16
        public init() {}
    }

    public enum Outcome: Equatable {
        /// Everything in `from..<to` was handled.
        case done
        /// An object starting at this offset runs past the data: call again with more data,
        /// keeping the bytes from this offset on.
        case needMore(resumeAt: Int)
    }

    let options: Options
    let libvirtRegex: Regex
    let virshRegex: Regex
    let nameRegex: Regex
    var tape = JSONTape()
    /// Bytes before this offset belong to an object already handled.
    public var consumedEnd = 0
    /// The line of the previous marker (start, offset of its newline or the data end): markers
    /// on one very long line must not each search for its ends again.
    var lineCache: (start: Int, end: Int) = (-1, -1)
    /// The libvirt record found on the line starting at `lineStart` (nil: none).
    var libvirtCache: (lineStart: Int, match: Regex.Match?) = (-1, nil)

    public init(options: Options = Options()) {
        self.options = options
        // The patterns are constants proven by tests; failing to compile them is a build bug.
        libvirtRegex = try! Regex(Dialect.libvirtRecordPattern)
        virshRegex = try! Regex(Dialect.virshPattern)
        nameRegex = try! Regex(Dialect.eventNamePattern)
    }

    /// State of one `scan` call.
    struct Window {
        var b: UnsafeRawBufferPointer
        /// Earliest byte that may be looked at (history kept for look-back).
        var floor: Int
        var dataEnd: Int
        var atEOF: Bool
    }

    struct NeedMore: Error { var resumeAt: Int }

    /// Handles every marker in `bytes[from..<to]`, where `to` is a line start (or `dataEnd` at
    /// end of input). Bytes from `floor` on may be read for look-back, up to `dataEnd` for
    /// objects that run past `to`.
    public mutating func scan<S: ExtractionSink>(_ bytes: UnsafeRawBufferPointer, floor: Int, from: Int, to: Int,
                                                 dataEnd: Int, atEOF: Bool, sink: inout S) -> Outcome {
        let w = Window(b: bytes, floor: floor, dataEnd: dataEnd, atEOF: atEOF)
        if consumedEnd < floor { consumedEnd = floor }
        lineCache = (-1, -1)  // the buffer may have moved
        libvirtCache = (-1, nil)
        var pos = max(from, consumedEnd)
        let needle: StaticString = "event"
        let needleBuf = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        while pos < to, let hit = ByteScan.find(needleBuf, in: bytes, from: pos, to: min(to + 4, dataEnd)) {
            if hit >= to { break }
            if hit < consumedEnd { pos = consumedEnd; continue }
            do {
                pos = try handle(hit: hit, w, &sink)
            } catch {
                return .needMore(resumeAt: error.resumeAt)
            }
        }
        return .done
    }

    // MARK: - Marker classification

    enum MarkerKind { case quoted, virsh, libvirtEventEquals, none }

    @inline(__always)
    func markerKind(_ hit: Int, lineStart: Int, _ w: Window) -> MarkerKind {
        let b = w.b
        if hit > w.floor && hit + 5 < w.dataEnd {
            let before = b[hit - 1], after = b[hit + 5]
            if (before == 0x22 && after == 0x22) || (before == 0x27 && after == 0x27) { return .quoted }
        }
        if hit + 6 < w.dataEnd && b[hit + 5] == 0x20 {
            // `event NAME ` at the line start, or after a virsh --timestamp clock.
            if hit == lineStart { return .virsh }
            if hit - lineStart == 30 && b[hit - 2] == 0x3A { return .virsh }
        }
        if hit + 5 < w.dataEnd && b[hit + 5] == 0x3D && ByteScan.matches(b, at: hit - 27, "QEMU_MONITOR_RECV_EVENT: mon=", limit: hit) {
            return .libvirtEventEquals
        }
        return .none
    }

    /// Handles the marker at `hit`; returns where the scan continues.
    mutating func handle<S: ExtractionSink>(hit: Int, _ w: Window, _ sink: inout S) throws(NeedMore) -> Int {
        let ls = lineStart(of: hit, w)
        let kind = markerKind(hit, lineStart: ls, w)
        switch kind {
        case .none:
            return hit + 5
        case .virsh:
            if let end = try handleVirsh(lineStart: ls, w, &sink) { return end }
            return hit + 5
        case .libvirtEventEquals, .quoted:
            // A libvirt record carrying QEMU's text?
            if let end = try handleLibvirt(lineStart: ls, upTo: hit, w, &sink) { return end }
            if kind == .libvirtEventEquals { return hit + 5 }
            // Inside a multi-line object begun on an earlier line?
            if isContinuation(ls, w), let end = try handleContinuation(lineStart: ls, hit: hit, w, &sink) {
                return end
            }
            return try handleJSONInLine(lineStart: ls, hit: hit, dialect: .qmpWire, w, &sink)
        }
    }

    @inline(__always)
    func isContinuation(_ lineStart: Int, _ w: Window) -> Bool {
        guard lineStart < w.dataEnd else { return false }
        let c = w.b[lineStart]
        return c == 0x20 || c == 0x09 || c == 0x7D || c == 0x5D
    }

    /// End of the text of an object whose first line starts at `lineStart`: the end of the last
    /// continuation line after it (excluding its newline).
    /// Start of the line holding `hit`, from the cache when the previous marker was on it.
    mutating func lineStart(of hit: Int, _ w: Window) -> Int {
        if hit >= lineCache.start && hit < lineCache.end { return lineCache.start }
        let ls = ByteScan.lineStart(w.b, hit, floor: max(w.floor, 0))
        lineCache = (ls, ByteScan.lineEnd(w.b, hit, limit: w.dataEnd))
        return ls
    }

    /// End of the line starting at `lineStart` (cached for the current marker's line).
    func lineEnd(from lineStart: Int, _ w: Window) -> Int {
        if lineStart == lineCache.start { return lineCache.end }
        return ByteScan.lineEnd(w.b, lineStart, limit: w.dataEnd)
    }

    func extentEnd(_ lineStart: Int, _ w: Window) throws(NeedMore) -> Int {
        var le = lineEnd(from: lineStart, w)
        while true {
            if le >= w.dataEnd {
                if w.atEOF { return w.dataEnd }
                throw NeedMore(resumeAt: lineStart)
            }
            let next = le + 1
            if next >= w.dataEnd {
                if w.atEOF { return le }
                throw NeedMore(resumeAt: lineStart)
            }
            if !isContinuation(next, w) { return le }
            if next - lineStart > options.maxObjectBytes { return le }
            le = ByteScan.lineEnd(w.b, next, limit: w.dataEnd)
        }
    }

    // MARK: - Dialects

    mutating func handleLibvirt<S: ExtractionSink>(lineStart ls: Int, upTo hit: Int, _ w: Window, _ sink: inout S) throws(NeedMore) -> Int? {
        // Once per line: a cheap test for the fixed record names, then the pattern (a marker
        // far along a very long line must not search the line from its start again).
        if libvirtCache.lineStart != ls {
            let le = lineEnd(from: ls, w)
            var match: Regex.Match?
            if ByteScan.find(UnsafeRawBufferPointer(start: ("QEMU_MONITOR_" as StaticString).utf8Start, count: 13), in: w.b, from: ls, to: le) != nil
                || ByteScan.find(UnsafeRawBufferPointer(start: ("Line [" as StaticString).utf8Start, count: 6), in: w.b, from: ls, to: le) != nil {
                match = try? libvirtRegex.firstMatch(in: w.b, from: ls, to: le)
            }
            libvirtCache = (ls, match)
        }
        guard let m = libvirtCache.match else { return nil }
        let payload = m.range.upperBound
        guard payload <= hit else { return nil }
        // RECV_EVENT, IO_PROCESS and Line carry QEMU's events; RECV_REPLY, SEND_MSG, IO_WRITE do not.
        var recvEvent = false, carriesEvents = true
        if let g = m.groups[0] {
            recvEvent = ByteScan.matches(w.b, at: g.lowerBound, "RECV_EVENT", limit: g.upperBound)
            carriesEvents = recvEvent || ByteScan.matches(w.b, at: g.lowerBound, "IO_PROCESS", limit: g.upperBound)
        }
        let stream = m.groups[1]
        // Parse the object(s) the record carries, from the payload or past those already
        // handled, until one covers the marker (a `buf=` may hold several messages).
        var p = max(payload, consumedEnd)
        var limit: Int?
        let isEcho = recvEvent || m.groups[0] == nil
        while true {
            while p < hit && ByteScan.isSpace(w.b[p]) { p += 1 }
            guard p < hit, w.b[p] == 0x7B || w.b[p] == 0x5B else {
                return nil
            }
            let lim: Int
            if let limit { lim = limit } else { lim = try extentEnd(ls, w); limit = lim }
            let end = handleObject(at: p, lineStart: ls, limit: lim, covering: hit,
                                   dialect: .libvirtMonitor, stream: stream,
                                   allowEvent: carriesEvents, checkEcho: isEcho, w, &sink)
            if end > hit { return end }
            p = end
        }
    }

    mutating func handleVirsh<S: ExtractionSink>(lineStart ls: Int, _ w: Window, _ sink: inout S) throws(NeedMore) -> Int? {
        let le = ByteScan.lineEnd(w.b, ls, limit: w.dataEnd)
        var contentEnd = le
        if contentEnd > ls && w.b[contentEnd - 1] == ByteScan.cr { contentEnd -= 1 }
        guard let m = try? virshRegex.firstMatch(in: w.b, from: ls, to: contentEnd, anchored: true) else { return nil }
        func text(_ r: Range<Int>?) -> String? { r.map { String(decoding: UnsafeRawBufferPointer(rebasing: w.b[$0]), as: UTF8.self) } }
        let name = text(m.groups[1]) ?? ""
        let nameOffset = m.groups[1]!.lowerBound
        var timestamp = RecordTimestamp.hostClock
        if let s = m.groups[2], let u = m.groups[3] {
            let sec = Int64(text(s)!) ?? Int64.min
            var micros = Int64(text(u)!) ?? 0
            // libvirt prints %06u: six digits are microseconds.
            if u.count != 6 {
                var digits = String(text(u)!.prefix(6))
                while digits.count < 6 { digits += "0" }
                micros = Int64(digits) ?? 0
            }
            timestamp = .given(seconds: sec, microseconds: micros)
        }
        var domain = m.groups[4]!
        if domain.count >= 2, w.b[domain.lowerBound] == 0x27 || w.b[domain.lowerBound] == 0x22 {
            domain = (domain.lowerBound + 1)..<(domain.upperBound - 1)
        }
        let details = m.range.upperBound
        // A marker inside the record's head (a domain name holding `"event"`, found by fuzzing)
        // belongs to the record: counted with its details.
        if ByteScan.matches(w.b, at: details, "<null>", limit: contentEnd) {
            sink.markers(.event, count: 1)
            countMarkers(in: ls, details, bucket: .insideEvent, w, &sink)
            tape.reset(bytes: w.b)
            // Text after `<null>` (garbage from a crashing terminal) is scanned like any other.
            consumedEnd = details + 6
            sink.event(ExtractedEvent(envelope: .record(name: name, nameOffset: nameOffset, data: nil, timestamp: timestamp),
                                      dialect: .virshEvent, start: ls, end: contentEnd, stream: domain), tape: tape)
            return details + 6
        }
        guard details < contentEnd, w.b[details] == 0x7B else {
            sink.markers(.malformed, count: 1)
            countMarkers(in: ls, contentEnd, bucket: .malformed, w, &sink)
            consumedEnd = le
            sink.malformed(MalformedEvent(dialect: .virshEvent, start: ls, fault: details,
                                          message: "event details are neither a JSON object nor <null>", name: name, end: contentEnd))
            return le
        }
        let limit = try extentEnd(ls, w)
        tape.reset(bytes: w.b)
        switch JSONParser.parseValue(w.b, from: details, limit: limit, options: options.json, into: &tape) {
        case .success(let end):
            // Text after the details on the same line is scanned like any other (found by
            // fuzzing: a marker there was lost).
            consumedEnd = end
            sink.markers(.event, count: 1)
            countMarkers(in: ls, end, bucket: .insideEvent, w, &sink)
            sink.event(ExtractedEvent(envelope: .record(name: name, nameOffset: nameOffset, data: 0, timestamp: timestamp),
                                      dialect: end > le ? .prettyJSON : .virshEvent, start: ls, end: end, stream: domain), tape: tape)
            return consumedEnd
        case .failure(let e):
            let faultLineEnd = ByteScan.lineEnd(w.b, min(e.offset, limit), limit: w.dataEnd)
            consumedEnd = max(faultLineEnd, le)
            sink.markers(.malformed, count: 1)
            countMarkers(in: ls, consumedEnd, bucket: .malformed, w, &sink)
            sink.malformed(MalformedEvent(dialect: .virshEvent, start: ls, fault: e.offset, message: e.message, name: name, end: consumedEnd))
            return consumedEnd
        }
    }

    /// A marker on a line that continues an object: find the object's first line and handle it.
    mutating func handleContinuation<S: ExtractionSink>(lineStart ls: Int, hit: Int, _ w: Window, _ sink: inout S) throws(NeedMore) -> Int? {
        var l = ls
        let lowest = max(w.floor, consumedEnd, ls - options.maxObjectBytes)
        while l > lowest {
            let prev = ByteScan.lineStart(w.b, l - 1, floor: lowest)
            if prev < lowest { return nil }
            l = prev
            if !isContinuation(l, w) { break }
            if l == lowest { return nil }
        }
        if isContinuation(l, w) || l < lowest { return nil }
        // The first line: a virsh record with --pretty details, a libvirt record, or JSON.
        let le = ByteScan.lineEnd(w.b, l, limit: w.dataEnd)
        if ByteScan.matches(w.b, at: l, "event ", limit: le) || (le - l > 36 && ByteScan.matches(w.b, at: l + 30, "event ", limit: le)) {
            let before = consumedEnd
            if let end = try handleVirsh(lineStart: l, w, &sink) {
                if end > hit { return end }
                consumedEnd = before
                return nil
            }
        }
        guard ByteScan.find(0x7B, in: w.b, from: l, to: le) != nil else { return nil }
        let limit = try extentEnd(l, w)
        guard limit > hit else { return nil }
        var p = l
        while let brace = ByteScan.find(0x7B, in: w.b, from: p, to: le) {
            tape.reset(bytes: w.b)
            switch JSONParser.parseValue(w.b, from: brace, limit: limit, options: options.json, into: &tape) {
            case .success(let end):
                if end > hit {
                    return handleParsed(at: brace, end: end, lineStart: l, dialect: .prettyJSON, stream: nil, allowEvent: true, checkEcho: false, w, &sink)
                }
                p = end
            case .failure(let e):
                if e.offset > hit {
                    return handleFailure(at: brace, error: e, limit: limit, dialect: .prettyJSON, w, &sink)
                }
                p = brace + 1
            }
        }
        return nil
    }

    /// A marker on a line of its own: JSON objects anywhere in the line (several allowed).
    mutating func handleJSONInLine<S: ExtractionSink>(lineStart ls: Int, hit: Int, dialect: Dialect.ID, _ w: Window, _ sink: inout S) throws(NeedMore) -> Int {
        var p = max(ls, consumedEnd)
        var limit: Int?
        while let brace = ByteScan.find(0x7B, in: w.b, from: p, to: hit) {
            let lim: Int
            if let limit { lim = limit } else { lim = try extentEnd(ls, w); limit = lim }
            tape.reset(bytes: w.b)
            switch JSONParser.parseValue(w.b, from: brace, limit: lim, options: options.json, into: &tape) {
            case .success(let end):
                if end > hit {
                    return handleParsed(at: brace, end: end, lineStart: ls, dialect: dialect, stream: nil, allowEvent: true, checkEcho: false, w, &sink)
                }
                p = end
            case .failure(let e):
                if e.offset > hit {
                    return handleFailure(at: brace, error: e, limit: lim, dialect: dialect, w, &sink)
                }
                p = brace + 1
            }
        }
        // A marker in prose, or one whose object could not be found.
        sink.markers(.stray, count: 1)
        return hit + 5
    }

    /// Parses the object at `p` (a libvirt payload) and reports it.
    mutating func handleObject<S: ExtractionSink>(at p: Int, lineStart ls: Int, limit: Int, covering hit: Int, dialect: Dialect.ID,
                                                  stream: Range<Int>?, allowEvent: Bool, checkEcho: Bool, _ w: Window, _ sink: inout S) -> Int {
        tape.reset(bytes: w.b)
        switch JSONParser.parseValue(w.b, from: p, limit: limit, options: options.json, into: &tape) {
        case .success(let end):
            return handleParsed(at: p, end: end, lineStart: ls, dialect: dialect, stream: stream, allowEvent: allowEvent, checkEcho: checkEcho, w, &sink)
        case .failure(let e):
            if !allowEvent {
                let stop = ByteScan.lineEnd(w.b, min(e.offset, limit), limit: w.dataEnd)
                consumedEnd = stop
                countMarkers(in: p, stop, bucket: .nonEvent, w, &sink)
                return stop
            }
            return handleFailure(at: p, error: e, limit: limit, dialect: dialect, w, &sink)
        }
    }

    /// The tape holds a complete value parsed from `p` to `end`: an event, or something else.
    mutating func handleParsed<S: ExtractionSink>(at p: Int, end: Int, lineStart: Int, dialect: Dialect.ID, stream: Range<Int>?,
                                                  allowEvent: Bool, checkEcho: Bool, _ w: Window, _ sink: inout S) -> Int {
        consumedEnd = end
        let root = tape.nodes[0]
        var eventMember: Int?
        if root.kind == .object { eventMember = tape.member(0, "event") }
        if allowEvent, let ev = eventMember, tape.nodes[ev].kind == .string {
            if checkEcho, isEcho(start: p, end: end, lineStart: lineStart, w) {
                countMarkers(in: p, end, bucket: .echo, w, &sink)
                sink.nonEvent(kind: .echo, start: p, end: end)
                return end
            }
            sink.markers(.event, count: 1)
            // Every other marker inside the event is nested or in a string.
            let total = markerCount(in: p, end, w)
            if total > 1 { sink.markers(.insideEvent, count: total - 1) }
            var d = dialect
            if d == .qmpWire {
                if tape.nodes[ev].flags & JSONNode.singleQuoted != 0 { d = .pythonRepr }
                else if ByteScan.find(0x0A, in: w.b, from: p, to: end) != nil { d = .prettyJSON }
            }
            sink.event(ExtractedEvent(envelope: .json(root: 0), dialect: d, start: p, end: end, stream: stream), tape: tape)
            return end
        }
        countMarkers(in: p, end, bucket: .nonEvent, w, &sink)
        var kind = NonEventKind.other
        if root.kind == .object {
            if tape.member(0, "execute") != nil || tape.member(0, "exec-oob") != nil { kind = .command }
            else if tape.member(0, "return") != nil || tape.member(0, "error") != nil { kind = .reply }
            else if tape.member(0, "QMP") != nil || (root.count == 1 && tape.nodes[1].kind == .placeholder) { kind = .greeting }
        }
        sink.nonEvent(kind: kind, start: p, end: end)
        return end
    }

    /// Text from `p` failed to parse at `error.offset`, past the marker: malformed when the
    /// object has a top-level `event` member, otherwise a broken non-event.
    mutating func handleFailure<S: ExtractionSink>(at p: Int, error e: JSONParseError, limit: Int, dialect: Dialect.ID,
                                                   _ w: Window, _ sink: inout S) -> Int {
        let faultLineEnd = ByteScan.lineEnd(w.b, min(e.offset, limit), limit: w.dataEnd)
        let stop = max(faultLineEnd, min(e.offset + 1, w.dataEnd))
        consumedEnd = stop
        if hasTopLevelEventKey(from: p, to: min(limit, stop), w) {
            countMarkers(in: p, stop, bucket: .malformed, w, &sink)
            var name: String?
            if let m = try? nameRegex.firstMatch(in: w.b, from: p, to: min(limit, stop)), let g = m.groups[0] {
                name = String(decoding: UnsafeRawBufferPointer(rebasing: w.b[g]), as: UTF8.self)
            }
            let message = e.kind == .unexpectedEnd
                ? "event text ends before the object is complete (\(e.message))" : e.message
            sink.malformed(MalformedEvent(dialect: dialect, start: p, fault: e.offset, message: message, name: name, end: stop))
        } else {
            countMarkers(in: p, stop, bucket: .nonEvent, w, &sink)
            sink.nonEvent(kind: .other, start: p, end: stop)
        }
        return stop
    }

    /// Scans `b[from..<to]` (text of an object that may be cut) for a key `event` at depth 1.
    func hasTopLevelEventKey(from: Int, to: Int, _ w: Window) -> Bool {
        var depth = 0
        var i = from
        let b = w.b
        while i < to {
            let c = b[i]
            if c == 0x22 || c == 0x27 {
                var j = i + 1
                while j < to && b[j] != c { if b[j] == 0x5C { j += 1 }; j += 1 }
                if depth == 1 && j - i == 6 && ByteScan.matches(b, at: i + 1, "event", limit: to) {
                    var k = j + 1
                    while k < to && (ByteScan.isSpace(b[k]) || b[k] == 0x0A || b[k] == 0x0D) { k += 1 }
                    if k >= to || b[k] == 0x3A { return true }
                }
                i = j + 1
                continue
            }
            if c == 0x7B || c == 0x5B { depth += 1 } else if c == 0x7D || c == 0x5D { depth -= 1 }
            i += 1
        }
        return false
    }

    /// A libvirt echo: the same text in one of the preceding few lines (IO_PROCESS buf= or Line [...]).
    func isEcho(start: Int, end: Int, lineStart: Int, _ w: Window) -> Bool {
        var l = lineStart
        let lowest = max(w.floor, 0)
        var n = 0
        while l > lowest && n < options.echoLookbackLines {
            l = ByteScan.lineStart(w.b, l - 1, floor: lowest)
            n += 1
        }
        guard l < lineStart else { return false }
        // Only the records that echo QEMU's text can hold an earlier copy.
        let io: StaticString = "_IO_PROCESS: mon=", line: StaticString = "Line ["
        guard ByteScan.find(UnsafeRawBufferPointer(start: line.utf8Start, count: line.utf8CodeUnitCount), in: w.b, from: l, to: lineStart) != nil
            || ByteScan.find(UnsafeRawBufferPointer(start: io.utf8Start, count: io.utf8CodeUnitCount), in: w.b, from: l, to: lineStart) != nil
        else { return false }
        let needle = UnsafeRawBufferPointer(rebasing: w.b[start..<end])
        return ByteScan.find(needle, in: w.b, from: l, to: lineStart) != nil
    }

    func markerCount(in from: Int, _ to: Int, _ w: Window) -> Int {
        var n = 0
        var p = from
        let needle: StaticString = "event"
        let nb = UnsafeRawBufferPointer(start: needle.utf8Start, count: 5)
        while let h = ByteScan.find(nb, in: w.b, from: p, to: to) {
            if h > from && h + 5 < to {
                let a = w.b[h - 1], z = w.b[h + 5]
                if (a == 0x22 && z == 0x22) || (a == 0x27 && z == 0x27) { n += 1 }
            }
            p = h + 5
        }
        return n
    }

    func countMarkers<S: ExtractionSink>(in from: Int, _ to: Int, bucket: MarkerBucket, _ w: Window, _ sink: inout S) {
        let n = markerCount(in: from, to, w)
        if n > 0 { sink.markers(bucket, count: n) }
    }
}
