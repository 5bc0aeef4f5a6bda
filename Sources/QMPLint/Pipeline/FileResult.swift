/// What one input produced: its summary, findings, and counts of everything the extractor saw.
public struct FileResult: Sendable {
    public var summary: FileSummary
    public var findings: [ReportFinding] = []
    public var eventsByName: [String: EventCount] = [:]
    public var findingsByRule: [String: Int] = [:]
    /// Where every event marker of the input ended up.
    public var markers = MarkerCounts()
    /// Messages per kind, by `MessageKind.order` (echoes not counted), and the copies libvirt
    /// logged again.
    public var messages = [Int](repeating: 0, count: MessageKind.allCases.count)
    public var echoes = 0
    /// Replies that are errors.
    public var errorReplies = 0
    /// Per command name: how many were sent, how many got an error reply, how many are invalid.
    public var commandsByName: [String: CommandCount] = [:]
    /// Messages found per log shape, by `DialectID.allCases` index.
    public var dialects = [Int](repeating: 0, count: DialectID.allCases.count)
    /// Newline bytes read.
    public var newlines = 0
    /// Findings counted in the totals but not listed (past `--max-findings` or the per-message cap).
    public var omittedFindings = 0
    /// One record per event, in text order, when events are recorded (`EventBudget`).
    public var timeline: [ReportEvent] = []
    public init(path: String) { summary = FileSummary(path: path) }

    /// Messages of one kind.
    public func count(_ kind: MessageKind) -> Int { messages[kind.order] }

    /// Copies what was counted while the input was read into its summary (once, when the
    /// input is done), so that reports carry it.
    mutating func summarise() {
        summary.commands = count(.command)
        summary.replies = count(.reply)
        summary.greetings = count(.greeting)
        summary.errorReplies = errorReplies
        summary.echoes = echoes
        summary.commandsByName = commandsByName
        summary.markers = markers
        var byShape: [String: Int] = [:]
        for d in DialectID.allCases where dialects[d.index] > 0 { byShape[d.rawValue] = dialects[d.index] }
        summary.dialects = byShape
    }

    /// Counts a finding in the totals (listed or not).
    mutating func count(_ f: ReportFinding) {
        count(rule: f.rule, severity: f.severity)
    }

    mutating func count(rule: String, severity: Severity, times n: Int = 1) {
        findingsByRule[rule, default: 0] += n
        switch severity {
        case .error: summary.errors += n
        case .warning: summary.warnings += n
        case .note: summary.notes += n
        }
    }

    /// Keeps the first `limit` findings in report order (the rest are counted as omitted).
    /// Keeps the `limit` most severe findings (errors, then warnings, then notes; in text order
    /// within a severity), listed in text order: a listing cut short shows the errors.
    mutating func trimFindings(to limit: Int) {
        guard findings.count > limit else {
            findings = ReportFinding.sorted(findings)
            return
        }
        var kept: [ReportFinding] = []
        kept.reserveCapacity(limit)
        for severity in [Severity.error, .warning, .note] where kept.count < limit {
            let some = ReportFinding.sorted(findings.filter { $0.severity == severity })
            kept.append(contentsOf: some.prefix(limit - kept.count))
        }
        omittedFindings += findings.count - kept.count
        findings = ReportFinding.sorted(kept)
    }
}

/// Per command name: sent, answered with an error, invalid.
public struct CommandCount: Sendable, Equatable {
    public var total = 0
    public var errors = 0
    public var invalid = 0
    public init(total: Int = 0, errors: Int = 0, invalid: Int = 0) {
        self.total = total; self.errors = errors; self.invalid = invalid
    }

    /// Adds `b`'s counts to `a`'s (summing inputs, merging reports).
    public static func += (a: inout CommandCount, b: CommandCount) {
        a.total += b.total
        a.errors += b.errors
        a.invalid += b.invalid
    }
}

extension ReportSummary {
    /// Adds one input's summary and counts: the input as a summary of one file, added by
    /// `add(_: ReportSummary)`.
    mutating func add(_ f: FileSummary, eventsByName: [String: EventCount], findingsByRule: [String: Int]) {
        var one = ReportSummary()
        one.files = 1
        one.bytes = f.bytes; one.lines = f.lines; one.events = f.events; one.malformed = f.malformed
        one.invalidEvents = f.invalidEvents
        one.commands = f.commands; one.replies = f.replies; one.greetings = f.greetings
        one.errorReplies = f.errorReplies; one.echoes = f.echoes
        one.commandsByName = f.commandsByName
        one.markers = f.markers
        one.errors = f.errors; one.warnings = f.warnings; one.notes = f.notes
        one.unreadableFiles = f.readError != nil ? 1 : 0
        one.firstEvent = f.firstEvent; one.lastEvent = f.lastEvent
        one.eventsByName = eventsByName
        one.findingsByRule = findingsByRule
        add(one)
    }

    /// Adds another summary's totals: the one place totals are summed (each input of a run, and
    /// `ReportMerging.merge` of partial reports, both add this way). `counts` lists the same
    /// totals for the overflow check of a merge.
    mutating func add(_ o: ReportSummary) {
        files += o.files
        bytes += o.bytes; lines += o.lines; events += o.events; malformed += o.malformed
        invalidEvents += o.invalidEvents
        commands += o.commands; replies += o.replies; greetings += o.greetings
        errorReplies += o.errorReplies; echoes += o.echoes
        markers += o.markers
        errors += o.errors; warnings += o.warnings; notes += o.notes
        unreadableFiles += o.unreadableFiles
        if let t = o.firstEvent, firstEvent.map({ t < $0 }) ?? true { firstEvent = t }
        if let t = o.lastEvent, lastEvent.map({ $0 < t }) ?? true { lastEvent = t }
        for (k, v) in o.eventsByName { eventsByName[k, default: EventCount()] += v }
        for (k, v) in o.commandsByName { commandsByName[k, default: CommandCount()] += v }
        for (k, v) in o.findingsByRule { findingsByRule[k, default: 0] += v }
    }

    /// Every total `add` sums, named (`ReportMerging.checkTotals` checks that they fit).
    var counts: [(String, Int)] {
        var out: [(String, Int)] = [
            ("files", files), ("bytes", bytes), ("lines", lines), ("events", events), ("malformed", malformed),
            ("invalidEvents", invalidEvents), ("commands", commands), ("replies", replies), ("greetings", greetings),
            ("errorReplies", errorReplies), ("echoes", echoes), ("markers events", markers.events),
            ("markers malformed", markers.malformed), ("markers echoes", markers.echoes),
            ("markers notEvents", markers.notEvents), ("markers unparsed", markers.unparsed), ("errors", errors),
            ("warnings", warnings), ("notes", notes), ("unreadableFiles", unreadableFiles),
        ]
        for (k, v) in eventsByName {
            out += [("eventsByName \(k)", v.total), ("invalidByName \(k)", v.invalid),
                    ("malformedByName \(k)", v.malformed)]
        }
        for (k, v) in commandsByName {
            out += [("commandsByName \(k) count", v.total), ("commandsByName \(k) errors", v.errors),
                    ("commandsByName \(k) invalid", v.invalid)]
        }
        for (k, v) in findingsByRule { out.append(("findingsByRule \(k)", v)) }
        return out
    }
}
