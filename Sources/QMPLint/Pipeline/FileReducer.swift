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
        /// The input's validator (a reply is checked again when its command is known only here).
        var validator: MessageValidator
        var rules: RuleSet
        var plan: StreamRulePlan
        var maxFindings: Int
        var captureSourceLines: Bool
        /// The longest line read whole (`ChunkGeometry.maxLine`).
        var maxLine: Int
        /// Records events for the timeline formats within this budget (`item`: the input's index).
        var events: EventBudget?
        var item = 0
        /// Version inference, when the input's release is not known (`InferencePlan`).
        var inference: InferencePlan?
    }

    /// A command waiting for its reply, with its findings: whether they stand depends on the
    /// reply (a command QEMU refused is noted as `rejected-command` instead).
    struct Pending {
        var name: String
        var id: String?
        var findings: [ReportFinding] = []
        var stream: String
        /// Its stream (index), the releases that describe it, and where it is when that is
        /// needed (`VersionTally.weigh`).
        var si = 0
        var accepts = ReleaseMask.none
        var probed = false
        var hasError = false
        var site: StreamSite?
    }

    /// One stream (monitor, domain, or the input's own) and its current session.
    struct Stream {
        var key: StreamKey
        var session = 1
        /// Something happened in the session (a later greeting starts a new one).
        var active = false
        var rules: [any StreamRule]
        /// Commands waiting for their reply, in order.
        var pending: [Pending] = []
    }

    /// What a record needs from the chunk it came from: its findings (placed, lines counted
    /// from the input's start), its stream, and the line its chunk starts at.
    struct Origin {
        var findings: [ReportFinding]
        var si: Int
        var lineBase: Int

        init(_ chunk: ChunkResult, _ r: MessageRecord, si: Int, lineBase: Int) {
            findings = r.findings.isEmpty ? [] : chunk.findings[r.findings].map { f in
                var f = f
                f.line += lineBase
                f.eventLine += lineBase
                return f
            }
            self.si = si
            self.lineBase = lineBase
        }
    }

    /// A `Line [...]` record waiting for the record that may repeat it with its monitor; it may
    /// wait past the end of its chunk, so it keeps a copy of its lines (offsets rebased to it).
    struct Held {
        /// How many records wait at most, and the longest text one may keep: both are properties
        /// of the text alone, so where chunks are cut changes nothing.
        static let most = 16
        static let longest = 1 << 20
        var record: MessageRecord
        var origin: Origin
        var text: [UInt8]

        init?(_ r: MessageRecord, _ chunk: ChunkResult, si: Int, lineBase: Int, _ buffer: UnsafeRawBufferPointer) {
            guard r.start < r.end, r.end <= buffer.count else { return nil }
            let from = ByteScan.lineStart(buffer, r.start)
            let to = ByteScan.lineEnd(buffer, r.end - 1, limit: buffer.count)
            guard to - from <= Self.longest else { return nil }
            text = Array(buffer[from..<to])
            record = r
            record.start -= from
            record.end -= from
            origin = Origin(chunk, r, si: si, lineBase: lineBase)
        }
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
    private var held: [Held] = []
    private let site = SiteSource()
    private var tape = JSONTape()
    private var recording = true
    /// Per stream index: what its messages say about their release (version inference).
    private var tallies: [Int: VersionTally] = [:]
    /// The first greeting or query-version reply of the input: its release, for the streams
    /// that have none of their own.
    private var fileEvidence: (mask: ReleaseMask, reason: String)?
    private let probeMemo = ProbeMemo()
    /// Messages waiting for their stream's release, all streams.
    private var waiting = 0
    private var lastByte: UInt8 = 0x0A
    private var overlongCuts = 0
    /// Live runs: findings are also kept here as they become final (`takeFinal`).
    var keepsFinal = false
    private var final: [ReportFinding] = []
    private var finalCount = 0

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
        for var f in chunk.loose {
            f.line += baseLine
            f.eventLine += baseLine
            addFinding(f, stream: nil)
        }
        for (rule, n) in chunk.omitted {
            let id = RuleRegistry.all[rule].description.id
            result.count(rule: id, severity: config.rules.severity(of: id) ?? .note, times: n)
            result.omittedFindings += n
        }
        for r in chunk.messages { take(r, chunk, buffer) }
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
        flushHeld()
        for i in streams.indices.sorted(by: { streams[$0].key < streams[$1].key }) { endSession(i) }
        if let plan = config.inference { resolveVersions(plan) }
        config.events?.finish(item: config.item, recorded: result.timeline.count)
        result.summary.lines = result.newlines + (result.summary.bytes > 0 && lastByte != 0x0A ? 1 : 0)
        result.trimFindings(to: config.maxFindings)
        return result
    }

    // MARK: - Messages

    private func take(_ r: MessageRecord, _ chunk: ChunkResult, _ buffer: UnsafeRawBufferPointer) {
        if let record = r.record {
            if recent.contains(where: { record.echoes.contains($0.0) && $0.1 == r.hash }) {
                echo(r)
                return
            }
            if record == .line, let h = Held(r, chunk, si: local(r), lineBase: baseLine, buffer) {
                held.append(h)
                if held.count > Held.most { count(held.removeFirst()) }
                return
            }
            if record == .recvEvent || record == .recvReply, let j = held.firstIndex(where: { $0.record.hash == r.hash }) {
                for h in held[..<j] { count(h) }
                echo(held[j].record)
                held.removeFirst(j + 1)
            }
        } else if !held.isEmpty && r.key < 0 {
            flushHeld()
        }
        count(r, Origin(chunk, r, si: local(r), lineBase: baseLine), buffer)
    }

    private func flushHeld() {
        let h = held
        held = []
        for r in h { count(r) }
    }

    /// The stream index of a record of the current chunk.
    private func local(_ r: MessageRecord) -> Int { r.key >= 0 ? local[Int(r.key)] : 0 }

    /// A held record counted: its own copy of its text stands in for the chunk it came from.
    private func count(_ h: Held) {
        site.newBuffer()
        h.text.withUnsafeBytes { count(h.record, h.origin, $0) }
        site.newBuffer()
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
    private func count(_ r: MessageRecord, _ origin: Origin, _ buffer: UnsafeRawBufferPointer) {
        if let record = r.record {
            recent.append((record, r.hash))
            if recent.count > 16 { recent.removeFirst() }
        }
        let si = origin.si
        let key = streams[si].key
        let line = origin.lineBase + r.line
        site.reset(buffer: buffer, start: r.start, end: r.end, line: line,
                   event: r.kind == .event ? r.name : nil, invalid: r.hasError, kind: r.kind)
        if r.malformed {
            if r.kind == .event {
                result.summary.malformed += 1
                if !r.name.isEmpty {
                    result.eventsByName[r.name, default: EventCount()] += EventCount(total: 1, invalid: 1, malformed: 1)
                }
            }
            for f in origin.findings { addFinding(f, stream: nil) }
            return
        }
        result.messages[r.kind.order] += 1
        result.dialects[r.dialect.index] += 1
        var answers: String?
        var replaced: (findings: [ReportFinding], hasError: Bool, accepts: ReleaseMask)?
        switch r.kind {
        case .greeting:
            boundary(si)
            if let v = r.version { evidence(si, version: v, "QMP greeting: QEMU \(v) (line \(line))") }
        case .command:
            if r.name == "qmp_capabilities" { boundary(si) }
            result.commandsByName[r.name, default: CommandCount()].total += 1
            if r.hasError && !disputed(r) { result.commandsByName[r.name, default: CommandCount()].invalid += 1 }
            var p = Pending(name: r.name, id: r.id, findings: origin.findings, stream: streamName(si), si: si,
                            accepts: r.accepts, probed: r.probed, hasError: r.hasError)
            if r.probed, needsSite(r.accepts, si) { p.site = site.site() }
            if r.carriesReply {
                result.messages[MessageKind.reply.order] += 1
                if r.isError {
                    result.errorReplies += 1
                    result.commandsByName[r.name, default: CommandCount()].errors += 1
                }
                settle(p, rejected: r.isError ? r.errorClass ?? "" : nil)
            } else {
                streams[si].pending.append(p)
            }
        case .reply:
            let command = match(r, si)
            answers = command?.name
            if let command { settle(command, rejected: r.isError ? r.errorClass ?? "" : nil) }
            if answers != r.checkedAgainst && r.identityText {
                replaced = recheck(r, answering: answers, line: line, buffer)
            }
            if let v = r.version { evidence(si, version: v, "query-version reply: QEMU \(v) (line \(line))") }
            if r.isError {
                result.errorReplies += 1
                if let a = answers { result.commandsByName[a, default: CommandCount()].errors += 1 }
            }
        case .event:
            result.summary.events += 1
            result.eventsByName[r.name, default: EventCount()].total += 1
            if r.hasError && !disputed(r) {
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
        if r.kind == .event || r.kind == .reply {
            var accepts = r.accepts
            if let replaced { accepts = replaced.accepts }
            let findings = replaced?.findings ?? origin.findings
            if !findings.isEmpty { name = streamName(si) }
            if r.probed {
                let kind = r.kind, named = r.kind == .event ? r.name : answers ?? ""
                weigh(si, accepts, kind: kind, name: named)
                if waits(accepts, findings) {
                    dispute(si, .init(findings: findings.map { var f = $0; f.stream = name; return f },
                                      accepts: accepts, name: named, kind: kind))
                } else {
                    for f in findings { addFinding(f, stream: name) }
                }
            } else {
                for f in findings { addFinding(f, stream: name) }
            }
        }
        // The stream rules that want it.
        var mask = r.interest
        if mask != 0 {
            let m = StreamMessage(kind: r.kind, name: r.name, stream: key, time: r.time, members: r.members,
                                  answers: answers ?? (r.carriesReply ? r.name : nil), isError: r.isError,
                                  errorClass: r.errorClass, id: r.id, outOfBand: r.outOfBand, recordTime: r.recordTime,
                                  source: site)
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
        if r.kind == .event, recording, config.events != nil { record(r, line: line, stream: name ?? streamName(si)) }
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
        // Commands that got no reply keep their findings.
        for p in streams[i].pending { settle(p, rejected: nil) }
        streams[i].pending = []
        let name = streamName(i)
        var out = StreamFindings()
        for k in streams[i].rules.indices {
            out.rule = config.plan.slots[k].rule
            streams[i].rules[k].end(&out)
        }
        for f in out.items { addStreamFinding(f, stream: name) }
    }

    /// The command a reply answers (`CommandMatching`).
    private func match(_ r: MessageRecord, _ i: Int) -> Pending? {
        guard let k = CommandMatching.match(r.id, in: streams[i].pending.map { ($0.name, $0.id) }) else { return nil }
        return streams[i].pending.remove(at: k)
    }

    /// A command's findings once its fate is known: as they are when QEMU accepted it (or no
    /// reply came), else one `rejected-command` note (`rejected`: the error reply's class).
    private func settle(_ p: Pending, rejected: String?) {
        if rejected == nil && p.probed {
            // What QEMU accepted weighs on the stream's release (what it refused says nothing).
            weigh(p.si, p.accepts, kind: .command, name: p.name, at: p.site)
            if waits(p.accepts, p.findings) {
                dispute(p.si, .init(findings: p.findings.map { var f = $0; f.stream = p.stream; return f },
                                    accepts: p.accepts, name: p.name, kind: .command))
                return
            }
        }
        guard let first = p.findings.first else { return }
        guard let rejected else {
            for f in p.findings { addFinding(f, stream: p.stream) }
            return
        }
        guard let rule = RuleSet.index(of: RejectedCommandRule.description.id),
              let severity = config.rules.severities[rule] else { return }
        var note = first
        note.rule = RejectedCommandRule.description.id
        note.severity = severity
        note.kind = .command
        note.pointer = first.pointer
        note.message = RejectedCommandRule.message(first, more: p.findings.count - 1,
                                                    errorClass: rejected.isEmpty ? nil : rejected)
        addFinding(note, stream: p.stream)
    }

    // MARK: - Versions

    /// Whether a message waits for its stream's release: the primary does not describe it, another does.
    private func disputed(_ r: MessageRecord) -> Bool { r.probed && disputed(r.accepts) }

    private func disputed(_ accepts: ReleaseMask) -> Bool {
        guard let plan = config.inference else { return false }
        return !accepts.isEmpty && !accepts.contains(plan.primary)
    }

    /// Whether weighing a message of stream `si` would want its place: it is the first some
    /// release does not describe (or the first of those the primary describes).
    private func needsSite(_ accepts: ReleaseMask, _ si: Int) -> Bool {
        guard let plan = config.inference else { return false }
        guard let t = tallies[si] else { return accepts != Releases.all }
        for i in 0..<Releases.versions.count where !accepts.contains(i) {
            if t.misfit[i].site == nil || (accepts.contains(plan.primary) && t.foreign[i].site == nil) { return true }
        }
        return false
    }

    private func weigh(_ si: Int, _ accepts: ReleaseMask, kind: MessageKind, name: String, at place: StreamSite? = nil) {
        guard let plan = config.inference else { return }
        tallies[si, default: VersionTally()].weigh(accepts, primary: plan.primary, kind: kind, name: name,
                                                   site: { place ?? site.site() })
    }

    /// A greeting or query-version reply: the releases it allows, for its stream (and, the first
    /// one, for the input's streams that have none).
    private func evidence(_ si: Int, version: String, _ reason: String) {
        guard config.inference != nil, let (mask, note) = Releases.candidates(for: version) else { return }
        let why = note.isEmpty ? reason : reason + "; " + note
        if tallies[si]?.evidence == nil { tallies[si, default: VersionTally()].evidence = (mask, why) }
        if fileEvidence == nil { fileEvidence = (mask, why) }
    }

    /// A message the primary does not describe and another release does: it waits for its
    /// stream's release (or meets it, once chosen). Too many waiting make a stream choose.
    private func dispute(_ si: Int, _ d: VersionTally.Disputed) {
        if let chosen = tallies[si]?.chosen {
            settle(d, chosen: chosen, si)
            return
        }
        tallies[si, default: VersionTally()].disputed.append(d)
        waiting += 1
        if tallies[si]!.disputed.count > VersionTally.holdPerStream {
            choose(si)
        } else if waiting > VersionTally.holdPerInput {
            let most = tallies.max { a, b in
                a.value.disputed.count < b.value.disputed.count
                    || (a.value.disputed.count == b.value.disputed.count && streams[b.key].key < streams[a.key].key)
            }!
            choose(most.key)
        }
    }

    /// Stream `si` chooses its release (`VersionTally.choose`); its waiting messages meet it.
    private func choose(_ si: Int) {
        guard let plan = config.inference, let t = tallies[si], t.chosen == nil else { return }
        let chosen = t.choose(among: (t.evidence ?? fileEvidence)?.mask ?? plan.candidates, primary: plan.primary)
        tallies[si]!.chosen = chosen
        tallies[si]!.disputed = []
        waiting -= t.disputed.count
        for d in t.disputed { settle(d, chosen: chosen, si) }
    }

    /// A waiting message meets its stream's release: described, its findings that depend on the
    /// release go (they were the primary's view); not described, they stand, saying which
    /// releases would describe it.
    private func settle(_ d: VersionTally.Disputed, chosen: Int, _ si: Int) {
        guard let plan = config.inference else { return }
        var invalid = false
        if chosen == plan.primary && d.accepts.contains(chosen) {
            // The primary's view stands (the message waited for its features' sake).
            for f in d.findings { addFinding(f, stream: f.stream) }
        } else if d.accepts.contains(chosen) {
            for f in d.findings where !dependsOnRelease(f) {
                addFinding(f, stream: f.stream)
                if f.severity == .error { invalid = true }
            }
        } else {
            let fits = tallies[si]!.fits
            let rest = Releases.describe(fits.isEmpty ? ReleaseMask(chosen) : fits)
            for var f in d.findings {
                if dependsOnRelease(f) {
                    f.message += " (QEMU \(Releases.describe(d.accepts)) would accept this \(d.kind.rawValue); "
                        + "the rest of this stream fits \(rest))"
                }
                if f.severity == .error { invalid = true }
                addFinding(f, stream: f.stream)
            }
        }
        // A message the primary describes was counted as it was read.
        if invalid && !d.accepts.contains(plan.primary) { countInvalid(d) }
    }

    /// The end of the input: each stream's release chosen, and recorded for the report; messages
    /// the primary describes but the chosen release does not are noted once per stream.
    private func resolveVersions(_ plan: InferencePlan) {
        for si in tallies.keys.sorted(by: { streams[$0].key < streams[$1].key }) {
            choose(si)
            let t = tallies[si]!
            let chosen = t.chosen ?? plan.primary
            let fits = t.fits
            let label = streams[si].key.label
            let stream = label.isEmpty ? "input" : label
            let foreign = t.foreign[chosen]
            if chosen != plan.primary, foreign.count > 0, let site = foreign.site,
               let severity = config.rules.severity(of: VersionConflictRule.description.id) {
                let what = foreign.kind == .reply ? "reply to \(foreign.name)" : "\(foreign.name) \(foreign.kind.rawValue)"
                let message = VersionConflictRule.message(
                    what: what, more: foreign.count - 1, fits: Releases.versions[plan.primary],
                    chosen: Releases.versions[chosen], rest: Releases.describe(fits.isEmpty ? ReleaseMask(chosen) : fits))
                addFinding(ReportFinding(file: config.path, line: site.line, column: site.column, eventLine: site.eventLine,
                                         event: site.event ?? (foreign.name.isEmpty ? nil : foreign.name),
                                         rule: VersionConflictRule.description.id, severity: severity, message: message,
                                         pointer: "", eventHash: site.eventHash, sourceLine: site.sourceLine,
                                         sourceLineStart: site.sourceLineStart,
                                         sourceLineTruncated: site.sourceLineTruncated, kind: foreign.kind),
                           stream: StreamName.make(key: streams[si].key, session: 1))
            }
            result.summary.versions.append(StreamVersion(
                stream: stream, fits: Releases.ranges(fits), chosen: Releases.versions[chosen],
                evidence: (t.evidence ?? fileEvidence)?.reason, weighed: t.weighed, misfits: t.misfits(chosen),
                fitsMask: fits, exclusions: t.exclusions))
        }
    }

    private func dependsOnRelease(_ f: ReportFinding) -> Bool {
        guard let i = RuleSet.index(of: f.rule) else { return false }
        return config.rules.dependsOnRelease[i]
    }

    /// Whether a message's findings wait for its stream's release: the primary does not
    /// describe it and another does, or some finding would be another with another release (a
    /// feature). What no release describes is wrong whatever the release.
    private func waits(_ accepts: ReleaseMask, _ findings: [ReportFinding]) -> Bool {
        disputed(accepts) || (config.inference != nil && !accepts.isEmpty && findings.contains { dependsOnRelease($0) })
    }

    private func countInvalid(_ d: VersionTally.Disputed) {
        switch d.kind {
        case .event:
            result.summary.invalidEvents += 1
            result.eventsByName[d.name, default: EventCount()].invalid += 1
        case .command:
            result.commandsByName[d.name, default: CommandCount()].invalid += 1
        default:
            break
        }
    }

    // MARK: - Findings

    /// A reply checked again against the command the reducer matched it to (the reader, seeing
    /// one chunk, matched it to another or to none): its findings, placed.
    private func recheck(_ r: MessageRecord, answering command: String?, line: Int, _ buffer: UnsafeRawBufferPointer)
        -> (findings: [ReportFinding], hasError: Bool, accepts: ReleaseMask)?
    {
        guard r.start < r.end, r.end <= buffer.count,
              case .success = JSONParser.parseValue(buffer, from: r.start, limit: r.end, options: .lenient, into: &tape)
        else { return nil }
        var raw: [RawFinding] = []
        let verdict = config.validator.validate(reply: 0, in: tape, command: command, into: &raw)
        var lines = SourceLineCapture(enabled: config.captureSourceLines)
        let hash = StableHash.hex(ofBytes: UnsafeRawBufferPointer(rebasing: buffer[r.start..<r.end]))
        for f in raw where f.count > 1 {
            result.count(rule: f.rule, severity: f.severity, times: f.count - 1)
            result.omittedFindings += f.count - 1
        }
        let found = raw.map { f in
            ReportFinding.placing(f, at: f.offset, line: line + ByteScan.countNewlines(buffer, from: r.start, to: f.offset),
                                  in: buffer, lines: &lines, file: config.path, eventLine: line,
                                  event: command, hash: hash, kind: .reply)
        }
        var accepts = r.accepts
        if r.probed, let plan = config.inference {
            let m = ExtractedMessage(kind: .reply, envelope: .json(root: 0), dialect: r.dialect, start: r.start, end: r.end,
                                     stream: nil, carriesReply: false, record: nil, markers: (0, 0))
            accepts = plan.probe.mask(m, tape: tape, answering: command, memo: probeMemo)
        }
        return (found, verdict.hasError, accepts)
    }

    /// The findings that became final since the last call, in the order they did: a finding
    /// is final once nothing later in the input can change it (a command's once its reply is
    /// read, a message's that waits for its stream's release once the release is chosen, the
    /// rest as their message is read; `finish` makes every one final). At most `maxFindings`
    /// per input, as the report lists.
    func takeFinal() -> [ReportFinding] {
        defer { final = [] }
        return final
    }

    private func addFinding(_ f: ReportFinding, stream: String?) {
        var f = f
        f.stream = stream
        result.count(f)
        if keepsFinal && finalCount < config.maxFindings {
            final.append(f)
            finalCount += 1
        }
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
                sourceLineStart: site.sourceLineStart, sourceLineTruncated: site.sourceLineTruncated, kind: site.kind),
            stream: stream)
    }

    // MARK: - Timeline

    private func record(_ r: MessageRecord, line: Int, stream: String) {
        guard let budget = config.events else { return }
        let n = result.timeline.count
        if n >= budget.cap || (n & 1023 == 0 && !budget.mayRecord(item: config.item, recorded: n)) {
            recording = false
            return
        }
        result.timeline.append(ReportEvent(file: config.path, line: line, name: r.name, time: r.time,
                                           stream: stream, data: r.data))
    }
}
