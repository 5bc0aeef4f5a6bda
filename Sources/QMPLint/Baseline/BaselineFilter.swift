extension Baseline {
    /// `report` without the findings this baseline accepts, and how many were removed.
    ///
    /// Each entry suppresses up to `count` findings with its key, in report order: with 2 identical
    /// entries and 3 matching findings, the last finding remains. When anything was suppressed,
    /// the counts that depend on findings are recomputed from the findings that remain:
    /// errors, warnings, notes and `findingsByRule` (totals and per file) exactly; invalid events
    /// (per file, in total, and per event name in `eventsByName`) as the number of distinct
    /// (file, eventLine, eventHash) with a remaining error finding (malformed text, rule
    /// `malformed-json`, is not an event and is not counted, as in a normal run). That equals the
    /// run's own count unless two identical events start on the same line. Event totals, bytes,
    /// lines and malformed counts do not change. When nothing was suppressed the report is
    /// returned as it was.
    public func filter(_ report: LintReport) -> (report: LintReport, suppressed: Int) {
        if entries.isEmpty || report.findings.isEmpty { return (report, 0) }
        var remaining: [Key: Int] = [:]
        remaining.reserveCapacity(entries.count)
        for e in entries { remaining[e.key] = e.count }
        var kept: [ReportFinding] = []
        kept.reserveCapacity(report.findings.count)
        var suppressed = 0
        for f in report.findings {
            let key = Key(f)
            if let n = remaining[key], n > 0 {
                remaining[key] = n - 1
                suppressed += 1
            } else {
                kept.append(f)
            }
        }
        if suppressed == 0 { return (report, 0) }
        var out = report
        out.findings = kept
        Baseline.recount(&out)
        return (out, suppressed)
    }

    /// Recomputes the finding-derived counts of `report` from its findings (see `filter`).
    static func recount(_ report: inout LintReport) {
        struct EventID: Hashable {
            var file: String
            var line: Int
            var hash: String
        }
        struct Counts {
            var errors = 0, warnings = 0, notes = 0, invalid = 0
        }
        var perFile: [String: Counts] = [:]
        var byRule: [String: Int] = [:]
        var invalidByName: [String: Int] = [:]
        var invalidSeen = Set<EventID>()
        var total = Counts()
        for f in report.findings {
            byRule[f.rule, default: 0] += 1
            var c = perFile[f.file] ?? Counts()
            switch f.severity {
            case .error:
                c.errors += 1
                total.errors += 1
                if f.rule != "malformed-json",
                    invalidSeen.insert(EventID(file: f.file, line: f.eventLine, hash: f.eventHash)).inserted
                {
                    c.invalid += 1
                    total.invalid += 1
                    invalidByName[f.event ?? "<no name>", default: 0] += 1
                }
            case .warning:
                c.warnings += 1
                total.warnings += 1
            case .note:
                c.notes += 1
                total.notes += 1
            }
            perFile[f.file] = c
        }
        for i in report.files.indices {
            let c = perFile[report.files[i].path] ?? Counts()
            report.files[i].errors = c.errors
            report.files[i].warnings = c.warnings
            report.files[i].notes = c.notes
            report.files[i].invalidEvents = c.invalid
        }
        report.summary.errors = total.errors
        report.summary.warnings = total.warnings
        report.summary.notes = total.notes
        report.summary.invalidEvents = total.invalid
        report.summary.findingsByRule = byRule
        for name in report.summary.eventsByName.keys {
            report.summary.eventsByName[name]!.invalid = invalidByName[name] ?? 0
        }
    }
}

extension Baseline {
    /// The same choice as `filter`, one finding at a time as a live run shows them (in the
    /// order they are found rather than report order): true for a finding to show.
    func liveFilter() -> (ReportFinding) -> Bool {
        var remaining: [Key: Int] = [:]
        for e in entries { remaining[e.key] = e.count }
        return { f in
            let key = Key(f)
            guard let n = remaining[key], n > 0 else { return true }
            remaining[key] = n - 1
            return false
        }
    }
}
