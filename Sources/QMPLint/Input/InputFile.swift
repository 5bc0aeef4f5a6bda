#if canImport(Glibc)
import Glibc
#endif

/// One input, opened once: every byte a run reads of it comes through this one descriptor, so a
/// log rotated, replaced or deleted during the run is still read whole, as it was when opened.
///
/// A regular file is read with pread(2) up to the size it had when opened (the same whatever
/// `--jobs` is; a file that grows is not followed), in chunks by several workers when it is large
/// (`range`), and a file that shrinks meanwhile is a read error. Pipes, FIFOs, terminals, devices
/// and standard input are read once, sequentially, blocking like `cat` (a FIFO's writer that
/// connects late is waited for). gzip (by its magic bytes) and UTF-16 text (by its byte-order
/// mark or NUL bytes between ASCII characters) are decoded as they are read (`source`).
public final class InputFile: @unchecked Sendable {
    public enum Kind: String, Sendable {
        case regular, fifo, characterDevice = "character device", standardInput = "standard input", other
    }

    public let name: InputName
    /// The name messages use (`<stdin>` or `--stdin-filename` for standard input).
    public let display: String
    public let kind: Kind
    /// Size in bytes when opened: regular files are read up to here. nil for everything read
    /// sequentially to its end (including regular files of size 0, as /proc files claim to be).
    public let size: Int?
    public let device: UInt64
    public let inode: UInt64
    /// gzip data (by its first two bytes).
    public let isGzip: Bool
    /// What the first bytes (decompressed) say.
    public let sniff: InputSniff

    let fd: Int32
    let ownsDescriptor: Bool
    /// For sequential inputs: the bytes read to sniff them, handed out first by `source()`.
    private var readAhead: [UInt8]
    private var readAheadError: InputError?
    /// The read ahead ended because the input was quiet (a live run): what it holds is all there is.
    private var readAheadQuiet = false
    private var sequentialTaken = false

    /// Opens `name` (standard input for `-`) and reads its first bytes to tell what it is.
    public static func open(_ name: InputName, display: String? = nil) throws(InputError) -> InputFile {
        try open(name, display: display, blocking: true)
    }

    /// Opens `name` for a run that waits as `waiting` says: the first bytes of a sequential
    /// input are read until a stop request or, in a live run, until it is quiet.
    static func open(_ name: InputName, display: String?, waiting: Waiting?) throws(InputError) -> InputFile {
        try open(name, display: display, blocking: true, waiting: waiting)
    }

    /// What the first bytes of a regular file say, without waiting on anything else (a FIFO
    /// is not opened for good): nil when `name` is not a regular file or cannot be read.
    static func sniffRegularFile(_ name: InputName) -> InputSniff? {
        guard let file = try? open(name, display: nil, blocking: false), file.kind == .regular else { return nil }
        return file.sniff
    }

    private static func open(
        _ name: InputName, display: String?, blocking: Bool, waiting: Waiting? = nil
    ) throws(InputError) -> InputFile {
        let display = display ?? (name.isStandardInput ? "<stdin>" : name.path)
        var fd: Int32 = 0
        if !name.isStandardInput {
            // Blocking: opening a FIFO waits for its writer, as `cat` does.
            let flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | (blocking ? 0 : O_NONBLOCK)
            repeat {
                fd = name.withCString { Glibc.open($0, flags) }
            } while fd < 0 && errno == EINTR
            if fd < 0 { throw InputError(path: display, message: "cannot open: \(errnoMessage())") }
        }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let m = errnoMessage()
            if !name.isStandardInput { close(fd) }
            throw InputError(path: display, message: "cannot stat: \(m)")
        }
        let kind: Kind
        switch st.st_mode & S_IFMT {
        case _ where name.isStandardInput: kind = .standardInput
        case S_IFREG: kind = .regular
        case S_IFIFO: kind = .fifo
        case S_IFCHR: kind = .characterDevice
        case S_IFDIR:
            close(fd)
            throw InputError(path: display, message: "is a directory")
        default: kind = .other
        }
        if !blocking && kind != .regular {
            close(fd)
            throw InputError(path: display, message: "not a regular file")
        }
        let size = kind == .regular && st.st_size > 0 ? Int(st.st_size) : nil
        return InputFile(name: name, display: display, fd: fd, kind: kind, size: size, stat: st, waiting: waiting)
    }

    private init(name: InputName, display: String, fd: Int32, kind: Kind, size: Int?, stat st: stat, waiting: Waiting?) {
        self.name = name
        self.display = display
        self.fd = fd
        self.kind = kind
        self.size = size
        ownsDescriptor = !name.isStandardInput
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        readAhead = []
        // The first bytes: by pread for a regular file (nothing consumed), else read ahead.
        var raw = [UInt8](repeating: 0, count: min(InputSniff.headSize, size ?? InputSniff.headSize))
        var got = 0
        if let size {
            got = raw.withUnsafeMutableBytes { b in
                let want = UnsafeMutableRawBufferPointer(rebasing: b[..<min(size, b.count)])
                return (try? Self.pread(fd, display, want, at: 0)) ?? 0
            }
        } else {
            reading: while got < raw.count {
                // A run that may be stopped, or shows findings live, does not wait for a full head.
                if let waiting {
                    let outcome = waiting.poll(fd, allowQuiet: got > 0)
                    readAheadQuiet = outcome == .quiet
                    if outcome != .data { break reading }
                }
                let r = raw.withUnsafeMutableBytes { b in
                    Result { () throws(InputError) in
                        try Self.readOnce(fd, display, .init(rebasing: b[got...]), position: got)
                    }
                }
                switch r {
                case .success(0): break reading
                case .success(let n): got += n
                case .failure(let e): readAheadError = e; break reading
                }
            }
            readAhead = Array(raw[..<got])
        }
        raw.removeLast(raw.count - got)
        isGzip = got >= 2 && raw[0] == 0x1F && raw[1] == 0x8B
        if isGzip, let gz = try? GzipSource(inner: MemorySource(raw), path: display) {
            // Sniff the decompressed head (as much of it as the raw head holds).
            var out = [UInt8](repeating: 0, count: InputSniff.headSize)
            var n = 0
            while n < out.count {
                let k = out.withUnsafeMutableBytes { b in
                    (try? gz.read(into: UnsafeMutableRawBufferPointer(rebasing: b[n...]))) ?? 0
                }
                if k == 0 { break }
                n += k
            }
            sniff = InputSniff(head: Array(out[..<n]))
        } else {
            sniff = InputSniff(head: raw)
        }
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Notes about what the input is, for the user: a decoded encoding, binary data, a report.
    public var notices: [InputNotice] {
        var out: [InputNotice] = []
        if sniff.encoding != .utf8 {
            let why = sniff.byteOrderMark ? "byte-order mark" : "NUL bytes between ASCII characters"
            out.append(InputNotice(
                .note, path: display,
                message: "read as \(sniff.encoding.rawValue) text (by its \(why)); byte counts and columns refer to its UTF-8 form"))
        }
        if let at = sniff.binaryAt {
            out.append(InputNotice(
                .note, path: display, message: "binary data (a NUL byte at byte \(at)); checked anyway as it was named"))
        }
        if let format = sniff.report {
            out.append(InputNotice(
                .note, path: display, message: "looks like a qmp-lint \(format) report; checked anyway as it was named"))
        }
        return out
    }

    /// Whether the input can be read in independent ranges: regular, with a size, plain UTF-8.
    public var isSplittable: Bool { size != nil && !isGzip && sniff.encoding == .utf8 }

    /// Bytes `range` of a regular file (`size` must be set), read by pread.
    public func range(_ range: Range<Int>) -> any ByteSource { FileRangeSource(file: self, range: range) }

    /// The whole input, decompressed and decoded. A sequential input (`size` nil) can be read
    /// this way only once.
    public func source() throws(InputError) -> any ByteSource {
        var base: any ByteSource
        if let size {
            base = FileRangeSource(file: self, range: 0..<size)
        } else {
            precondition(!sequentialTaken, "a sequential input is read once")
            sequentialTaken = true
            base = FileDescriptorSource(file: self, readAhead: readAhead, error: readAheadError, quiet: readAheadQuiet)
            readAhead = []
            readAheadError = nil
        }
        if isGzip { base = try GzipSource(inner: base, path: display) }
        switch sniff.encoding {
        case .utf8: return base
        case .utf16LE: return UTF16DecodingSource(inner: base, bigEndian: false)
        case .utf16BE: return UTF16DecodingSource(inner: base, bigEndian: true)
        }
    }

    /// The first `count` bytes of a regular file as stored (undecoded), by pread.
    public func head(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(0, min(count, size ?? 0)))
        let n = out.withUnsafeMutableBytes { b in (try? read(into: b, at: 0)) ?? 0 }
        out.removeLast(out.count - n)
        return out
    }

    /// The file's size now (to say how it shrank).
    var currentSize: Int? {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Reads at `offset` (pread for a regular file, read(2) otherwise); 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(InputError) -> Int {
        if size != nil { return try Self.pread(fd, display, buffer, at: offset) }
        return try Self.readOnce(fd, display, buffer, position: offset)
    }

    private static func pread(
        _ fd: Int32, _ path: String, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int
    ) throws(InputError) -> Int {
        if buffer.count == 0 { return 0 }
        while true {
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(path: path, offset: offset, message: "read failed: \(errnoMessage())")
        }
    }

    private static func readOnce(
        _ fd: Int32, _ path: String, _ buffer: UnsafeMutableRawBufferPointer, position: Int
    ) throws(InputError) -> Int {
        if buffer.count == 0 { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(path: path, offset: position, message: "read failed: \(errnoMessage())")
        }
    }
}

/// Opens inputs as byte sources; gzip is recognised by its magic bytes, not its name.
public enum InputOpener {
    /// Opens `path` ("-" is standard input, named `stdinName` in messages, else `<stdin>`) and
    /// returns its whole content, decompressed and decoded.
    public static func open(_ path: String, stdinName: String? = nil) throws(InputError) -> any ByteSource {
        let name = path == "-" ? InputName.standardInput : InputName(path)
        return try InputFile.open(name, display: path == "-" ? stdinName ?? "<stdin>" : path).source()
    }
}
