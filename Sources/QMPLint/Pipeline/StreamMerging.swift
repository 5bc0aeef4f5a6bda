/// Stream resolution across the ranges of one input: the stateful rules' deferred checks are made
/// and every finding is given its stream name, in file order, so the result does not depend on
/// how the input was split.
extension FileResult {
    /// Resolves the streams of the first (or only) range of an input.
    mutating func beginStreams() {
        var carry = StreamCarry()
        let found = resolveStreams(&carry, lineShift: 0)
        streamCarry = carry
        for f in found { addStreamFinding(f) }
    }

    /// Names the streams of this range's findings and returns its stateful findings (lines
    /// shifted by `lineShift`), moving `carry` past the range.
    mutating func resolveStreams(_ carry: inout StreamCarry, lineShift: Int) -> [StreamFinding] {
        guard let analysis = streamAnalysis else { return [] }
        streamAnalysis = nil
        for (rule, o) in analysis.omitted {
            findingsByRule[rule, default: 0] += o.count
            omittedFindings += o.count
            switch o.severity {
            case .error: summary.errors += o.count
            case .warning: summary.warnings += o.count
            case .note: summary.notes += o.count
            }
        }
        for (name, n) in analysis.omittedInvalid {
            summary.invalidEvents += n
            eventsByName[name, default: EventCount()].invalid += n
        }
        var (found, names) = carry.absorb(analysis, lineShift: lineShift)
        for i in findings.indices where i < streamRefs.count {
            let r = streamRefs[i]
            if r.key >= 0 { findings[i].stream = names[Int(r.key)][Int(r.session)] }
        }
        streamRefs = []
        for i in timeline.indices where i < timelineRefs.count {
            let r = timelineRefs[i]
            if r.key >= 0 { timeline[i].stream = names[Int(r.key)][Int(r.session)] }
        }
        timelineRefs = []
        found.sort {
            ($0.site.line, $0.site.column, $0.rule, $0.message) < ($1.site.line, $1.site.column, $1.rule, $1.message)
        }
        return found
    }

    /// The end of the input: findings about what was still open.
    mutating func finishStreams() {
        for f in streamCarry.finish() { addStreamFinding(f) }
        trimFindings(keeping: maxFindings)
    }

    mutating func addStreamFinding(_ f: StreamFinding) {
        findingsByRule[f.rule, default: 0] += 1
        switch f.severity {
        case .error: summary.errors += 1
        case .warning: summary.warnings += 1
        case .note: summary.notes += 1
        }
        if f.severity == .error, !f.site.invalid, let name = f.site.event {
            summary.invalidEvents += 1
            eventsByName[name, default: EventCount()].invalid += 1
        }
        // Listed whatever the count: `trimFindings` keeps the first in report order.
        findings.append(
            ReportFinding(
                file: summary.path, line: f.site.line, column: f.site.column, eventLine: f.site.eventLine,
                event: f.site.event,
                rule: f.rule, severity: f.severity, message: f.message, pointer: "", eventHash: f.site.eventHash,
                sourceLine: f.site.sourceLine, stream: f.stream, sourceLineStart: f.site.sourceLineStart,
                sourceLineTruncated: f.site.sourceLineTruncated))
    }
}
