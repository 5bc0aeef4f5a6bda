/// Receives what the extractor finds, in text order.
public protocol MessageSink: AnyObject {
    /// A parsed message. Offsets are `text`'s; `tape` is valid only during the call.
    func message(_ message: ExtractedMessage, tape: JSONTape, text: ExtractionText)
    /// QMP text that could not be parsed.
    func malformed(_ malformed: MalformedMessage, text: ExtractionText)
    /// An event-like marker (`"event":` outside anything parsed) at `offset` of `text`.
    func unparsed(at offset: Int, text: ExtractionText)
    func markers(_ bucket: MarkerBucket, count: Int)
}

/// Finds every QMP message (event, command, reply, greeting) in a window of log text,
/// whatever its shape, and parses it exactly.
///
/// How: a scan for the bytes `{` and `event` finds the units (`LineShape`) worth reading; each
/// unit is offered to the dialects (`Dialects.all`), which find the messages in it. Every event
/// marker of a unit is put in one bucket (`MarkerBucket`): nothing event-like is dropped
/// silently. Cost is linear in the text: each byte is parsed at most once per reading.
public struct MessageExtractor {
    public struct Options: Sendable {
        public var json = JSONParser.Options.lenient
        /// The longest unit: a record with more continuation lines is read in pieces.
        public var maxUnitBytes = 8 << 20
        public init() {}
    }

    let engine: ExtractorEngine

    public init(options: Options = Options()) {
        engine = ExtractorEngine(options: options)
    }

    public var options: Options { engine.options }

    /// Reads every unit that starts in `b[from..<to]` (`from` is a unit start; `to` a unit
    /// start or the end of the data). Bytes from `floor` on may be read for look-back.
    public func scan(_ b: UnsafeRawBufferPointer, floor: Int, from: Int, to: Int, sink: any MessageSink) {
        var pos = from
        var nextBrace = -1
        var nextWord = -1
        var nextGreeting = -1
        let word: StaticString = "event"
        let wordBytes = UnsafeRawBufferPointer(start: word.utf8Start, count: 5)
        let greeting: StaticString = "QMP_VERSION"
        let greetingBytes = UnsafeRawBufferPointer(start: greeting.utf8Start, count: 11)
        while pos < to {
            if nextBrace < pos { nextBrace = ByteScan.find(0x7B, in: b, from: pos, to: to) ?? to }
            if nextWord < pos { nextWord = ByteScan.find(wordBytes, in: b, from: pos, to: to) ?? to }
            if nextGreeting < pos { nextGreeting = ByteScan.find(greetingBytes, in: b, from: pos, to: to) ?? to }
            let hit = min(nextBrace, nextWord, nextGreeting)
            if hit >= to { break }
            let unit = Units.unit(containing: hit, in: b, floor: pos, limit: to, maxBytes: engine.options.maxUnitBytes)
            engine.readUnit(b, unit: unit, floor: floor, sink: sink)
            pos = unit.next
        }
    }

    /// Reads a whole buffer (tests, small inputs).
    public func scan(_ b: UnsafeRawBufferPointer, sink: any MessageSink) {
        scan(b, floor: 0, from: 0, to: b.count, sink: sink)
    }
}

/// A unit's place in the input: its first byte, the end of its text and where the next unit
/// starts, and the lines that carry a repeated log prefix (none for most units).
struct UnitBounds {
    var start: Int
    /// End of the last line's text (before its CR LF).
    var end: Int
    /// Start of the next unit (past the last line's `\n`), or the limit.
    var next: Int
    /// Lines behind a repeated prefix: (line start, prefix length incl. a leading CR).
    var prefixed: [(line: Int, prefix: Int)]
}

enum Units {
    /// The unit holding offset `hit`: back to its first line (not before `floor`, a unit start),
    /// then forward over the lines that continue it (not past `limit`, at most `maxBytes`).
    static func unit(containing hit: Int, in b: UnsafeRawBufferPointer, floor: Int, limit: Int, maxBytes: Int) -> UnitBounds {
        // Back to the first line.
        var start = LineShape.lineStart(b, hit, floor: floor)
        while start > floor && hit - start <= maxBytes {
            let pl = LineShape.lineStart(b, start - 1, floor: floor)
            let le = LineShape.lineEnd(b, start, limit: limit)
            if LineShape.continuation(b, line: start, end: le, previous: pl, end: start - 1) == .none { break }
            start = pl
        }
        // Forward, carving pieces of at most `maxBytes` from the first line, until the piece
        // that holds `hit`.
        while true {
            let u = forward(from: start, in: b, limit: limit, maxBytes: maxBytes)
            if u.next > hit || u.next >= limit { return u }
            start = u.next
        }
    }

    /// The unit whose first line starts at `start`.
    static func forward(from start: Int, in b: UnsafeRawBufferPointer, limit: Int, maxBytes: Int) -> UnitBounds {
        var le = LineShape.lineEnd(b, start, limit: limit)
        var lineStart = start
        var prefixed: [(line: Int, prefix: Int)] = []
        while le < limit {
            let next = le + 1
            if next >= limit { break }
            let nle = LineShape.lineEnd(b, next, limit: limit)
            if nle - start > maxBytes { break }
            switch LineShape.continuation(b, line: next, end: nle, previous: lineStart, end: le) {
            case .none:
                return UnitBounds(start: start, end: LineShape.textEnd(b, lineStart, le), next: next, prefixed: prefixed)
            case .plain:
                break
            case .prefixed(let n):
                prefixed.append((next, LineShape.textStart(b, next, nle) - next + n))
            }
            lineStart = next
            le = nle
        }
        let next = le < limit ? le + 1 : limit
        return UnitBounds(start: start, end: LineShape.textEnd(b, lineStart, le), next: min(next, limit), prefixed: prefixed)
    }
}

/// Shared state of one extractor (one per worker thread): options, compiled patterns, the tape.
final class ExtractorEngine {
    let options: MessageExtractor.Options
    let libvirt: Regex
    let virsh: Regex
    let eventName: Regex
    let commandName: Regex
    var tape = JSONTape()
    /// Nesting of decoded readings (QMP escaped in a JSON string): bounded.
    var depth = 0

    init(options: MessageExtractor.Options) {
        self.options = options
        // The patterns are constants proven by tests; failing to compile them is a build bug.
        libvirt = try! Regex(LibvirtMonitorDialect.recordPattern)
        virsh = try! Regex(VirshEventDialect.recordPattern)
        eventName = try! Regex(#"["']event["']\s*:\s*["']([^"'\\\r\n]{1,200})["']"#)
        commandName = try! Regex(#"["']exec(?:ute|-oob)["']\s*:\s*["']([^"'\\\r\n]{1,200})["']"#)
    }

    /// Reads one unit of input text.
    func readUnit(_ b: UnsafeRawBufferPointer, unit: UnitBounds, floor: Int, sink: any MessageSink) {
        let raw = Markers.positions(in: b, from: unit.start, to: unit.end)
        if unit.prefixed.isEmpty {
            var reader = UnitReader(
                engine: self, sink: sink, text: ExtractionText(bytes: b), start: unit.start, end: unit.end,
                floor: floor, markers: raw)
            read(&reader)
            return
        }
        // Behind a repeated prefix: read a copy without the prefixes.
        var builder = DerivedTextBuilder()
        var lineStart = unit.start
        var k = 0
        while lineStart < unit.end {
            let le = LineShape.lineEnd(b, lineStart, limit: unit.end)
            var from = lineStart
            if k < unit.prefixed.count && unit.prefixed[k].line == lineStart {
                from = lineStart + unit.prefixed[k].prefix
                k += 1
            }
            let to = le < unit.end ? le + 1 : unit.end
            builder.append(b, from, to, inputAt: from)
            lineStart = le + 1
        }
        let (markers, dropped) = Markers.map(raw, through: builder.pieces, textCount: builder.bytes.count)
        if dropped > 0 { sink.markers(.notEvents, count: dropped) }
        builder.bytes.withUnsafeBytes { copy in
            var reader = UnitReader(
                engine: self, sink: sink,
                text: ExtractionText(bytes: copy, pieces: builder.pieces, nested: false),
                start: 0, end: copy.count, floor: 0, markers: markers)
            read(&reader)
        }
    }

    /// Offers the unit to the dialects, then settles the markers no reading explained.
    func read(_ reader: inout UnitReader) {
        for d in Dialects.all where d.read(&reader) { break }
        reader.settleMarkers(upTo: Int.max)
    }
}

/// Finding event markers: `"event"`, `'event'`, and `\"event\"` (escaped in a JSON string).
public enum Markers {
    /// Offsets (of the `e`) of the markers in `b[from..<to]`.
    static func positions(in b: UnsafeRawBufferPointer, from: Int, to: Int) -> [Int] {
        var out: [Int] = []
        let word: StaticString = "event"
        let nb = UnsafeRawBufferPointer(start: word.utf8Start, count: 5)
        var p = from
        while let h = ByteScan.find(nb, in: b, from: p, to: to) {
            if isMarker(b, h, floor: from, limit: to) { out.append(h) }
            p = h + 5
        }
        return out
    }

    /// Whether `event` at `h` is quoted on both sides (the same quote, or `\"` both sides).
    @inline(__always)
    public static func isMarker(_ b: UnsafeRawBufferPointer, _ h: Int, floor: Int, limit: Int) -> Bool {
        guard h > floor, h + 5 < limit else { return false }
        let a = b[h - 1], z = b[h + 5]
        if a == 0x22 && z == 0x22 { return true }
        if a == 0x27 && z == 0x27 { return true }
        return a == 0x22 && z == 0x5C && h - 2 >= floor && b[h - 2] == 0x5C && h + 6 < limit && b[h + 6] == 0x22
    }

    /// Counts markers in `b` the way the extractor defines them (for tests and invariants).
    public static func count(in b: UnsafeRawBufferPointer) -> Int { positions(in: b, from: 0, to: b.count).count }

    /// Text offsets of input markers `raw` in a derived text; markers in dropped bytes are counted.
    static func map(_ raw: [Int], through pieces: [(text: Int, input: Int)], textCount: Int) -> ([Int], dropped: Int) {
        var out: [Int] = []
        var dropped = 0
        var k = 0
        for r in raw {
            while k + 1 < pieces.count && pieces[k + 1].input <= r { k += 1 }
            guard k < pieces.count else { dropped += 1; continue }
            let p = pieces[k]
            let pieceEnd = k + 1 < pieces.count ? pieces[k + 1].text : textCount
            let t = p.text + (r - p.input)
            if r >= p.input && t < pieceEnd { out.append(t) } else { dropped += 1 }
        }
        return (out, dropped)
    }

    /// Whether the marker at `h` is followed by what makes it event text: up to three stray
    /// bytes, spaces, then `:` on the same line.
    static func looksLikeKey(_ b: UnsafeRawBufferPointer, _ h: Int, limit: Int) -> Bool {
        var i = h + 6
        if i < limit && b[i - 1] == 0x5C { i += 1 }  // `\"event\"`
        var stray = 0
        while i < limit {
            let c = b[i]
            if c == 0x3A { return true }
            if c == 0x0A || c == 0x0D { return false }
            if c == 0x20 || c == 0x09 { i += 1; continue }
            if c == 0x22 || c == 0x27 || c == 0x7B || c == 0x7D || c == 0x2C { return false }
            stray += 1
            if stray > 3 { return false }
            i += 1
        }
        return false
    }
}
