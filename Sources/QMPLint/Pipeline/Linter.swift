import Foundation

/// Runs the whole pipeline over many inputs, in parallel across files, and assembles the
/// deterministic report.
public struct Linter<Provider: CheckerProvider> {
    public var jobs: Int
    public var fileOptions: FileLinter<Provider>.Options
    public var provider: Provider
    /// The schema named in the report (per-file choices are in each FileSummary).
    public var schema: SchemaChoice

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, schema: SchemaChoice,
                fileOptions: FileLinter<Provider>.Options = .init(), provider: Provider) {
        self.jobs = max(1, jobs); self.schema = schema; self.fileOptions = fileOptions; self.provider = provider
    }

    /// How many bytes of an input the schema choice looks at.
    public static var headSize: Int { 2 << 20 }

    /// Files larger than this are split into ranges linted in parallel.
    public var splitThreshold = 8 << 20
    /// The name standard input (`-`) is reported under, as if it were that file; nil: `<stdin>`.
    public var stdinName: String?

    /// Lints the discovered inputs; unreadable ones are reported, the rest still processed.
    public func run(_ discovery: InputDiscovery.Result) -> (report: LintReport, results: [FileResult]) {
        let inputs = discovery.inputs
        // Work items: whole inputs, or ranges of large regular files; each input is opened
        // once, by the worker that first needs it (see InputPlan).
        let plan = InputPlan(discovery.names, jobs: jobs, splitThreshold: splitThreshold, headSize: Self.headSize)
        let items = plan.items
        // A split input's ranges share one listing budget (index of the range within the input).
        var budgets: [Int: (budget: EventBudget, part: Int)] = [:]
        var budget = EventBudget(cap: fileOptions.maxFindings)
        for (k, item) in items.enumerated() where item.parts > 1 {
            if item.part == 0 { budget = EventBudget(cap: fileOptions.maxFindings) }
            budgets[k] = (budget, item.part)
        }
        let slots = ResultSlots(count: items.count)
        let next = Counter()
        let workItems = items
        let fileOptions = self.fileOptions
        let provider = self.provider
        let frozenBudgets = budgets
        let stdinDisplay = stdinName.map(DisplayPath.make) ?? "<stdin>"
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let k = next.take()
                if k >= workItems.count { return }
                let item = workItems[k]
                let path = inputs[item.input]
                let display = path == "-" ? stdinDisplay : DisplayPath.make(path)
                var result: FileResult
                do {
                    let opened = try plan.open(item, display: path == "-" ? stdinDisplay : path, history: fileOptions.history)
                    var source = opened.source
                    var options = fileOptions
                    options.eventBudgetItem = k
                    if let b = frozenBudgets[k] {
                        options.findingBudget = b.budget
                        options.findingBudgetItem = b.part
                    }
                    var linter = FileLinter(provider: provider, options: options)
                    if let head = opened.head {
                        result = head.withUnsafeBytes { h in
                            linter.lint(&source, displayPath: display, history: opened.history, path: path, head: h)
                        }
                    } else {
                        result = linter.lint(&source, displayPath: display, history: opened.history, path: path == "-" ? display : path)
                    }
                    result.summary.notices = opened.notices + source.notices
                } catch {
                    result = FileResult(path: display)
                    result.summary.readError = "\(error)"
                }
                fileOptions.eventBudget?.finish(item: k, recorded: result.timeline.count)
                slots.set(k, result)
                if k + 1 == workItems.count || workItems[k + 1].input != item.input { fileOptions.progress?.fileDone() }
            }
        }
        let threads = min(jobs, max(1, items.count))
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
        // Merge the ranges of each file, releasing each part as it is taken (flat memory).
        var parts = slots.takeAll()
        var results: [FileResult] = []
        var k = 0
        while k < parts.count {
            var merged = parts[k]
            parts[k] = FileResult(path: "")
            merged.beginStreams()
            var j = k + 1
            while j < parts.count && items[j].input == items[k].input {
                merged.append(parts[j])
                parts[j] = FileResult(path: "")
                j += 1
            }
            merged.finishStreams()
            results.append(merged)
            k = j
        }
        parts = []
        for e in discovery.errors {
            var r = FileResult(path: DisplayPath.make(e.path))
            r.summary.readError = e.description
            results.append(r)
        }
        let timeline = fileOptions.eventBudget.map { EventTimeline.collect(from: &results, cap: $0.cap) }
        var report = Self.assemble(results, schema: schema)
        report.timeline = timeline
        return (report, results)
    }

    /// Combines per-file results into one report (also used to merge partial reports).
    public static func assemble(_ results: [FileResult], schema: SchemaChoice) -> LintReport {
        var s = ReportSummary()
        var findings: [ReportFinding] = []
        var files: [FileSummary] = []
        for r in results {
            let f = r.summary
            files.append(f)
            s.files += 1
            s.bytes += f.bytes; s.lines += f.lines; s.events += f.events; s.malformed += f.malformed
            s.invalidEvents += f.invalidEvents
            s.errors += f.errors; s.warnings += f.warnings; s.notes += f.notes
            if f.readError != nil { s.unreadableFiles += 1 }
            if let t = f.firstEvent, s.firstEvent.map({ t < $0 }) ?? true { s.firstEvent = t }
            if let t = f.lastEvent, s.lastEvent.map({ $0 < t }) ?? true { s.lastEvent = t }
            for (k, v) in r.eventsByName {
                s.eventsByName[k, default: EventCount()].total += v.total
                s.eventsByName[k, default: EventCount()].invalid += v.invalid
            }
            for (k, v) in r.findingsByRule { s.findingsByRule[k, default: 0] += v }
            findings.append(contentsOf: r.findings)
        }
        files.sort { $0.path < $1.path }
        findings = ReportFinding.sorted(findings)
        return LintReport(toolVersion: QMPLintVersion.current, schema: schema, summary: s, files: files, findings: findings)
    }
}

/// Paths as reports show them: relative to the current directory when inside it.
public enum DisplayPath {
    public static func make(_ path: String) -> String {
        guard path.hasPrefix("/") else {
            return path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        }
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return path
    }
}

extension FileResult {
    /// Appends the result of the range that follows this one in the same file.
    mutating func append(_ next: FileResult) {
        let shift = newlines
        var next = next
        var carry = streamCarry
        let streamFindings = next.resolveStreams(&carry, lineShift: shift)
        streamCarry = carry
        defer { for f in streamFindings { addStreamFinding(f) } }
        for var f in next.findings {
            f.line += shift
            f.eventLine += shift
            findings.append(f)
        }
        trimFindings(keeping: 2 * maxFindings)
        timeline.reserveCapacity(timeline.count + next.timeline.count)
        for var e in next.timeline {
            e.line += shift
            timeline.append(e)
        }
        newlines += next.newlines
        omittedFindings += next.omittedFindings
        let n = next.summary
        summary.bytes += n.bytes
        summary.lines = newlines + (n.lines - next.newlines)
        summary.events += n.events; summary.malformed += n.malformed; summary.invalidEvents += n.invalidEvents
        summary.errors += n.errors; summary.warnings += n.warnings; summary.notes += n.notes
        if summary.readError == nil { summary.readError = n.readError }
        summary.notices += n.notices
        if let t = n.firstEvent, summary.firstEvent.map({ t < $0 }) ?? true { summary.firstEvent = t }
        if let t = n.lastEvent, summary.lastEvent.map({ $0 < t }) ?? true { summary.lastEvent = t }
        for (k, v) in next.eventsByName {
            eventsByName[k, default: EventCount()].total += v.total
            eventsByName[k, default: EventCount()].invalid += v.invalid
        }
        for (k, v) in next.findingsByRule { findingsByRule[k, default: 0] += v }
        for (k, v) in next.markers { markers[k, default: 0] += v }
        for (k, v) in next.nonEvents { nonEvents[k, default: 0] += v }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}

final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [FileResult?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: FileResult) { lock.lock(); slots[i] = r; lock.unlock() }
    /// Every result, leaving the slots empty.
    func takeAll() -> [FileResult] {
        lock.lock(); defer { lock.unlock() }
        let out = slots.compactMap { $0 }
        slots = []
        return out
    }
}

extension FileResult {
    /// Keeps the first `maxFindings` findings in report order once more than `limit` are held
    /// (the rest are counted as omitted): every range lists its own first findings, so the ones
    /// listed are the same whether an input was read whole or in ranges.
    mutating func trimFindings(keeping limit: Int) {
        guard findings.count > limit, maxFindings < Int.max else { return }
        findings = ReportFinding.sorted(findings)
        omittedFindings += findings.count - maxFindings
        findings.removeLast(findings.count - maxFindings)
    }
}
