import Foundation

/// Runs the whole pipeline over many inputs, in parallel across files, and assembles the
/// deterministic report.
public struct Linter<Checker: EventChecker> {
    public var jobs: Int
    public var fileOptions: FileLinter<Checker>.Options
    public var makeChecker: @Sendable (_ path: String) -> Checker
    /// The schema named in the report (per-file choices are in each FileSummary).
    public var schema: SchemaChoice

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, schema: SchemaChoice,
                fileOptions: FileLinter<Checker>.Options = .init(),
                makeChecker: @escaping @Sendable (_ path: String) -> Checker) {
        self.jobs = max(1, jobs); self.schema = schema; self.fileOptions = fileOptions; self.makeChecker = makeChecker
    }

    /// Lints the discovered inputs; unreadable ones are reported, the rest still processed.
    public func run(_ discovery: InputDiscovery.Result) -> (report: LintReport, results: [FileResult]) {
        let inputs = discovery.inputs
        let slots = ResultSlots(count: inputs.count)
        let next = Counter()
        let fileOptions = self.fileOptions
        let makeChecker = self.makeChecker
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let i = next.take()
                if i >= inputs.count { return }
                let path = inputs[i]
                let display = path == "-" ? "<stdin>" : DisplayPath.make(path)
                var result: FileResult
                do {
                    var source = try InputOpener.open(path)
                    var linter = FileLinter(checker: makeChecker(path), options: fileOptions)
                    result = linter.lint(&source, displayPath: display)
                } catch {
                    result = FileResult(path: display)
                    result.summary.readError = "\(error)"
                }
                slots.set(i, result)
            }
        }
        let threads = min(jobs, max(1, inputs.count))
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
        var results = slots.all()
        for e in discovery.errors {
            var r = FileResult(path: DisplayPath.make(e.path))
            r.summary.readError = e.description
            results.append(r)
        }
        return (Self.assemble(results, schema: schema), results)
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
        findings.sort(by: ReportFinding.ordered)
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
    func all() -> [FileResult] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
