extension LintReport {
    /// The report as `--min-severity minimum` shows it: findings below `minimum` left out, with
    /// the counts that name them (per-severity totals per file and in all, the rules in
    /// `findingsByRule` whose severity is below). `severityOf` gives a rule's severity in this
    /// run (for rules whose findings were counted but not listed). Invalid-event counts do not
    /// change: only errors make an event invalid, and errors are always shown. Returns the
    /// report and how many findings it leaves out (counted ones included).
    public func showing(minimum: Severity, severityOf: (String) -> Severity) -> (report: LintReport, hidden: Int) {
        if minimum == .note { return (self, 0) }
        var out = self
        out.findings = findings.filter { $0.severity >= minimum }
        var hidden = 0
        if minimum > .note {
            hidden += summary.notes
            out.summary.notes = 0
            for i in out.files.indices { out.files[i].notes = 0 }
        }
        if minimum > .warning {
            hidden += summary.warnings
            out.summary.warnings = 0
            for i in out.files.indices { out.files[i].warnings = 0 }
        }
        // A rule's findings share one severity in a run; listed findings say which.
        var listed: [String: Severity] = [:]
        for f in findings { listed[f.rule] = max(listed[f.rule] ?? f.severity, f.severity) }
        out.summary.findingsByRule = summary.findingsByRule.filter { rule, _ in
            (listed[rule] ?? severityOf(rule)) >= minimum
        }
        return (out, hidden)
    }
}
