/// Severities of the stateful rules for one input (nil: the rule is off).
public struct StatefulSeverities: Sendable {
    public var jobTransition, blockJobStatus, timestampRegression, rateLimit, runState, unplugUnconfirmed: Severity?
    public init(_ severity: (String) -> Severity?) {
        jobTransition = severity(JobTransitionRule.rule.id)
        blockJobStatus = severity(BlockJobStatusRule.rule.id)
        timestampRegression = severity(TimestampRegressionRule.rule.id)
        rateLimit = severity(RateLimitRule.rule.id)
        runState = severity(RunStateRule.rule.id)
        unplugUnconfirmed = severity(UnplugUnconfirmedRule.rule.id)
    }
    var anyOn: Bool {
        jobTransition != nil || blockJobStatus != nil || timestampRegression != nil || rateLimit != nil
            || runState != nil || unplugUnconfirmed != nil
    }
}

/// A finding of a stateful rule, before it is placed in a report.
public struct StreamFinding: Sendable {
    public var rule: String
    public var severity: Severity
    public var message: String
    public var site: StreamSite
    /// Local (per range) stream reference; resolved to `stream` when ranges are merged.
    var ref: StreamRef
    public var stream: String?
}

/// A device_del waiting for its DEVICE_DELETED.
struct PendingUnplug: Sendable {
    var id: String
    var severity: Severity
    var site: StreamSite
    var ref: StreamRef
    var stream: String?
    /// The stream's event count when the command was read; an event came after it when it grew.
    var eventsAt: Int
    var followed: Bool
}

/// A check that needs the state the stream was in before this range began: the first occurrence
/// of something in a range, before any session boundary of its stream in the range.
enum DeferredCheck: Sendable {
    case time(EventTime, StreamSite)
    case job(id: String, status: String, StreamSite)
    case blockJob(id: String, event: String, StreamSite)
    case rate(key: String, time: EventTime, index: Int, event: String, StreamSite)
    case run(String, StreamSite)
    case guestActivity(String, StreamSite)
    case unplugOutcome([String])
}

/// The per-stream state the rules keep (of the latest session of the stream).
struct StreamRuleState: Sendable {
    var lastTime: EventTime?
    var jobs: [String: String] = [:]
    /// Per rate key, the times of the last two events.
    var rates: [String: [EventTime]] = [:]
    /// STOP or RESUME; "" after SHUTDOWN (QEMU exits or waits for a reset); nil: not known in this range.
    var lastRun: String?
    /// nil: not known in this range (no SHUTDOWN, RESET or guest activity yet).
    var shutDown: Bool?
    var pending: [PendingUnplug] = []
    var active = false
}

/// One stream as seen within one range of an input.
struct LocalStream: Sendable {
    /// Sessions begun in this range (0: the one that continues from the previous range).
    var session: Int32 = 0
    /// A boundary was seen in this range.
    var sawBoundary = false
    /// The first boundary came before any activity in the range: whether it starts a new session
    /// depends on the previous ranges.
    var ambiguousFirstBoundary = false
    var firstSegmentHadEvent = false
    var deferred: [DeferredCheck] = []
    /// Unconfirmed device_dels of the first session part, closed by a boundary in this range: an
    /// earlier request for the same device, carried from before the range, is the one to report.
    var closedFirstSegment: [PendingUnplug] = []
    var rateCounts: [String: Int] = [:]
    /// Devices whose DEVICE_DELETED (or unplug error) is already among the deferred checks.
    var deferredOutcomes: Set<String> = []
    var timeSeen = false
    var events = 0
    var state = StreamRuleState()
}

/// Stream state carried from the ranges already merged, per stream key.
struct CarriedStream: Sendable {
    var session = 1
    var state = StreamRuleState(shutDown: false)
}

/// The stateful rules over one range of an input: every check that the range decides alone is
/// made as events arrive; checks that need the state before the range are kept (a few per
/// stream) and made when the ranges of the input are merged in order (`StreamCarry.absorb`), so
/// the findings are the same however the input is split.
public struct StreamAnalysis: Sendable {
    let severities: StatefulSeverities
    var keys: [String] = []
    var keyIndex: [String: Int32] = [:]
    var streams: [LocalStream] = []
    var findings: [StreamFinding] = []
    /// Findings listed at most (the rest are counted in `omitted`).
    var maxFindings = Int.max
    struct Omitted: Sendable {
        var severity: Severity
        var count = 0
    }
    var omitted: [String: Omitted] = [:]
    /// Per event name: events made invalid by an omitted error finding.
    var omittedInvalid: [String: Int] = [:]

    public init(severities: StatefulSeverities) { self.severities = severities }

    /// The last key looked up and its index (a log names one monitor for long stretches; the
    /// pipeline hands the same String back, so the compare is usually an identity check).
    var lastKey: (key: String, index: Int32)?

    mutating func index(of key: String?) -> Int32 {
        let k = key ?? ""
        if let last = lastKey, last.key == k { return last.index }
        if let i = keyIndex[k] {
            lastKey = (k, i)
            return i
        }
        let i = Int32(keys.count)
        keys.append(k)
        keyIndex[k] = i
        streams.append(LocalStream())
        lastKey = (k, i)
        return i
    }

    /// The stream reference of the current session of `key`.
    public mutating func ref(for key: String?) -> StreamRef {
        let i = index(of: key)
        return StreamRef(key: i, session: streams[Int(i)].session)
    }

    static func isVirsh(_ key: String) -> Bool { key.hasPrefix("domain ") }

    mutating func report(
        _ rule: String, _ severity: Severity?, _ message: @autoclosure () -> String,
        _ site: () -> StreamSite, _ ref: StreamRef
    ) {
        guard let severity else { return }
        if findings.count >= maxFindings {
            // Counted, not listed (a crafted input can make millions).
            omitted[rule, default: Omitted(severity: severity)].count += 1
            if severity == .error {
                let s = site()
                if !s.invalid, let name = s.event { omittedInvalid[name, default: 0] += 1 }
            }
            return
        }
        findings.append(
            StreamFinding(rule: rule, severity: severity, message: message(), site: site(), ref: ref, stream: nil))
    }

    // MARK: - Input, in text order

    /// A session boundary (greeting, qmp_capabilities) in the stream `key`.
    public mutating func boundary(key: String?) {
        let i = Int(index(of: key))
        var s = streams[i]
        streams[i] = LocalStream()
        if !s.sawBoundary && !s.state.active {
            s.ambiguousFirstBoundary = true
            s.session += 1
        } else if s.state.active {
            s.session += 1
            closeSession(&s)
        }
        s.sawBoundary = true
        s.state = StreamRuleState(shutDown: false)
        s.timeSeen = false
        streams[i] = s
    }

    /// Reports the device_del requests of a session that ends.
    mutating func closeSession(_ s: inout LocalStream) {
        for var p in s.state.pending where p.followed || s.events > p.eventsAt {
            if s.sawBoundary {
                report(UnplugUnconfirmedRule.rule.id, p.severity, Self.unplugMessage(p.id), { p.site }, p.ref)
            } else {
                p.followed = true
                s.closedFirstSegment.append(p)
            }
        }
        s.state.pending = []
    }

    static func unplugMessage(_ id: String) -> String {
        "device_del of \"\(id)\" was never confirmed: no DEVICE_DELETED or DEVICE_UNPLUG_GUEST_ERROR for it in this stream"
    }

    /// A device_del command; `site` is made only when needed.
    public mutating func deviceDel(id: String, rejected: Bool, key: String?, site: () -> StreamSite) {
        let i = Int(index(of: key))
        streams[i].state.active = true
        guard !rejected, let severity = severities.unplugUnconfirmed else { return }
        if streams[i].state.pending.contains(where: { $0.id == id }) { return }
        let ref = StreamRef(key: Int32(i), session: streams[i].session)
        streams[i].state.pending.append(
            PendingUnplug(
                id: id, severity: severity, site: site(), ref: ref, stream: nil,
                eventsAt: streams[i].events, followed: false))
    }

    /// An event; `site` is made only when a finding or a deferred check needs it.
    public mutating func event(_ e: StreamEvent, site makeSite: () -> StreamSite) {
        let i = Int(index(of: e.key))
        // Taken out while it changes, so its tables are not copied on write.
        var s = streams[i]
        streams[i] = LocalStream()
        defer { streams[i] = s }
        let ref = StreamRef(key: Int32(i), session: s.session)
        let deferring = !s.sawBoundary
        var cached: StreamSite?
        func site() -> StreamSite {
            if let cached { return cached }
            let made = makeSite()
            cached = made
            return made
        }
        s.state.active = true
        s.events += 1
        if deferring { s.firstSegmentHadEvent = true }
        let sv = severities
        let traits = JobStateMachine.traits(of: e.name)
        let rateKeyMember = traits.rateLimited ? JobStateMachine.rateKey(of: e.name, members: e.members) : nil

        // timestamp-regression (rate-limited events exempt)
        if sv.timestampRegression != nil, !traits.mayBeDelayed, let t = e.time {
            if deferring && !s.timeSeen {
                s.deferred.append(.time(t, site()))
            } else if let prev = s.state.lastTime, t < prev {
                report(
                    TimestampRegressionRule.rule.id, sv.timestampRegression, Self.regressionMessage(e.name, t, prev),
                    site, ref)
            }
            s.timeSeen = true
            s.state.lastTime = t
        }

        // rate-limit
        if sv.rateLimit != nil, let member = rateKeyMember, let t = e.time {
            let rk = member.map { "\($0)=" + (e.members[$0] ?? "") } ?? ""
            let n = s.rateCounts[rk, default: 0]
            if deferring && n < 2 {
                s.deferred.append(.rate(key: rk, time: t, index: n, event: e.name, site()))
                s.rateCounts[rk] = n + 1
            } else if let times = s.state.rates[rk], times.count == 2, Self.tooFast(t, times[0]) {
                report(RateLimitRule.rule.id, sv.rateLimit, Self.rateMessage(e.name, rk, t, times[0]), site, ref)
            }
            var times = s.state.rates[rk] ?? []
            times.append(t)
            if times.count > 2 { times.removeFirst() }
            s.state.rates[rk] = times
        }

        // job-transition, block-job-status
        if e.name == "JOB_STATUS_CHANGE", let id = e.members["id"], let status = e.members["status"] {
            if sv.jobTransition != nil {
                if let prev = s.state.jobs[id] {
                    if JobStateMachine.allows(from: prev, to: status) == false {
                        report(
                            JobTransitionRule.rule.id, sv.jobTransition, Self.jobMessage(id, prev, status), site, ref)
                    }
                } else if deferring {
                    s.deferred.append(.job(id: id, status: status, site()))
                }
            }
            s.state.jobs[id] = status
        } else if e.name.hasPrefix("BLOCK_JOB_"), sv.blockJobStatus != nil, let id = e.members["device"] {
            let late = JobStateMachine.statusesTooLate(for: e.name)
            if !late.isEmpty {
                if let status = s.state.jobs[id] {
                    if late.contains(status) {
                        report(
                            BlockJobStatusRule.rule.id, sv.blockJobStatus, Self.blockJobMessage(e.name, id, status),
                            site, ref)
                    }
                } else if deferring {
                    s.deferred.append(.blockJob(id: id, event: e.name, site()))
                }
            }
        }

        // run-state
        if sv.runState != nil {
            if e.name == "STOP" || e.name == "RESUME" {
                if let last = s.state.lastRun {
                    if last == e.name { report(RunStateRule.rule.id, sv.runState, Self.runMessage(e.name), site, ref) }
                } else if deferring {
                    s.deferred.append(.run(e.name, site()))
                }
                s.state.lastRun = e.name
            } else if e.name == "SHUTDOWN" {
                // The QEMU exits (a restarted domain's first event may be RESUME) or, with
                // -no-shutdown, stops: STOP follows.
                s.state.lastRun = ""
            }
            if !Self.isVirsh(keys[i]) {
                if e.name == "SHUTDOWN" {
                    s.state.shutDown = true
                } else if e.name == "RESET" {
                    s.state.shutDown = false
                } else if traits.guestActivity {
                    switch s.state.shutDown {
                    case true?: report(RunStateRule.rule.id, sv.runState, Self.afterShutdownMessage(e.name), site, ref)
                    case nil: s.deferred.append(.guestActivity(e.name, site()))
                    case false?: break
                    }
                    s.state.shutDown = false
                }
            }
        }

        // unplug-unconfirmed
        if sv.unplugUnconfirmed != nil, traits.unplugOutcome {
            let ids = [e.members["device"], e.members["path"]].compactMap { $0 }
            s.state.pending.removeAll { ids.contains($0.id) }
            // Only the first outcome per device can settle a request carried from before the range.
            if deferring {
                let fresh = ids.filter { !s.deferredOutcomes.contains($0) }
                if !fresh.isEmpty {
                    s.deferred.append(.unplugOutcome(fresh))
                    s.deferredOutcomes.formUnion(fresh)
                }
            }
        }
    }

    /// Settles the events seen after each pending device_del (at the end of the range).
    mutating func finishRange() {
        for i in streams.indices {
            let n = streams[i].events
            for j in streams[i].state.pending.indices where n > streams[i].state.pending[j].eventsAt {
                streams[i].state.pending[j].followed = true
            }
        }
    }

    // MARK: - Messages

    static func seconds(_ a: EventTime, _ b: EventTime) -> String {
        let us = (a.seconds - b.seconds) * 1_000_000 + (a.microseconds - b.microseconds)
        let whole = us / 1_000_000
        let frac = abs(us % 1_000_000)
        var f = String(frac)
        while f.count < 6 { f = "0" + f }
        return "\(us < 0 && whole == 0 ? "-" : "")\(whole).\(f) s"
    }

    static func tooFast(_ t: EventTime, _ twoBefore: EventTime) -> Bool {
        let us = (t.seconds - twoBefore.seconds) * 1_000_000 + (t.microseconds - twoBefore.microseconds)
        return us >= 0 && us < 1_000_000
    }

    static func regressionMessage(_ name: String, _ t: EventTime, _ prev: EventTime) -> String {
        "\(name) is \(seconds(prev, t)) older than the event before it in this stream"
    }

    static func rateMessage(_ name: String, _ key: String, _ t: EventTime, _ first: EventTime) -> String {
        let what = key.isEmpty ? name : "\(name) (\(key))"
        return "third \(what) within \(seconds(t, first)); QEMU sends at most one per second"
    }

    static func jobMessage(_ id: String, _ from: String, _ to: String) -> String {
        "job \"\(id)\" goes from \"\(from)\" to \"\(to)\", which QEMU's job state machine does not allow"
    }

    static func blockJobMessage(_ name: String, _ id: String, _ status: String) -> String {
        "\(name) for job \"\(id)\" whose status is already \"\(status)\""
    }

    static func runMessage(_ name: String) -> String {
        name == "STOP"
            ? "STOP while the VM is already stopped (no RESUME since the last STOP)"
            : "RESUME while the VM is already running (no STOP since the last RESUME)"
    }

    static func afterShutdownMessage(_ name: String) -> String {
        "\(name) after SHUTDOWN without a RESET or a new QEMU session"
    }
}

/// The stream state of the part of an input merged so far; takes in the next range's analysis.
public struct StreamCarry: Sendable {
    var streams: [String: CarriedStream] = [:]
    public init() {}

    /// Makes the checks `range` deferred, names the streams of its findings, and moves the
    /// carried state past it. Returns the range's findings (local and deferred, lines shifted by
    /// `lineShift`) and the stream names of its references (`names[key][session]`).
    mutating func absorb(_ range: StreamAnalysis, lineShift: Int) -> (findings: [StreamFinding], names: [[String]]) {
        var out: [StreamFinding] = []
        func shifted(_ s: StreamSite) -> StreamSite {
            var s = s
            s.line += lineShift
            s.eventLine += lineShift
            return s
        }
        let sv = range.severities
        // Session numbers of the range's streams, per local session.
        var names: [[String]] = []
        for (ki, local) in range.streams.enumerated() {
            let key = range.keys[ki]
            var c = streams[key] ?? CarriedStream()
            let sessionName = StreamName.make(key: key, session: c.session)
            func report(_ rule: String, _ severity: Severity?, _ message: String, _ site: StreamSite) {
                guard let severity else { return }
                out.append(
                    StreamFinding(
                        rule: rule, severity: severity, message: message, site: shifted(site), ref: .none,
                        stream: sessionName))
            }
            // Checks against the carried state, in text order.
            for d in local.deferred {
                switch d {
                case .time(let t, let site):
                    if let prev = c.state.lastTime, t < prev {
                        report(
                            TimestampRegressionRule.rule.id, sv.timestampRegression,
                            StreamAnalysis.regressionMessage(site.event ?? "event", t, prev), site)
                    }
                case .rate(let rk, let t, let index, let name, let site):
                    let times = c.state.rates[rk] ?? []
                    // The event two before: two back in the carried state, or its last one.
                    let back = times.count - 2 + index
                    if back >= 0, back < times.count, StreamAnalysis.tooFast(t, times[back]) {
                        report(
                            RateLimitRule.rule.id, sv.rateLimit, StreamAnalysis.rateMessage(name, rk, t, times[back]),
                            site)
                    }
                case .job(let id, let status, let site):
                    if let prev = c.state.jobs[id], JobStateMachine.allows(from: prev, to: status) == false {
                        report(
                            JobTransitionRule.rule.id, sv.jobTransition, StreamAnalysis.jobMessage(id, prev, status),
                            site)
                    }
                case .blockJob(let id, let name, let site):
                    if let status = c.state.jobs[id], JobStateMachine.statusesTooLate(for: name).contains(status) {
                        report(
                            BlockJobStatusRule.rule.id, sv.blockJobStatus,
                            StreamAnalysis.blockJobMessage(name, id, status), site)
                    }
                case .run(let name, let site):
                    if c.state.lastRun == name {
                        report(RunStateRule.rule.id, sv.runState, StreamAnalysis.runMessage(name), site)
                    }
                case .guestActivity(let name, let site):
                    if c.state.shutDown == true {
                        report(RunStateRule.rule.id, sv.runState, StreamAnalysis.afterShutdownMessage(name), site)
                    }
                    c.state.shutDown = false
                case .unplugOutcome(let ids):
                    c.state.pending.removeAll { ids.contains($0.id) }
                }
            }
            if local.firstSegmentHadEvent {
                for j in c.state.pending.indices { c.state.pending[j].followed = true }
            }
            // Local session k is carried session + k, less one when the range's first boundary
            // turned out not to start a session (nothing happened since the previous one).
            let ineffective = local.ambiguousFirstBoundary && !c.state.active
            var streamNames: [String] = []
            for k in 0...Int(local.session) {
                let n = k == 0 ? c.session : c.session + k - (ineffective ? 1 : 0)
                streamNames.append(StreamName.make(key: key, session: n))
            }
            names.append(streamNames)
            var pending = local.state.pending
            for j in pending.indices {
                pending[j].stream = streamNames[Int(pending[j].ref.session)]
                pending[j].site = shifted(pending[j].site)
            }
            if local.sawBoundary {
                if !ineffective {
                    for p in c.state.pending where p.followed {
                        out.append(
                            StreamFinding(
                                rule: UnplugUnconfirmedRule.rule.id, severity: p.severity,
                                message: StreamAnalysis.unplugMessage(p.id), site: p.site, ref: .none, stream: p.stream)
                        )
                    }
                }
                for p in local.closedFirstSegment where !c.state.pending.contains(where: { $0.id == p.id }) {
                    out.append(
                        StreamFinding(
                            rule: UnplugUnconfirmedRule.rule.id, severity: p.severity,
                            message: StreamAnalysis.unplugMessage(p.id), site: shifted(p.site), ref: .none,
                            stream: names[names.count - 1][0]))
                }
                c.session = c.session + Int(local.session) - (ineffective ? 1 : 0)
                c.state = local.state
                c.state.shutDown = local.state.shutDown ?? false
                c.state.pending = pending
            } else {
                let l = local.state
                if let t = l.lastTime { c.state.lastTime = t }
                c.state.jobs.merge(l.jobs) { _, new in new }
                for (rk, times) in l.rates {
                    var all = (c.state.rates[rk] ?? []) + times
                    if all.count > 2 { all.removeFirst(all.count - 2) }
                    c.state.rates[rk] = all
                }
                if let r = l.lastRun { c.state.lastRun = r }
                if let sd = l.shutDown { c.state.shutDown = sd }
                for p in pending where !c.state.pending.contains(where: { $0.id == p.id }) { c.state.pending.append(p) }
                c.state.active = c.state.active || l.active
            }
            streams[key] = c
        }
        // The range's own findings, named.
        for var f in range.findings {
            f.stream = names[Int(f.ref.key)][Int(f.ref.session)]
            f.site = shifted(f.site)
            out.append(f)
        }
        return (out, names)
    }

    /// The end of the input: device_del requests still unconfirmed, in streams that went on
    /// with other events after them.
    mutating func finish() -> [StreamFinding] {
        var out: [StreamFinding] = []
        for key in streams.keys.sorted() {
            for p in streams[key]!.state.pending where p.followed {
                out.append(
                    StreamFinding(
                        rule: UnplugUnconfirmedRule.rule.id, severity: p.severity,
                        message: StreamAnalysis.unplugMessage(p.id), site: p.site, ref: .none, stream: p.stream))
            }
            streams[key]!.state.pending = []
        }
        return out
    }
}
