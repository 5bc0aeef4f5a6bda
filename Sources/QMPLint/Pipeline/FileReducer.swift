/// The stream rules of a run, and which messages each wants: built once per run.
struct StreamRulePlan: @unchecked Sendable {
    struct Slot {
        /// Index in `RuleRegistry.all`.
        var rule: Int
        var type: any StreamRule.Type
        var interest: StreamInterest
    }
    let slots: [Slot]
    /// Per message name, the data/argument members some rule reads; `allNames`: read for all.
    let members: [String: [String]]
    let allNames: [String]

    init(rules: RuleSet) {
        var slots: [Slot] = []
        for (i, r) in RuleRegistry.all.enumerated() {
            guard let s = r as? any StreamRule.Type, rules.severities[i] != nil else { continue }
            slots.append(Slot(rule: i, type: s, interest: s.interest))
        }
        self.slots = slots
        var members: [String: [String]] = [:]
        var all: [String] = []
        for s in slots where !s.interest.members.isEmpty {
            if let names = s.interest.names {
                for n in names { members[n, default: []].append(contentsOf: s.interest.members) }
            } else {
                all.append(contentsOf: s.interest.members)
            }
        }
        self.members = members.mapValues { Array(Set($0)).sorted() }
        allNames = Array(Set(all)).sorted()
    }

    /// The slots interested in a message of `kind` named `name`, as bits.
    func interest(_ kind: MessageKind, _ name: String) -> UInt64 {
        var mask: UInt64 = 0
        for (i, s) in slots.enumerated() where i < 64 {
            let it = s.interest
            guard it.kinds.contains(kind) else { continue }
            if let names = it.names, kind == .event || kind == .command, !names.contains(name) { continue }
            mask |= 1 << UInt64(i)
        }
        return mask
    }
}

/// Reduces the chunks of one input, in text order, into its `FileResult`: one message at a time
/// it tells echoes apart, follows streams and their QEMU sessions, matches replies to commands,
/// runs the stream rules, and places and counts every finding. Sequential by construction: the
/// answer cannot depend on how the input was cut or how many threads read it.
final class FileReducer {
    struct Config {
        var path: String
        var rules: RuleSet
        var plan: StreamRulePlan
        var maxFindings: Int
        var captureSourceLines: Bool
        /// The longest line read whole (`ChunkGeometry.maxLine`).
        var maxLine: Int
        /// Records events for the timeline formats within this budget (`item`: the input's index).
        var events: EventBudget?
        var item = 0
    }

    /// One stream (monitor, domain, or the input's own) and its current session.
    struct Stream {
        var key: StreamKey
        var session = 1
        /// Something happened in the session (a later greeting starts a new one).
        var active = false
        var rules: [any StreamRule]
        /// Commands waiting for their reply, in order.
        var pending: [(name: String, id: String?)] = []
    }

    let config: Config
    /// The schema the input is checked against, and why.
    var schema: SchemaChoice?
    private(set) var result: FileResult
    private var baseLine = 0
    /// Streams by index (0: the input's own), and their keys.
    private var streams: [Stream] = []
    private var streamIndex: [StreamKey: Int] = [:]
    /// The current chunk's stream keys as stream indices.
    private var local: [Int] = []
    /// Recently counted libvirt messages, newest last: (record, hash).
    private var recent: [(LibvirtRecord, UInt64)] = []
    /// `Line [...]` copies waiting for the record that may repeat them with its monitor.
    private var held: [MessageRecord] = []
    private let site = SiteSource()
    private var recording = true
    private var lastByte: UInt8 = 0x0A
    private var overlongCuts = 0

    init(config: Config) {
        self.config = config
        result = FileResult(path: config.path)
        site.captureSourceLines = config.captureSourceLines
        _ = stream(.transcript)
    }

    // MARK: - Chunks

    /// Takes in the next chunk; `buffer` holds its text (for the places of stream findings).
    func reduce(_ chunk: ChunkResult, keys: [StreamKey], buffer: UnsafeRawBufferPointer) {
        local = keys.map { stream($0) }
        site.newBuffer()
        result.markers += chunk.markers
        for f in chunk.loose { addFinding(f, stream: nil) }
        for (rule, n) in chunk.omitted {
            let id = RuleRegistry.all[rule].description.id
            result.count(rule: id, severity: config.rules.severity(of: id) ?? .note, times: n)
            result.omittedFindings += n
        }
        for r in chunk.messages { take(r, chunk, keys, buffer) }
        flushHeld(chunk, keys, buffer)
        if chunk.overlongLine {
            overlongCuts += 1
            if overlongCuts == 1 {
                result.summary.notices.append(InputNotice(
                    .warning, path: config.path,
                    message: "a line longer than \(config.maxLine >> 20) MiB at line \(baseLine + chunk.newlines + 1) "
                        + "is read in pieces; an object across a cut is reported as broken"))
            }
        }
        baseLine += chunk.newlines
        result.newlines += chunk.newlines
        result.summary.bytes += chunk.bytes
        if chunk.bytes > 0 { lastByte = chunk.lastByte }
        if result.summary.readError == nil, let e = chunk.readError { result.summary.readError = e }
    }

    /// The input ended: open sessions end, totals are settled.
    func finish() -> FileResult {
        for i in streams.indices.sorted(by: { streams[$0].key < streams[$1].key }) { endSession(i) }
        result.summary.lines = result.newlines + (result.summary.bytes > 0 && lastByte != 0x0A ? 1 : 0)
        result.trimFindings(to: config.maxFindings)
        return result
    }

    // MARK: - Messages

    private func take(_ r: MessageRecord, _ chunk: ChunkResult, _ keys: [StreamKey], _ buffer: UnsafeRawBufferPointer) {
        if let record = r.record {
            if recent.contains(where: { record.echoes.contains($0.0) && $0.1 == r.hash }) {
                echo(r)
                return
            }
            if record == .line {
                held.append(r)
                if held.count > 16 { count(held.removeFirst(), chunk, keys, buffer) }
                return
            }
            if record == .recvEvent || record == .recvReply, let j = held.firstIndex(where: { $0.hash == r.hash }) {
                for h in held[..<j] { count(h, chunk, keys, buffer) }
                echo(held[j])
                held.removeFirst(j + 1)
            }
        } else if !held.isEmpty && r.key < 0 {
            flushHeld(chunk, keys, buffer)
        }
        count(r, chunk, keys, buffer)
    }

    private func flushHeld(_ chunk: ChunkResult, _ keys: [StreamKey], _ buffer: UnsafeRawBufferPointer) {
        let h = held
        held = []
        for r in h { count(r, chunk, keys, buffer) }
    }

    /// A copy of a message counted already: only its markers are moved.
    private func echo(_ r: MessageRecord) {
        result.echoes += 1
        let inner = r.malformed && r.kind == .event ? MarkerBucket.malformed : .notEvents
        result.markers.events -= Int(r.markerEvent)
        result.markers[inner] -= Int(r.markerInner)
        result.markers.echoes += Int(r.markerEvent + r.markerInner)
    }

    /// A message counted once.
    private func count(_ r: MessageRecord, _ chunk: ChunkResult, _ keys: [StreamKey], _ buffer: UnsafeRawBufferPointer) {
        if let record = r.record {
            recent.append((record, r.hash))
            if recent.count > 16 { recent.removeFirst() }
        }
        let si = r.key >= 0 ? local[Int(r.key)] : 0
        let key = streams[si].key
        site.reset(buffer: buffer, start: r.start, end: r.end, line: baseLine + r.line,
                   event: r.kind == .event ? r.name : nil, invalid: r.hasError)
        if r.malformed {
            if r.kind == .event {
                result.summary.malformed += 1
                if !r.name.isEmpty {
                    result.eventsByName[r.name, default: EventCount()] += EventCount(total: 1, invalid: 1, malformed: 1)
                }
            }
            for f in chunk.findings[r.findings] { addFinding(shifted(f), stream: nil) }
            return
        }
        result.messages[r.kind.order] += 1
        result.dialects[r.dialect.index] += 1
        var answers: String?
        switch r.kind {
        case .greeting:
            boundary(si)
        case .command:
            if r.name == "qmp_capabilities" { boundary(si) }
            result.commandsByName[r.name, default: CommandCount()].total += 1
            if r.hasError { result.commandsByName[r.name, default: CommandCount()].invalid += 1 }
            if r.carriesReply {
                result.messages[MessageKind.reply.order] += 1
                if r.isError {
                    result.errorReplies += 1
                    result.commandsByName[r.name, default: CommandCount()].errors += 1
                }
            } else {
                streams[si].pending.append((r.name, r.id))
            }
        case .reply:
            answers = match(r, si)
            if r.isError {
                result.errorReplies += 1
                if let a = answers { result.commandsByName[a, default: CommandCount()].errors += 1 }
            }
        case .event:
            result.summary.events += 1
            result.eventsByName[r.name, default: EventCount()].total += 1
            if r.hasError {
                result.summary.invalidEvents += 1
                result.eventsByName[r.name, default: EventCount()].invalid += 1
            }
            if let t = r.time {
                if result.summary.firstEvent.map({ t < $0 }) ?? true { result.summary.firstEvent = t }
                if result.summary.lastEvent.map({ $0 < t }) ?? true { result.summary.lastEvent = t }
            }
        }
        if r.kind == .event || (r.kind == .command && r.name != "qmp_capabilities") {
            streams[si].active = true
        }
        var name: String?
        if !r.findings.isEmpty {
            name = streamName(si)
            for f in chunk.findings[r.findings] { addFinding(shifted(f), stream: name) }
        }
        // The stream rules that want it.
        var mask = r.interest
        if mask != 0 {
            let m = StreamMessage(kind: r.kind, name: r.name, stream: key, time: r.time, members: r.members,
                                  answers: answers ?? (r.carriesReply ? r.name : nil), isError: r.isError,
                                  errorClass: r.errorClass, id: r.id, outOfBand: r.outOfBand, source: site)
            var out = StreamFindings()
            while mask != 0 {
                let i = mask.trailingZeroBitCount
                mask &= mask - 1
                out.rule = config.plan.slots[i].rule
                streams[si].rules[i].observe(m, &out)
            }
            if !out.items.isEmpty {
                let n = name ?? streamName(si)
                for f in out.items { addStreamFinding(f, stream: n) }
            }
        }
        if r.kind == .event, recording, config.events != nil { record(r, stream: name ?? streamName(si)) }
    }

    // MARK: - Streams

    /// The index of the stream `key` (made when new).
    private func stream(_ key: StreamKey) -> Int {
        if let i = streamIndex[key] { return i }
        streams.append(Stream(key: key, rules: newRules()))
        streamIndex[key] = streams.count - 1
        return streams.count - 1
    }

    private func newRules() -> [any StreamRule] { config.plan.slots.map { $0.type.init() } }

    private func streamName(_ i: Int) -> String {
        StreamName.make(key: streams[i].key, session: streams[i].session)
    }

    /// A greeting or `qmp_capabilities`: a new QEMU session in the stream, unless nothing
    /// happened in the current one yet.
    private func boundary(_ i: Int) {
        guard streams[i].active else { return }
        endSession(i)
        streams[i].session += 1
        streams[i].active = false
        streams[i].rules = newRules()
        streams[i].pending = []
    }

    private func endSession(_ i: Int) {
        let name = streamName(i)
        var out = StreamFindings()
        for k in streams[i].rules.indices {
            out.rule = config.plan.slots[k].rule
            streams[i].rules[k].end(&out)
        }
        for f in out.items { addStreamFinding(f, stream: name) }
    }

    /// The command a reply answers: by `id` when it has one, else the oldest waiting command.
    private func match(_ r: MessageRecord, _ i: Int) -> String? {
        if let id = r.id, let k = streams[i].pending.firstIndex(where: { $0.id == id }) {
            return streams[i].pending.remove(at: k).name
        }
        guard !streams[i].pending.isEmpty else { return nil }
        return streams[i].pending.removeFirst().name
    }

    // MARK: - Findings

    private func shifted(_ f: ReportFinding) -> ReportFinding {
        var f = f
        f.line += baseLine
        f.eventLine += baseLine
        return f
    }

    private func addFinding(_ f: ReportFinding, stream: String?) {
        var f = f
        f.stream = stream
        result.count(f)
        result.findings.append(f)
        if result.findings.count / 2 > config.maxFindings { result.trimFindings(to: config.maxFindings) }
    }

    private func addStreamFinding(_ item: StreamFindings.Item, stream: String) {
        guard let severity = config.rules.severities[item.rule] else { return }
        let site = item.site
        if severity == .error, !site.invalid, let name = site.event {
            result.summary.invalidEvents += 1
            result.eventsByName[name, default: EventCount()].invalid += 1
        }
        addFinding(
            ReportFinding(
                file: config.path, line: site.line, column: site.column, eventLine: site.eventLine, event: site.event,
                rule: RuleRegistry.all[item.rule].description.id, severity: severity, message: item.message,
                pointer: "", eventHash: site.eventHash, sourceLine: site.sourceLine,
                sourceLineStart: site.sourceLineStart, sourceLineTruncated: site.sourceLineTruncated),
            stream: stream)
    }

    // MARK: - Timeline

    private func record(_ r: MessageRecord, stream: String) {
        guard let budget = config.events else { return }
        let n = result.timeline.count
        if n >= budget.cap || (n & 1023 == 0 && !budget.mayRecord(item: config.item, recorded: n)) {
            recording = false
            return
        }
        result.timeline.append(ReportEvent(file: config.path, line: baseLine + r.line, name: r.name, time: r.time,
                                           stream: stream, data: r.data))
    }
}
