import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the whole pipeline over many inputs and assembles the deterministic report.
///
/// Each input is cut into chunks (`ChunkGeometry`: where depends on its bytes only); worker
/// threads read chunks (extraction and validation, `ChunkReader`) in parallel, across inputs and
/// within large files; each input's chunks are reduced in text order (`FileReducer`) as soon as
/// they are ready, so at most a few chunks per thread are held. Regular files are read through
/// one descriptor with pread; pipes, terminals and `.gz` inputs are read as they stream.
public struct Linter {
    public var jobs: Int
    public var selector: SchemaSelectingProvider
    public var geometry = ChunkGeometry()
    public var maxFindings = 100_000
    public var captureSourceLines = true
    /// Records events for the timeline formats within this budget; nil keeps counts only.
    public var eventBudget: EventBudget?
    public var progress: ProgressCounter?
    /// The name standard input (`-`) is reported under, as if it were that file; nil: `<stdin>`.
    public var stdinName: String?
    public var extraction = MessageExtractor.Options()

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, selector: SchemaSelectingProvider) {
        self.jobs = max(1, jobs)
        self.selector = selector
    }

    /// How many bytes of an input the schema choice looks at.
    public static var headSize: Int { 2 << 20 }

    /// Lints the discovered inputs; unreadable ones are reported, the rest still processed.
    public func run(_ discovery: InputDiscovery.Result) -> (report: LintReport, results: [FileResult]) {
        let inputs = discovery.inputs
        let stdinDisplay = stdinName.map(DisplayPath.make) ?? "<stdin>"
        let plan = StreamRulePlan(rules: selector.rules)
        let run = Run(linter: self, plan: plan, count: inputs.count, stdinDisplay: stdinDisplay)
        // Open every input once, and plan the chunks of regular files (cheap: a probe per cut).
        for (i, path) in inputs.enumerated() { run.open(i, path) }
        let threads = min(jobs, max(1, run.tasks.count))
        if threads == 1 {
            run.work()
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in run.work() }
        }
        var results = run.takeResults()
        for e in discovery.errors {
            var r = FileResult(path: DisplayPath.make(e.path))
            r.summary.readError = e.description
            results.append(r)
        }
        let timeline = eventBudget.map { EventTimeline.collect(from: &results, cap: $0.cap) }
        var report = Self.assemble(results, schema: selector.defaultChoice)
        report.timeline = timeline
        return (report, results)
    }

    /// Lints one input read from `source` (in memory, a pipe), reported as `path`: the same
    /// chunks, reduction and result as a file of those bytes.
    public func lint(_ source: any ByteSource, path: String) -> FileResult {
        let run = Run(linter: self, plan: StreamRulePlan(rules: selector.rules), count: 1, stdinDisplay: path)
        let input = Run.Input(path: path, display: path)
        run.inputs[0] = input
        run.readStream(0, input, ChunkReader(options: extraction), source: source)
        return input.result ?? FileResult(path: path)
    }

    /// Lints bytes in memory as one input named `path`.
    public func lint(bytes: [UInt8], path: String = "input.log") -> FileResult {
        lint(MemorySource(bytes), path: path)
    }

    /// Combines per-file results into one report.
    public static func assemble(_ results: [FileResult], schema: SchemaChoice) -> LintReport {
        var s = ReportSummary()
        var findings: [ReportFinding] = []
        var files: [FileSummary] = []
        for r in results {
            files.append(r.summary)
            s.add(r.summary, eventsByName: r.eventsByName, findingsByRule: r.findingsByRule)
            findings.append(contentsOf: r.findings)
        }
        files.sort { $0.path < $1.path }
        findings = ReportFinding.sorted(findings)
        return LintReport(toolVersion: QMPLintVersion.current, schema: schema, summary: s, files: files, findings: findings)
    }
}

/// One run's shared state: the inputs, the task list, the reducers.
final class Run: @unchecked Sendable {
    enum Task {
        /// Chunk `index` of input `file` (a regular file read with pread).
        case chunk(file: Int, index: Int)
        /// A whole input read as it streams.
        case stream(file: Int)
    }

    /// One input being linted.
    final class Input {
        let path: String
        let display: String
        var fd: Int32 = -1
        var cuts: [Int] = []
        var reducer: FileReducer?
        var config: ReadingConfig?
        /// Read chunks waiting for the ones before them: (result, buffer).
        var ready: [Int: (ChunkResult, [StreamKey], UnsafeMutableRawBufferPointer)] = [:]
        var next = 0
        var result: FileResult?
        let lock = NSLock()
        init(path: String, display: String) { self.path = path; self.display = display }
        deinit { if fd >= 0 { close(fd) } }
    }

    let linter: Linter
    let plan: StreamRulePlan
    let stdinDisplay: String
    var inputs: [Input?]
    var tasks: [Task] = []
    private let lock = NSLock()
    private let moved = NSCondition()
    private var nextTask = 0

    init(linter: Linter, plan: StreamRulePlan, count: Int, stdinDisplay: String) {
        self.linter = linter
        self.plan = plan
        self.stdinDisplay = stdinDisplay
        inputs = Array(repeating: nil, count: count)
    }

    /// Opens input `i` and adds its tasks.
    func open(_ i: Int, _ path: String) {
        let display = path == "-" ? stdinDisplay : DisplayPath.make(path)
        let input = Input(path: path, display: display)
        inputs[i] = input
        if path != "-", let (fd, size) = Self.openPlainFile(path) {
            input.fd = fd
            input.cuts = linter.geometry.cuts(fd: fd, size: size)
            let head = Self.pread(fd, from: 0, count: min(size, Linter.headSize))
            head.withUnsafeBytes { start(input, index: i, head: $0) }
            for k in 0..<(input.cuts.count - 1) { tasks.append(.chunk(file: i, index: k)) }
            if input.cuts.count < 2 { finish(input) }
            return
        }
        tasks.append(.stream(file: i))
    }

    /// Chooses the input's schema (from its first bytes) and makes its reducer.
    func start(_ input: Input, index: Int, head: UnsafeRawBufferPointer) {
        let (validator, choice) = linter.selector.validator(path: input.path == "-" ? input.display : input.path, head: head)
        input.config = ReadingConfig(validator: validator, path: input.display,
                                     captureSourceLines: linter.captureSourceLines,
                                     recordEvents: linter.eventBudget != nil, members: plan.members,
                                     allNames: plan.allNames, plan: plan)
        let reducer = FileReducer(config: FileReducer.Config(
            path: input.display, rules: validator.rules, plan: plan, maxFindings: linter.maxFindings,
            captureSourceLines: linter.captureSourceLines, maxLine: linter.geometry.maxLine, events: linter.eventBudget,
            item: index))
        input.reducer = reducer
        reducer.schema = choice
    }

    func takeResults() -> [FileResult] {
        inputs.compactMap { $0?.result }
    }

    // MARK: - Workers

    func work() {
        let reader = ChunkReader(options: linter.extraction)
        while true {
            lock.lock()
            let t = nextTask
            nextTask += 1
            lock.unlock()
            guard t < tasks.count else { return }
            switch tasks[t] {
            case .chunk(let file, let index): readChunk(inputs[file]!, index, reader)
            case .stream(let file): readStream(file, inputs[file]!, reader)
            }
        }
    }

    /// Reads chunk `k` of a regular file and reduces what is ready, in order.
    func readChunk(_ input: Input, _ k: Int, _ reader: ChunkReader) {
        // Stay within a few chunks of the reduction (bounded memory).
        let window = 2 * max(1, linter.jobs) + 1
        moved.lock()
        while k >= input.next + window { moved.wait() }
        moved.unlock()
        let from = input.cuts[k], to = input.cuts[k + 1]
        let buffer = PageBuffer.allocate(max(1, to - from))
        var got = 0
        var error: String?
        while got < to - from {
            let n = Glibc.pread(input.fd, buffer.baseAddress! + got, to - from - got, off_t(from + got))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { error = "\(input.display): at byte \(from + got): read failed: \(errnoMessage())"; break }
            if n == 0 { error = "\(input.display): the file shrank while it was read (it ends at byte \(from + got), not \(input.cuts.last!))"; break }
            got += n
        }
        linter.progress?.add(bytes: got)
        let b = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<got])
        var result = reader.read(b, from: 0, to: got, config: input.config!)
        result.readError = error
        result.overlongLine = k + 2 < input.cuts.count && got > 0 && b[got - 1] != 0x0A
        let keys = result.keys
        input.lock.lock()
        input.ready[k] = (result, keys, buffer)
        // Reduce every chunk that is next in line.
        while let (r, keys, buf) = input.ready.removeValue(forKey: input.next) {
            input.reducer!.reduce(r, keys: keys, buffer: UnsafeRawBufferPointer(buf))
            PageBuffer.free(buf)
            input.next += 1
            moved.lock(); moved.broadcast(); moved.unlock()
        }
        let done = input.next == input.cuts.count - 1
        input.lock.unlock()
        if done { finish(input) }
    }

    /// Reads an input that streams (stdin, a pipe, a `.gz`): chunk by chunk, in order.
    func readStream(_ index: Int, _ input: Input, _ reader: ChunkReader, source given: (any ByteSource)? = nil) {
        var source: any ByteSource
        if let given {
            source = given
        } else {
            do {
                source = try InputOpener.open(input.path, stdinName: stdinDisplay)
            } catch {
                var r = FileResult(path: input.display)
                r.summary.readError = "\(error)"
                input.result = r
                linter.progress?.fileDone()
                return
            }
        }
        let g = linter.geometry
        var cap = max(Linter.headSize, 2 * g.size)
        var buffer = PageBuffer.allocate(cap)
        defer { PageBuffer.free(buffer) }
        var dataEnd = 0       // bytes in the buffer
        var base = 0          // input offset of buffer[0]
        var previous = 0      // the last cut (input offset)
        var atEnd = false
        var readError: String?
        var started = false
        while true {
            // Fill.
            while !atEnd && dataEnd < cap {
                do {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[dataEnd..<cap]))
                    if n == 0 { atEnd = true; break }
                    dataEnd += n
                    linter.progress?.add(bytes: n)
                } catch {
                    readError = error.description
                    atEnd = true
                }
            }
            let ro = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<dataEnd])
            if !started {
                start(input, index: index, head: UnsafeRawBufferPointer(rebasing: ro[0..<min(dataEnd, Linter.headSize)]))
                started = true
            }
            // Cut where the geometry says (the same cuts as a file read by ranges).
            let decision = g.decide(after: previous, in: ro, base: base, atEnd: atEnd)
            var cut: Int
            switch decision {
            case .cut(let c, _): cut = c
            case .none: cut = base + dataEnd
            case .needMore:
                if dataEnd < cap { continue }
                // Grow to hold a long unit or line.
                let bigger = PageBuffer.allocate(cap * 2)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                PageBuffer.free(buffer)
                buffer = bigger
                cap *= 2
                continue
            }
            let from = previous - base, to = cut - base
            var result = reader.read(ro, from: from, to: to, config: input.config!)
            if cut == base + dataEnd { result.readError = readError }
            result.overlongLine = cut < base + dataEnd && to > from && ro[to - 1] != 0x0A
            input.reducer!.reduce(result, keys: result.keys, buffer: ro)
            previous = cut
            if cut >= base + dataEnd && atEnd { break }
            // Slide: keep the bytes from the cut on.
            let keep = dataEnd - to
            memmove(buffer.baseAddress!, buffer.baseAddress! + to, keep)
            dataEnd = keep
            base = cut
        }
        finish(input)
    }

    func finish(_ input: Input) {
        guard let reducer = input.reducer else { return }
        var r = reducer.finish()
        r.summary.schema = reducer.schema
        input.result = r
        input.reducer = nil
        linter.progress?.fileDone()
    }

    // MARK: - Files

    /// A regular, uncompressed file opened for pread, with its size; nil for anything else.
    static func openPlainFile(_ path: String) -> (Int32, Int)? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var st = stat()
        // Empty regular files include /proc and /sys files, whose size says nothing: streamed.
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size > 0 else { close(fd); return nil }
        var magic: (UInt8, UInt8) = (0, 0)
        let n = withUnsafeMutableBytes(of: &magic) { Glibc.pread(fd, $0.baseAddress, 2, 0) }
        if n == 2 && magic.0 == 0x1F && magic.1 == 0x8B { close(fd); return nil }
        return (fd, Int(st.st_size))
    }

    static func pread(_ fd: Int32, from: Int, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress! + got, count - got, off_t(from + got)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        out.removeLast(count - got)
        return out
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

/// Input buffers mapped straight from the kernel and returned to it when done, so worker
/// threads never grow the heap (glibc keeps freed multi-megabyte blocks otherwise).
enum PageBuffer {
    static func allocate(_ size: Int) -> UnsafeMutableRawBufferPointer {
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: cannot map a \(size >> 20) MiB input buffer")
        }
        return UnsafeMutableRawBufferPointer(start: p, count: size)
    }
    static func free(_ b: UnsafeMutableRawBufferPointer) {
        munmap(b.baseAddress, b.count)
    }
}
