import Foundation
import Testing
@testable import QMPLint

/// Scratch folder for one test, removed after it.
final class ScratchDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(name).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }
    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }
}

/// Reads a source to its end: the bytes, and the error that ended it (if one did).
func drain(_ source: inout any ByteSource, chunk: Int = 1 << 16) -> (bytes: [UInt8], error: InputError?) {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let r = buffer.withUnsafeMutableBytes { b in Result { () throws(InputError) in try source.read(into: b) } }
        switch r {
        case .success(0): return (out, nil)
        case .success(let n): out += buffer[..<n]
        case .failure(let e): return (out, e)
        }
    }
}

/// Numbered lines, `count` of them.
func numberedLines(_ count: Int, tag: String = "line") -> String {
    (0..<count).map { "\(tag) \($0) {\"event\": \"STOP\"}\n" }.joined()
}

/// One descriptor per input (issue 14.2): a log rotated, deleted, grown or shrunk while its
/// chunks are read is read as it was when opened, or the shrinking is a read error.
@Suite struct InputFileTests {
    /// Reads a file as a run does: opened once, cut into chunks (`jobs` 1: one chunk, else
    /// four, as `ChunkGeometry` cuts), each chunk read through the one descriptor (`range`), in
    /// order; `between` runs after the file was opened and cut.
    func readChunks(_ name: String, jobs: Int, between: () throws -> Void = {}) throws
        -> (bytes: [UInt8], errors: [InputError], chunks: Int)
    {
        let file = try InputFile.open(InputName(name), display: name)
        let size = try #require(file.size)
        let cuts = jobs == 1 ? [0, size] : ChunkGeometry(size: size / 4 + 1).cuts(fd: file.fd, size: size)
        try between()
        var out: [UInt8] = []
        var errors: [InputError] = []
        for k in 0..<(cuts.count - 1) {
            var source = file.range(cuts[k]..<cuts[k + 1])
            let (bytes, error) = drain(&source)
            out += bytes
            if let error { errors.append(error) }
        }
        return (out, errors, cuts.count - 1)
    }

    @Test(arguments: [1, 4]) func rotationDuringTheRunReadsTheFileOpened(jobs: Int) throws {
        let dir = try ScratchDir()
        let original = numberedLines(5000)
        try dir.write("live.log", original)
        try dir.write("new.log", numberedLines(10, tag: "new"))
        let (bytes, errors, chunks) = try readChunks(dir.path("live.log"), jobs: jobs) {
            try FileManager.default.moveItem(atPath: dir.path("live.log"), toPath: dir.path("live.log.1"))
            try FileManager.default.moveItem(atPath: dir.path("new.log"), toPath: dir.path("live.log"))
        }
        #expect(chunks == jobs)
        #expect(errors.isEmpty)
        #expect(bytes == Array(original.utf8))
    }

    @Test(arguments: [1, 4]) func aFileDeletedDuringTheRunIsReadWhole(jobs: Int) throws {
        let dir = try ScratchDir()
        let original = numberedLines(5000)
        try dir.write("gone.log", original)
        let (bytes, errors, _) = try readChunks(dir.path("gone.log"), jobs: jobs) {
            try FileManager.default.removeItem(atPath: dir.path("gone.log"))
        }
        #expect(errors.isEmpty)
        #expect(bytes == Array(original.utf8))
    }

    @Test(arguments: [1, 4]) func aFileThatGrowsIsReadUpToItsSizeWhenOpened(jobs: Int) throws {
        let dir = try ScratchDir()
        let original = numberedLines(5000)
        try dir.write("grow.log", original)
        let (bytes, errors, _) = try readChunks(dir.path("grow.log"), jobs: jobs) {
            let h = try FileHandle(forWritingTo: dir.url.appendingPathComponent("grow.log"))
            try h.seekToEnd()
            try h.write(contentsOf: Data(numberedLines(100, tag: "later").utf8))
            try h.close()
        }
        #expect(errors.isEmpty)
        #expect(bytes == Array(original.utf8))
    }

    @Test(arguments: [1, 4]) func aFileThatShrinksIsAReadErrorAtTheOffset(jobs: Int) throws {
        let dir = try ScratchDir()
        let original = numberedLines(5000)
        try dir.write("shrink.log", original)
        let half = original.utf8.count / 2
        let (bytes, errors, _) = try readChunks(dir.path("shrink.log"), jobs: jobs) {
            #expect(truncate(dir.path("shrink.log"), off_t(half)) == 0)
        }
        #expect(bytes == Array(original.utf8.prefix(half)))
        let error = try #require(errors.first)
        #expect(error.offset == half)
        #expect(error.path == dir.path("shrink.log"))
        #expect(error.description.contains("the file shrank while being read (\(original.utf8.count) bytes when opened, \(half) bytes now)"),
                "\(error)")
    }

    /// Through the whole pipeline: ranges read in parallel through one descriptor give the
    /// same report as one sequential read.
    @Test func splitRunMatchesOneJob() throws {
        let dir = try ScratchDir()
        try dir.write("big.log", numberedLines(20_000))
        func run(_ jobs: Int) -> LintReport {
            var linter = extractionLinter(geometry: ChunkGeometry(size: 1 << 16))
            linter.jobs = jobs
            return linter.run(InputDiscovery().discover([dir.path("big.log")])).report
        }
        let one = run(1), four = run(4)
        #expect(one.summary.events == 20_000)
        #expect(four.summary == one.summary)
    }

    @Test func standardInputAndFIFOsAreReadSequentially() throws {
        let dir = try ScratchDir()
        let fifo = dir.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let text = numberedLines(3000)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let file = try InputFile.open(InputName(fifo))
        #expect(file.kind == .fifo)
        #expect(file.size == nil)
        #expect(!file.isSplittable)
        var source = try file.source()
        #expect(drain(&source).bytes == Array(text.utf8))
    }

    @Test func procFilesOfSizeZeroAreReadToTheirEnd() throws {
        let file = try InputFile.open(InputName("/proc/self/status"))
        #expect(file.kind == .regular && file.size == nil)
        var source = try file.source()
        let (bytes, error) = drain(&source)
        #expect(error == nil)
        #expect(String(decoding: bytes, as: UTF8.self).contains("Name:"))
    }
}

/// gzip members, padding, garbage and faults (issue 14.3), against zlib's own output.
@Suite struct GzipSourceTests {
    /// `text` compressed by the system's gzip (one member).
    static func gzip(_ text: String) throws -> [UInt8] {
        let dir = try ScratchDir()
        try dir.write("m", text)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c m > m.gz"]
        p.currentDirectoryURL = dir.url
        try p.run()
        p.waitUntilExit()
        return [UInt8](try Data(contentsOf: dir.url.appendingPathComponent("m.gz")))
    }

    func read(_ bytes: [UInt8], chunk: Int = 1 << 16) throws -> (text: String, error: InputError?, notices: [InputNotice]) {
        var source: any ByteSource = try GzipSource(inner: MemorySource(bytes), path: "t.gz")
        let (out, error) = drain(&source, chunk: chunk)
        return (String(decoding: out, as: UTF8.self), error, source.notices)
    }

    @Test(arguments: [7, 1 << 16]) func membersPaddingAndGarbage(chunk: Int) throws {
        let a = numberedLines(2000, tag: "a"), b = numberedLines(3, tag: "b")
        let ga = try Self.gzip(a), gb = try Self.gzip(b)
        // Members back to back, and with zero padding between and after them.
        var r = try read(ga + gb, chunk: chunk)
        #expect(r.text == a + b && r.error == nil && r.notices.isEmpty)
        r = try read(ga + [UInt8](repeating: 0, count: 1000) + gb + [0, 0, 0], chunk: chunk)
        #expect(r.text == a + b && r.error == nil && r.notices.isEmpty)
        // Garbage after a member: a warning, everything kept.
        r = try read(ga + Array("junk".utf8), chunk: chunk)
        #expect(r.text == a && r.error == nil)
        #expect(r.notices.map(\.level) == [.warning])
        #expect(r.notices.first?.message.contains("from compressed byte \(ga.count)") == true, "\(r.notices)")
        r = try read(ga + [0, 0] + Array("junk".utf8), chunk: chunk)
        #expect(r.text == a && r.error == nil && r.notices.count == 1)
        // A member cut after its magic: truncated, the first member kept.
        r = try read(ga + [0x1F], chunk: chunk)
        #expect(r.text == a)
        #expect(r.error?.message.contains("truncated gzip data: member 2") == true, "\(String(describing: r.error))")
        #expect(r.error?.offset == a.utf8.count)
    }

    @Test func aBadChecksumComesAfterAllTheData() throws {
        let a = numberedLines(5000)
        var ga = try Self.gzip(a)
        ga[ga.count - 7] ^= 1
        let r = try read(ga)
        #expect(r.text == a)
        #expect(r.error?.offset == a.utf8.count)
        #expect(r.error?.message == "corrupt gzip data: incorrect data check (member 1, compressed byte \(ga.count - 4))")
    }

    @Test func corruptionMidStreamKeepsWhatCameBefore() throws {
        let a = numberedLines(50_000)
        var ga = try Self.gzip(a)
        for i in (ga.count / 2)..<(ga.count / 2 + 64) { ga[i] = 0xA5 }
        let r = try read(ga)
        #expect(r.error?.message.hasPrefix("corrupt gzip data:") == true, "\(String(describing: r.error))")
        #expect(r.error?.offset == r.text.utf8.count)
        #expect(r.text.utf8.count > a.utf8.count / 3)
    }
}

/// What the first bytes of an input say (issue 14.8).
@Suite struct InputSniffTests {
    @Test func encodings() {
        let ascii = Array("{\"event\": \"STOP\"}\n".utf8)
        let le: [UInt8] = ascii.flatMap { [$0, 0] as [UInt8] }, be: [UInt8] = ascii.flatMap { [0, $0] as [UInt8] }
        #expect(InputSniff(head: le).encoding == .utf16LE)
        #expect(InputSniff(head: be).encoding == .utf16BE)
        #expect(InputSniff(head: [0xFF, 0xFE] + le).encoding == .utf16LE)
        #expect(InputSniff(head: [0xFF, 0xFE] + le).byteOrderMark)
        #expect(InputSniff(head: [0xFE, 0xFF] + be).encoding == .utf16BE)
        #expect(InputSniff(head: ascii).encoding == .utf8)
        #expect(InputSniff(head: [0xFF, 0xFE, 0, 0, 1, 0, 0, 0]).encoding == .utf8)  // UTF-32LE
        #expect(InputSniff(head: [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]).encoding == .utf8)  // integers, not text
    }

    @Test func binaryData() {
        #expect(InputSniff(head: [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0]).binaryAt == 7)
        #expect(InputSniff(head: Array("SQLite format 3".utf8) + [0]).binaryAt == 15)
        #expect(InputSniff(head: [0x89] + Array("PNG\r\n".utf8) + [0x1A, 0x0A, 0]).binaryAt == 8)
        // A log cut by a crash ends in NUL blocks: text.
        #expect(InputSniff(head: Array("a log line\nanother\n".utf8) + [0, 0, 0, 0]).binaryAt == nil)
        #expect(InputSniff(head: Array("a log line\nanother\n".utf8) + [0, 0] + Array("more\n".utf8)).binaryAt == nil)
        #expect(InputSniff(head: Array("no newline before".utf8) + [0]).binaryAt == 17)
    }

    @Test func utf16IsDecoded() throws {
        let text = "line é 日本 🙂\n{\"event\": \"STOP\"}\n"
        for bigEndian in [false, true] {
            var units: [UInt8] = []
            for u in [UInt16(0xFEFF)] + Array(text.utf16) {
                units += bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)]
            }
            for chunk in [1, 3, 4096] {
                var source: any ByteSource = UTF16DecodingSource(inner: MemorySource(units), bigEndian: bigEndian)
                let (bytes, error) = drain(&source, chunk: chunk)
                #expect(error == nil)
                #expect(bytes == Array(text.utf8), "big-endian \(bigEndian), chunk \(chunk)")
            }
        }
        // An unpaired surrogate and an odd last byte: U+FFFD each.
        var source: any ByteSource = UTF16DecodingSource(inner: MemorySource([0x41, 0, 0x00, 0xD8, 0x42, 0, 0x43]), bigEndian: false)
        #expect(drain(&source).bytes == Array("A\u{FFFD}B\u{FFFD}".utf8))
    }

    @Test func qmpLintReportsAreRecognised() {
        func format(_ text: String) -> String? { InputSniff(head: Array(text.utf8)).report }
        #expect(format("{\n  \"reportVersion\": 1,\n  \"tool\": {\n    \"name\": \"qmp-lint\",") == "json")
        #expect(format("a.log:3:1: error: unknown event 'X' (not in qemu-10.2.0) [unknown-event]\n    {\"event\": \"X\"}\n") == "text")
        #expect(format("gcc.c:3:1: error: expected ';' [-Werror]\n") == nil)
        #expect(format("{\"file\":\"a.log\",\"line\":1,\"rule\":\"x\",\"eventHash\":\"00\"}\n{\"summary\":{\"files\":1}}\n") == "jsonl")
        #expect(format("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\n") == nil)
        #expect(format("::error file=a.log,line=1,col=1,title=unknown-event::unknown event\nqmp-lint: 1 event in 1 file\n") == "github")
        #expect(format("::error file=a.log,line=1,title=x::y\n2024-01-01 qemu output {\"event\": \"STOP\"}\n") == nil)
        #expect(format("file,line,column,eventLine,event,rule,severity,message,pointer\r\n") == "csv")
    }
}

/// Names that are not UTF-8, and files reached by several paths (issue 14.7).
@Suite struct InputNameTests {
    @Test func invalidBytesAreShownEscaped() {
        #expect(InputName(bytes: Array("caf".utf8) + [0xE9] + Array(".log".utf8)).path == "caf\\xE9.log")
        #expect(InputName(bytes: Array("é日本🙂".utf8)).path == "é日本🙂")
        #expect(InputName(bytes: [0xC3]).path == "\\xC3")
        #expect(InputName(bytes: [0xED, 0xA0, 0x80]).path == "\\xED\\xA0\\x80")  // a surrogate: not UTF-8
        #expect(InputName(bytes: [0xF4, 0x90, 0x80, 0x80]).path == "\\xF4\\x90\\x80\\x80")
    }

    @Test func namesThatAreNotUTF8AreOpenedAndWalked() throws {
        let dir = try ScratchDir()
        let name = Array(dir.path("caf").utf8) + [0xE9] + Array(".log".utf8)
        let fd = (name + [0]).withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(fd >= 0)
        _ = Array("{\"event\": \"STOP\"}\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let walked = InputDiscovery().discover(names: [InputName(dir.url.path)])
        #expect(walked.names.map(\.bytes) == [name])
        #expect(walked.inputs == [dir.path("caf") + "\\xE9.log"])
        var source = try InputFile.open(walked.names[0]).source()
        #expect(drain(&source).bytes == Array("{\"event\": \"STOP\"}\n".utf8))
    }

    @Test func eachFileOnceAndNeverThisRunsOutputs() throws {
        let dir = try ScratchDir()
        try dir.write("a.log", "a\n")
        try dir.write("sub/b.log", "b\n")
        try dir.write("report.json", "not a report yet\n")
        #expect(link(dir.path("a.log"), dir.path("sub/hard.log")) == 0)
        #expect(symlink("../a.log", dir.path("sub/soft.log")) == 0)
        let d = InputDiscovery(outputs: [dir.path("report.json")])
            .discover(names: [InputName(dir.path("a.log")), InputName(dir.url.path), .standardInput, .standardInput])
        #expect(d.inputs == [dir.path("a.log"), dir.path("sub/b.log"), "-"])
        #expect(d.skipped.contains { $0.path == dir.path("report.json") && $0.message.contains("this run writes") })
        #expect(d.skipped.contains { $0.path == dir.path("a.log") && $0.message.contains("3 more paths lead to this file") },
                "\(d.skipped)")
    }
}
