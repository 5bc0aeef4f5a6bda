#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Carries out a lint run: discovery, schema choice, extraction and validation in parallel,
/// reports. The executable only parses flags into `LintSettings` and calls this.
public enum LintRunner {
    public static var formatNames: [String] { ReportRendering.formatNames }

    /// Runs and writes the reports; returns the exit status.
    public static func run(_ settings: LintSettings) -> ExitStatus {
        var settings = settings
        if settings.paths.isEmpty {
            if isatty(0) != 0 {
                Console.error("qmp-lint: no input: name files or directories, or - for standard input (see --help)")
                return .usage
            }
            settings.paths = ["-"]
        }
        for f in [settings.format] + settings.reports.map(\.format) where !formatNames.contains(f) {
            Console.error("qmp-lint: unknown format '\(f)' (known: \(formatNames.joined(separator: ", ")))")
            return .usage
        }
        let fixed: (schema: Schema, choice: SchemaChoice)?
        do {
            fixed = try SchemaResolution.fixed(settings)
        } catch {
            Console.error("qmp-lint: \(error)")
            return .usage
        }
        if let fixed, !settings.quiet {
            for note in SchemaFiles.notes(fixed.schema) { Console.error(note) }
        }
        for id in settings.disabledRules.union(settings.severities.keys) where RuleCatalog.rule(id: id) == nil {
            Console.error("qmp-lint: unknown rule '\(id)' (see qmp-lint rules)")
            return .usage
        }
        // Never read what this run writes.
        let outputs = [settings.output, settings.writeBaseline].compactMap { $0 } + settings.reports.map(\.path)
        let discovery = InputDiscovery(followLinks: settings.followLinks, include: settings.include, exclude: settings.exclude,
                                       includeHidden: settings.includeHidden, outputs: outputs)
            .discover(settings.paths)
        for s in discovery.skipped where !settings.quiet {
            Console.error("qmp-lint: skipped \(s.description)")
        }
        let jobs = settings.jobs > 0 ? settings.jobs : ProcessInfo.processInfo.activeProcessorCount
        let provider = SchemaSelectingProvider(fixed: fixed, severities: settings.severities, disabled: settings.disabledRules)
        let choice = provider.defaultChoice
        var fileOptions = FileLinter<SchemaSelectingProvider>.Options()
        let formats = Set([settings.format] + settings.reports.map(\.format))
        fileOptions.captureSourceLines = !formats.isDisjoint(with: ["text", "sarif", "junit", "html"])
        fileOptions.maxFindings = settings.maxFindings
        // Per-event records only for the formats that show events (bounded; counts otherwise).
        if formats.contains(where: { Reporters.named($0)?.needsEvents == true }) {
            fileOptions.eventBudget = EventBudget(cap: settings.maxTimelineEvents)
        }
        var bar: ProgressBar?
        if settings.progress && ProgressBar.wanted {
            var total = 0
            var known = true
            for p in discovery.names {
                var st = stat()
                if !p.isStandardInput, p.withCString({ stat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFREG { total += Int(st.st_size) } else { known = false }
            }
            let counter = ProgressCounter(totalBytes: known ? total : nil, totalFiles: discovery.names.count)
            fileOptions.progress = counter
            bar = ProgressBar(counter: counter)
            bar?.begin()
        }
        var linter = Linter(jobs: jobs, schema: choice, fileOptions: fileOptions, provider: provider)
        linter.splitThreshold = settings.splitThreshold
        linter.stdinName = settings.stdinName
        var (report, results) = linter.run(discovery)
        for r in results where r.omittedFindings > 0 {
            Console.error("qmp-lint: \(r.summary.path): \(r.omittedFindings) further findings counted but not listed (at most \(fileOptions.maxFindings) per input)")
        }
        bar?.end()
        for i in report.files.indices where report.files[i].schema == nil { report.files[i].schema = choice }
        for f in report.files where f.readError != nil {
            Console.error("qmp-lint: \(f.readError!)")
        }
        for n in report.files.flatMap(\.notices) where n.level == .warning || !settings.quiet {
            Console.error("qmp-lint: \(n)")
        }
        // Baselines: written from every finding, then known findings left out of the reports.
        if let path = settings.writeBaseline {
            do {
                let b = Baseline.make(from: report)
                try b.write(to: path)
                if !settings.quiet { Console.error("qmp-lint: wrote \(b.findingCount) findings to baseline \(path)") }
            } catch {
                Console.error("qmp-lint: \(error)")
                return .unreadableInput
            }
        }
        if let path = settings.baseline {
            do {
                let (filtered, suppressed) = try Baseline.load(path: path).filter(report)
                report = filtered
                if !settings.quiet && suppressed > 0 {
                    Console.error("qmp-lint: \(suppressed) findings suppressed by baseline \(path)")
                }
            } catch {
                Console.error("qmp-lint: \(error)")
                return .usage
            }
        }
        // Reports.
        let color: Bool
        switch settings.color {
        case .always: color = true
        case .never: color = false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            color = settings.output == nil && isatty(1) != 0 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
        }
        var failed = false
        if let path = settings.output {
            if !Console.writeFile(path, { ReportRendering.write(report, format: settings.format, settings: settings, color: color, to: $0) }) { failed = true }
        } else {
            _ = ReportRendering.write(report, format: settings.format, settings: settings, color: color, to: 1)
        }
        for (format, path) in settings.reports {
            if !Console.writeFile(path, { ReportRendering.write(report, format: format, settings: settings, color: false, to: $0) }) { failed = true }
        }
        if failed { return .unreadableInput }
        if report.summary.unreadableFiles > 0 { return .unreadableInput }
        if report.summary.errors > 0 || (settings.strict && report.summary.warnings > 0) { return .findings }
        return .clean
    }
}

/// Standard output and error, and report files.
public enum Console {
    public static func out(_ s: String) { writeAll(1, s) }
    public static func out(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { writeAll(1, $0) } }
    /// Writes a message line to standard error, control characters escaped (`TerminalText`).
    public static func error(_ s: String) { writeAll(2, TerminalText.safe(s) + "\n") }

    static func writeAll(_ fd: Int32, _ s: String) {
        var s = s
        _ = s.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Writes every byte (retrying short writes); false on an error.
    @discardableResult
    static func writeAll(_ fd: Int32, _ u: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < u.count {
            let n = Glibc.write(fd, u.baseAddress! + off, u.count - off)
            if n < 0 { if errno == EINTR { continue }; return false }
            off += n
        }
        return true
    }
    /// Writes `s` to `path`; reports a failure on standard error.
    public static func write(_ s: String, toFile path: String) -> Bool { write(Array(s.utf8), toFile: path) }

    /// Opens `path` for writing and lets `body` write to it; reports a failure on standard error.
    static func writeFile(_ path: String, _ body: (Int32) -> Bool) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            error("qmp-lint: cannot write \(path): \(String(cString: strerror(errno)))")
            return false
        }
        let wrote = body(fd)
        let closed = close(fd) == 0
        if !(wrote && closed) { error("qmp-lint: cannot write \(path): \(String(cString: strerror(errno)))") }
        return wrote && closed
    }

    public static func write(_ bytes: [UInt8], toFile path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            error("qmp-lint: cannot write \(path): \(String(cString: strerror(errno)))")
            return false
        }
        let ok = bytes.withUnsafeBytes { writeAll(fd, $0) } && close(fd) == 0
        if !ok { error("qmp-lint: cannot write \(path): \(String(cString: strerror(errno)))") }
        return ok
    }
}
