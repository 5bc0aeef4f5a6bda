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
}

extension ReportSummary {
    /// Adds one input's summary and counts: the one place totals are summed (a run, and
    /// `merge` of partial reports, both add inputs this way).
    mutating func add(_ f: FileSummary, eventsByName: [String: EventCount], findingsByRule: [String: Int]) {
        files += 1
        bytes += f.bytes; lines += f.lines; events += f.events; malformed += f.malformed
        invalidEvents += f.invalidEvents
        errors += f.errors; warnings += f.warnings; notes += f.notes
        if f.readError != nil { unreadableFiles += 1 }
        if let t = f.firstEvent, firstEvent.map({ t < $0 }) ?? true { firstEvent = t }
        if let t = f.lastEvent, lastEvent.map({ $0 < t }) ?? true { lastEvent = t }
        for (k, v) in eventsByName { self.eventsByName[k, default: EventCount()] += v }
        for (k, v) in findingsByRule { self.findingsByRule[k, default: 0] += v }
    }
}
