/// `virsh qemu-monitor-event` output: `event NAME at SECONDS.MICROS for domain NAME: DETAILS`
/// (`--timestamp`: libvirt's clock before `event` and no `at`; `--pretty`: DETAILS over several
/// lines). DETAILS is the event's `data` as libvirt re-serialised it, or `<null>`; `at
/// -1.000000` means QEMU sent no timestamp. The stream is the domain.
public enum VirshEventDialect: Dialect {
    public static let id = DialectID.virshEvent
    public static let summary = "virsh qemu-monitor-event records (plain, --timestamp, --pretty)"

    /// Matched anchored at a line's text: optional `--timestamp` clock, name, QEMU time, domain.
    /// A quoted domain may itself hold quotes and spaces (`'it's vm 1'`).
    static let recordPattern =
        #"(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}): )?event (\S+) (?:at (-?\d+)\.(\d+) )?for domain ('(?:[^']|'(?!: ))*'|"(?:[^"]|"(?!: ))*"|\S+): "#

    public static let samples: [DialectSample] = [
        DialectSample(#"event BALLOON_CHANGE at 1709288600.595545 for domain db-primary: {"actual":3897556992}"#,
                      ["event BALLOON_CHANGE"]),
        DialectSample("event STOP at 1698405797.422823 for domain 'default_vmi-ephemeral': <null>", ["event STOP"]),
        DialectSample("2024-03-01 10:22:53.012+0000: event RESUME for domain vm1: <null>", ["event RESUME"]),
        DialectSample(
            "event SHUTDOWN at 1709288601.018544 for domain vm1: {\n  \"guest\": false,\n  \"reason\": \"host-qmp-quit\"\n}",
            ["event SHUTDOWN"]),
        DialectSample("event STOP at 1709288601.018544 for domain 'it's vm 1': <null>", ["event STOP"]),
    ]

    public static func read(_ r: inout UnitReader) -> Bool {
        let b = r.bytes
        let s = r.firstLineTextStart
        let e = r.firstLineEnd
        guard e - s >= 6, b[s] == 0x65 || LineShape.isDigit(b[s]),
              let m = try? r.engine.virsh.firstMatch(in: b, from: s, to: e, anchored: true)
        else { return false }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: b[range]), as: UTF8.self) }
        let nameRange = m.groups[1]!
        let name = text(nameRange)
        var timestamp = RecordTimestamp.hostClock
        if let sr = m.groups[2], let ur = m.groups[3] {
            let sec = Int64(text(sr)) ?? Int64.min
            // libvirt prints %06u: six digits are microseconds.
            var digits = String(text(ur).prefix(6))
            while digits.count < 6 { digits += "0" }
            timestamp = .given(seconds: sec, microseconds: Int64(digits) ?? 0)
        }
        var domain = m.groups[4]!
        if domain.count >= 2, b[domain.lowerBound] == 0x27 || b[domain.lowerBound] == 0x22 {
            domain = (domain.lowerBound + 1)..<(domain.upperBound - 1)
        }
        let details = m.range.upperBound
        // The record's own marker (its `event NAME`), and any marker in its head (a domain
        // name holding `"event"`).
        r.claimMarkers(r.start, details, .notEvents)
        let head = r.start
        // The record itself is a marker of the input (not inside decoded text, where the
        // input holds no such record).
        let own = r.text.nested ? 0 : 1
        if ByteScan.matches(b, at: details, "<null>", limit: e) {
            if own > 0 { r.sink.markers(.events, count: 1) }
            r.engine.tape.reset(bytes: b)
            r.sink.message(
                ExtractedMessage(kind: .event, envelope: .virsh(name: name, nameOffset: nameRange.lowerBound, data: nil,
                                                                 timestamp: timestamp),
                                 dialect: id, start: head, end: details + 6, stream: domain, carriesReply: false,
                                 record: nil, markers: (own, 0)),
                tape: r.engine.tape, text: r.text)
            // Text after `<null>` (garbage from a crashing terminal) is read like any other.
            r.readObjects(details + 6, r.end, UnitReader.Policy(dialect: QMPJSONDialect.id))
            return true
        }
        guard details < e, b[details] == 0x7B else {
            if own > 0 { r.sink.markers(.malformed, count: 1) }
            let inner = r.claimMarkers(details, r.end, .malformed)
            r.sink.malformed(
                MalformedMessage(kind: .event, dialect: id, start: head, fault: details,
                                 message: "event details are neither a JSON object nor <null>", name: name, end: e,
                                 stream: domain, record: nil, markers: inner.count + own),
                text: r.text)
            return true
        }
        r.engine.tape.reset(bytes: b)
        switch JSONParser.parseValue(b, from: details, limit: r.end, options: r.engine.options.json, into: &r.engine.tape) {
        case .success(let end):
            if own > 0 { r.sink.markers(.events, count: 1) }
            let inner = r.claimMarkers(details, end, .notEvents)
            r.sink.message(
                ExtractedMessage(kind: .event, envelope: .virsh(name: name, nameOffset: nameRange.lowerBound, data: 0,
                                                                 timestamp: timestamp),
                                 dialect: id, start: head, end: end, stream: domain, carriesReply: false, record: nil,
                                 markers: (own, inner.count)),
                tape: r.engine.tape, text: r.text)
            // Text after the details on the same line is read like any other (found by fuzzing:
            // a marker there was lost).
            r.readObjects(end, r.end, UnitReader.Policy(dialect: QMPJSONDialect.id))
        case .failure(let err):
            let stop = min(max(err.offset + 1, details + 1), r.end)
            if own > 0 { r.sink.markers(.malformed, count: 1) }
            let inner = r.claimMarkers(details, stop, .malformed)
            r.sink.malformed(
                MalformedMessage(kind: .event, dialect: id, start: head, fault: min(err.offset, r.end), message: err.message,
                                 name: name, end: stop, stream: domain, record: nil, markers: inner.count + own),
                text: r.text)
            r.readObjects(stop, r.end, UnitReader.Policy(dialect: QMPJSONDialect.id))
        }
        return true
    }
}
