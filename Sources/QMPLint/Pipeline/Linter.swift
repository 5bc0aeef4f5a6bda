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
    /// Ends every input where it is when requested (SIGINT, SIGTERM): the report is of what was read.
    public var stop: StopFlag?
    /// Shows findings as they become final (a live run); the inputs that may stay open are then
    /// read in what has arrived once they are quiet for `LiveOutput.quiet`, not in full buffers.
    public var live: LiveOutput?
    /// `--follow`: regular files are read like `tail -F` until `stop` is requested.
    public var follow = false

    /// How long an input that may stay open is quiet before a live run reads what arrived (ms).
    public static let quietMilliseconds = 150

    /// How inputs that may stay open are waited for; nil: plain blocking reads.
    var waiting: Waiting? {
        if stop == nil && live == nil && !follow { return nil }
        return Waiting(stop: stop, quiet: live != nil ? Self.quietMilliseconds : nil)
    }

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, selector: SchemaSelectingProvider) {
        self.jobs = max(1, jobs)
        self.selector = selector
    }

    /// How many bytes of an input the schema choice looks at.
    public static var headSize: Int { 2 << 20 }

    /// Lints the discovered inputs; unreadable ones are reported, the rest still processed.
    public func run(_ discovery: InputDiscovery.Result) -> (report: LintReport, results: [FileResult]) {
        let names = discovery.names
        let stdinDisplay = stdinName.map(DisplayPath.make) ?? "<stdin>"
        let plan = StreamRulePlan(rules: selector.rules)
        let run = Run(linter: self, plan: plan, count: names.count, stdinDisplay: stdinDisplay)
        // Each input is opened by the worker that takes it (a FIFO waits for its writer there);
        // a large regular file then adds its chunks as tasks for every worker.
        for (i, name) in names.enumerated() { run.add(i, name) }
        var threads = min(jobs, max(1, names.count > 1 ? names.count : run.largest))
        if follow || live != nil {
            // An input that may stay open keeps its worker for as long: one each, besides the
            // workers for the rest, however many cores.
            let staying = follow ? names.count : names.filter { !Self.isRegularFile($0) }.count
            threads = min(names.count + run.largest, threads + staying)
            let done = DispatchGroup()
            for _ in 0..<threads {
                done.enter()
                let t = Thread { run.work(); done.leave() }
                t.stackSize = 8 << 20
                t.start()
            }
            done.wait()
        } else if threads == 1 {
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

    /// Whether `name` is a regular file (standard input too, when redirected from one).
    static func isRegularFile(_ name: InputName) -> Bool {
        var st = stat()
        let ok = name.isStandardInput ? fstat(0, &st) : name.withCString { stat($0, &st) }
        return ok == 0 && st.st_mode & S_IFMT == S_IFREG
    }

    /// Lints one input read from `source` (in memory, a pipe), reported as `path`: the same
    /// chunks, reduction and result as a file of those bytes.
    public func lint(_ source: any ByteSource, path: String) -> FileResult {
        let run = Run(linter: self, plan: StreamRulePlan(rules: selector.rules), count: 1, stdinDisplay: path)
        let input = Run.Input(name: InputName(path), display: path)
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
        /// Open input `file` and read it (a small file, a stream), or plan its chunks.
        case input(Int)
        /// Chunk `index` of input `file` (a regular file read with pread).
        case chunk(file: Int, index: Int)
    }

    /// One input being linted.
    final class Input {
        let name: InputName
        let display: String
        var file: InputFile?
        var cuts: [Int] = []
        var reducer: FileReducer?
        var config: ReadingConfig?
        /// Read chunks waiting for the ones before them: (result, buffer).
        var ready: [Int: (ChunkResult, [StreamKey], UnsafeMutableRawBufferPointer)] = [:]
        var next = 0
        var result: FileResult?
        var notices: [InputNotice] = []
        let lock = NSLock()
        init(name: InputName, display: String) { self.name = name; self.display = display }
    }

    let linter: Linter
    let plan: StreamRulePlan
    let stdinDisplay: String
    var inputs: [Input?]
    /// Tasks not taken yet, in order (a file's chunks go first once it is opened).
    private var tasks: [Task] = []
    private var taken = 0
    /// Inputs taken but not yet opened: their chunks may still be added, so an idle worker
    /// waits for them instead of ending (one large file would otherwise be read by one thread).
    private var opening = 0
    /// Guards `tasks`, `taken` and `opening`; signalled when tasks are added or an input is open.
    private let lock = NSCondition()
    private let moved = NSCondition()
    /// Chunks of the largest regular input (how many threads are worth starting for one input).
    private(set) var largest = 1

    init(linter: Linter, plan: StreamRulePlan, count: Int, stdinDisplay: String) {
        self.linter = linter
        self.plan = plan
        self.stdinDisplay = stdinDisplay
        inputs = Array(repeating: nil, count: count)
    }

    /// Adds input `i` (opened later, by the worker that takes it).
    func add(_ i: Int, _ name: InputName) {
        let display = name.isStandardInput ? stdinDisplay : DisplayPath.make(name.path)
        inputs[i] = Input(name: name, display: display)
        tasks.append(.input(i))
        var st = stat()
        if !name.isStandardInput, name.withCString({ stat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFREG {
            largest = max(largest, Int(st.st_size) / linter.geometry.size + 1)
        }
    }

    /// Chooses the input's schema (from its first bytes) and makes its reducer.
    func start(_ input: Input, index: Int, head: UnsafeRawBufferPointer) {
        let path = input.name.isStandardInput ? input.display : input.name.path
        let selected = linter.selector.select(path: path, head: head)
        let validator = selected.validator, choice = selected.choice
        input.config = ReadingConfig(validator: validator, path: input.display,
                                     captureSourceLines: linter.captureSourceLines,
                                     recordEvents: linter.eventBudget != nil, members: plan.members,
                                     allNames: plan.allNames, plan: plan, probe: selected.inference?.probe)
        let reducer = FileReducer(config: FileReducer.Config(
            path: input.display, validator: validator, rules: validator.rules, plan: plan, maxFindings: linter.maxFindings,
            captureSourceLines: linter.captureSourceLines, maxLine: linter.geometry.maxLine, events: linter.eventBudget,
            item: index, inference: selected.inference))
        input.reducer = reducer
        reducer.schema = choice
        reducer.keepsFinal = linter.live != nil
    }

    func takeResults() -> [FileResult] {
        inputs.compactMap { $0?.result }
    }

    // MARK: - Workers

    func work() {
        let reader = ChunkReader(options: linter.extraction)
        while true {
            lock.lock()
            while taken >= tasks.count && opening > 0 { lock.wait() }
            guard taken < tasks.count else { lock.unlock(); return }
            let t = tasks[taken]
            taken += 1
            if case .input = t { opening += 1 }
            lock.unlock()
            switch t {
            case .input(let i): open(i, inputs[i]!, reader)
            case .chunk(let file, let index): readChunk(inputs[file]!, index, reader)
            }
        }
    }

    /// Opens an input once and reads it: a regular file in chunks (the later ones queued for
    /// every worker), anything else as it streams.
    func open(_ i: Int, _ input: Input, _ reader: ChunkReader) {
        // Whatever path this takes, the input stops counting as opening exactly once, with any
        // chunk tasks it adds already in the list.
        var opened = false
        func announce(_ more: [Task] = []) {
            guard !opened else { return }
            opened = true
            lock.lock()
            tasks.insert(contentsOf: more, at: taken)
            opening -= 1
            lock.broadcast()
            lock.unlock()
        }
        defer { announce() }
        let file: InputFile
        do {
            file = try InputFile.open(input.name, display: input.name.isStandardInput ? stdinDisplay : input.display,
                                      waiting: linter.waiting)
        } catch {
            var r = FileResult(path: input.display)
            r.summary.readError = "\(error)"
            input.result = r
            linter.progress?.fileDone()
            return
        }
        input.file = file
        input.notices = file.notices
        if linter.follow, file.kind == .regular, !file.isGzip, file.sniff.encoding == .utf8, let waiting = linter.waiting {
            announce()
            readStream(i, input, reader, source: FollowSource(file: file, waiting: waiting))
            return
        }
        guard file.isSplittable, let size = file.size, size > 0 else {
            announce()
            do {
                readStream(i, input, reader, source: try file.source())
            } catch {
                var r = FileResult(path: input.display)
                r.summary.readError = "\(error)"
                r.summary.notices = input.notices
                input.result = r
                linter.progress?.fileDone()
            }
            return
        }
        input.cuts = linter.geometry.cuts(fd: file.fd, size: size)
        let head = file.head(min(size, Linter.headSize))
        head.withUnsafeBytes { start(input, index: i, head: $0) }
        announce(input.cuts.count > 2 ? (1..<(input.cuts.count - 1)).map { Task.chunk(file: i, index: $0) } : [])
        readChunk(input, 0, reader)
    }

    /// Reads chunk `k` of a regular file and reduces what is ready, in order.
    func readChunk(_ input: Input, _ k: Int, _ reader: ChunkReader) {
        // Stay within a few chunks of the reduction (bounded memory).
        let window = 2 * max(1, linter.jobs) + 1
        moved.lock()
        while k >= input.next + window { moved.wait() }
        moved.unlock()
        let file = input.file!
        let from = input.cuts[k], to = input.cuts[k + 1]
        let buffer = PageBuffer.allocate(max(1, to - from))
        var got = 0
        var readError: String?
        // Once a stop is requested the chunks left are empty: the input ends where it was read.
        if !(linter.stop?.isRequested ?? false) {
        do {
            var source = file.range(from..<to)
            while got < to - from {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got..<(to - from)]))
                if n == 0 { break }
                got += n
            }
        } catch {
            readError = "\(error)"
        }
        }
        linter.progress?.add(bytes: got)
        let b = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<got])
        var result = reader.read(b, from: 0, to: got, config: input.config!)
        result.readError = readError
        result.overlongLine = k + 2 < input.cuts.count && got > 0 && b[got - 1] != 0x0A
        let keys = result.keys
        input.lock.lock()
        input.ready[k] = (result, keys, buffer)
        // Reduce every chunk that is next in line.
        while let (r, keys, buf) = input.ready.removeValue(forKey: input.next) {
            input.reducer!.reduce(r, keys: keys, buffer: UnsafeRawBufferPointer(buf))
            linter.live?.show(input.reducer!.takeFinal())
            PageBuffer.free(buf)
            // `next` is written under both locks: the reduction reads it under the input's,
            // a waiting reader (the window above) under `moved`.
            moved.lock(); input.next += 1; moved.broadcast(); moved.unlock()
        }
        let done = input.next == input.cuts.count - 1
        input.lock.unlock()
        if done { finish(input) }
    }

    /// Reads an input that streams (stdin, a pipe, a `.gz`, UTF-16, a followed file): chunk by
    /// chunk, in order.
    ///
    /// Chunks are cut where `ChunkGeometry` says. In a live run an input that may stay open is
    /// also cut where its data paused: once it has been quiet for `Linter.quietMilliseconds`,
    /// what arrived is read up to its last complete line, unless that line leaves JSON open
    /// (`LineShape.leavesOpen`), so that its findings are shown without waiting for more. Units
    /// never span such a cut when the writer writes each record whole (as QEMU, libvirt and
    /// virsh do); a writer that pauses within a record before a continuation line would have
    /// that record read in two pieces.
    func readStream(_ index: Int, _ input: Input, _ reader: ChunkReader, source: any ByteSource) {
        var source = source
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
        let waiting = linter.waiting
        let pollable = source as? PollableSource
        let live = linter.live != nil
        var fresh = false     // bytes arrived since the input was last quiet
        var quiet = false     // the input is quiet: cut what arrived before reading on
        while true {
            // Fill (in a live run: until the input is quiet).
            fill: while !quiet && !atEnd && dataEnd < cap {
                if let waiting {
                    if let pollable {
                        switch pollable.wait(waiting, allowQuiet: live && fresh) {
                        case .data: break
                        case .quiet: quiet = true; break fill
                        case .stop: atEnd = true; break fill
                        }
                    } else if waiting.stopped {
                        atEnd = true
                        break fill
                    }
                }
                do {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[dataEnd..<cap]))
                    if n == 0 { atEnd = true; break }
                    dataEnd += n
                    fresh = true
                    linter.progress?.add(bytes: n)
                } catch {
                    readError = error.description
                    atEnd = true
                }
            }
            if quiet { fresh = false }
            let ro = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<dataEnd])
            if !started {
                start(input, index: index, head: UnsafeRawBufferPointer(rebasing: ro[0..<min(dataEnd, Linter.headSize)]))
                started = true
            }
            // Cut where the geometry says (the same cuts as a file read by ranges).
            var cut: Int
            switch g.decide(after: previous, in: ro, base: base, atEnd: atEnd) {
            case .cut(let c, _): cut = c
            case .none: cut = base + dataEnd
            case .needMore:
                if quiet {
                    // What arrived, up to its last complete line.
                    quiet = false
                    if let c = Self.quietCut(ro, from: previous - base) {
                        cut = base + c
                        break
                    }
                    continue
                }
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
            linter.live?.show(input.reducer!.takeFinal())
            previous = cut
            if cut >= base + dataEnd && atEnd { break }
            // Slide: keep the bytes from the cut on.
            let keep = dataEnd - to
            memmove(buffer.baseAddress!, buffer.baseAddress! + to, keep)
            dataEnd = keep
            base = cut
        }
        input.notices += source.notices
        finish(input)
    }

    /// Where a live run cuts data that paused (`readStream`): after its last `\n` past `from`,
    /// when the line that ends there does not leave JSON open; nil: wait for more.
    static func quietCut(_ b: UnsafeRawBufferPointer, from: Int) -> Int? {
        var end = b.count
        while end > from && b[end - 1] != 0x0A { end -= 1 }
        guard end > from else { return nil }
        let le = end - 1
        let ls = max(ByteScan.lineStart(b, le, floor: from), le - LineShape.window)
        let s = LineShape.textStart(b, ls, le)
        if LineShape.leavesOpen(b, s, LineShape.textEnd(b, s, le)) { return nil }
        return end
    }

    func finish(_ input: Input) {
        guard let reducer = input.reducer else { return }
        var r = reducer.finish()
        linter.live?.show(reducer.takeFinal())
        r.summarise()
        r.summary.schema = reducer.schema
        r.summary.notices = input.notices + r.summary.notices
        input.result = r
        input.reducer = nil
        input.file = nil
        linter.progress?.fileDone()
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

/// Input buffers: large ones mapped straight from the kernel and returned to it when done, so
/// worker threads never grow the heap (glibc keeps freed multi-megabyte blocks otherwise); small
/// ones (a small file's only chunk) from malloc, since a map and unmap per file costs a TLB
/// shootdown on every core (a third of the time of a run over 20,000 small files).
enum PageBuffer {
    /// Below this many bytes a buffer comes from malloc (the size decides `free` too).
    static let mapped = 256 << 10

    static func allocate(_ size: Int) -> UnsafeMutableRawBufferPointer {
        if size < mapped {
            guard let p = malloc(max(1, size)) else { fatalError("out of memory: cannot allocate \(size) bytes") }
            return UnsafeMutableRawBufferPointer(start: p, count: size)
        }
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            fatalError("out of memory: cannot map a \(size >> 20) MiB input buffer")
        }
        return UnsafeMutableRawBufferPointer(start: p, count: size)
    }
    static func free(_ b: UnsafeMutableRawBufferPointer) {
        if b.count < mapped {
            Glibc.free(b.baseAddress)
        } else {
            munmap(b.baseAddress, b.count)
        }
    }
}
