import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an input could not be read (wholly or from some point on), with the place.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// Byte offset in the (decompressed) stream where reading failed, when known.
    public var offset: Int?
    public var message: String
    public init(path: String, offset: Int? = nil, message: String) {
        self.path = path; self.offset = offset; self.message = message
    }
    public var description: String {
        if let offset { return "\(path): at byte \(offset): \(message)" }
        return "\(path): \(message)"
    }
}

/// A stream of bytes from one input: a file, standard input, or a gzip member chain.
public protocol ByteSource {
    /// Fills up to `buffer.count` bytes; 0 means end of input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// The size in bytes when known in advance (regular, uncompressed files).
    var knownSize: Int? { get }
}

func errnoMessage(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }

/// Reads a file descriptor with read(2). Closes it when done.
public final class FileDescriptorSource: ByteSource {
    let fd: Int32
    let path: String
    let ownsFD: Bool
    public let knownSize: Int?
    var position = 0
    /// Bytes read ahead (for magic-number sniffing) and not yet handed out.
    var pending: [UInt8] = []

    init(fd: Int32, path: String, ownsFD: Bool, knownSize: Int?) {
        self.fd = fd; self.path = path; self.ownsFD = ownsFD; self.knownSize = knownSize
    }

    deinit { if ownsFD { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if !pending.isEmpty {
            let n = min(pending.count, buffer.count)
            pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            position += n
            return n
        }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { position += n; return n }
            if errno == EINTR { continue }
            throw InputError(path: path, offset: position, message: "read failed: \(errnoMessage())")
        }
    }

    /// Reads the first bytes and keeps them for later `read` calls.
    func peek(_ count: Int) throws(InputError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, offset: got, message: "read failed: \(errnoMessage())")
            }
            got += n
        }
        out.removeLast(count - got)
        pending = out
        return out
    }
}

/// Decompresses gzip data (several concatenated members allowed) from another source.
public final class GzipSource: ByteSource {
    var inner: any ByteSource
    let path: String
    var stream = z_stream()
    var inBuffer: UnsafeMutableRawBufferPointer
    var inputEnded = false
    var finished = false
    var compressedOffset = 0
    var outputOffset = 0
    public var knownSize: Int? { nil }

    init(inner: any ByteSource, path: String) throws(InputError) {
        self.inner = inner
        self.path = path
        inBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        let rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            inBuffer.deallocate()
            throw InputError(path: path, message: "cannot start gzip decompression (zlib error \(rc))")
        }
    }

    deinit {
        inflateEnd(&stream)
        inBuffer.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if finished { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnded {
                let n = try inner.read(into: inBuffer)
                if n == 0 { inputEnded = true } else {
                    stream.next_in = inBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = UInt32(n)
                }
            }
            if stream.avail_in == 0 && inputEnded {
                let produced = buffer.count - Int(stream.avail_out)
                if produced > 0 { outputOffset += produced; return produced }
                finished = true
                if stream.total_in == 0 && stream.total_out == 0 && compressedOffset == 0 { return 0 }
                if stream.total_in > 0 || stream.total_out > 0 {
                    throw InputError(path: path, offset: outputOffset,
                                     message: "truncated gzip data (the compressed stream ends early)")
                }
                return 0
            }
            let before = stream.avail_in
            let rc = inflate(&stream, Z_NO_FLUSH)
            compressedOffset += Int(before - stream.avail_in)
            if rc == Z_STREAM_END {
                // Another member may follow (concatenated gzip files); skip trailing zeros.
                inflateReset(&stream)
                if stream.avail_in == 0 {
                    let n = try inner.read(into: inBuffer)
                    if n == 0 {
                        inputEnded = true
                        let produced = buffer.count - Int(stream.avail_out)
                        finished = produced == 0
                        stream.total_in = 0; stream.total_out = 0
                        outputOffset += produced
                        return produced
                    }
                    stream.next_in = inBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = UInt32(n)
                }
                if stream.next_in.pointee == 0 {
                    // Zero padding after the last member is tolerated.
                    inputEnded = true; stream.avail_in = 0
                    stream.total_in = 0; stream.total_out = 0
                }
                continue
            }
            if rc == Z_BUF_ERROR && stream.avail_in == 0 { continue }
            if rc != Z_OK {
                let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                finished = true
                throw InputError(path: path, offset: outputOffset + (buffer.count - Int(stream.avail_out)),
                                 message: "corrupt gzip data: \(msg) (compressed byte \(compressedOffset))")
            }
        }
        let produced = buffer.count
        outputOffset += produced
        return produced
    }
}

/// Opens inputs as byte sources; gzip is recognised by its magic bytes, not its name.
public enum InputOpener {
    /// Opens `path` ("-" is standard input, named `stdinName` in messages, else `<stdin>`).
    public static func open(_ path: String, stdinName: String? = nil) throws(InputError) -> any ByteSource {
        let fd: Int32
        var size: Int?
        let display = path == "-" ? stdinName ?? "<stdin>" : path
        if path == "-" {
            fd = 0
        } else {
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            if fd < 0 { throw InputError(path: path, message: "cannot open: \(errnoMessage())") }
            var st = stat()
            if fstat(fd, &st) != 0 {
                let m = errnoMessage(); close(fd)
                throw InputError(path: path, message: "cannot stat: \(m)")
            }
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR { close(fd); throw InputError(path: path, message: "is a directory") }
            if type == S_IFREG { size = Int(st.st_size) }
            // Back to blocking reads (O_NONBLOCK only kept open() of a FIFO from waiting).
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        }
        let src = FileDescriptorSource(fd: fd, path: display, ownsFD: path != "-", knownSize: size)
        let magic = try src.peek(2)
        if magic == [0x1F, 0x8B] {
            return try GzipSource(inner: src, path: display)
        }
        return src
    }
}

/// A source over bytes in memory (tests, stdin replays).
public final class MemorySource: ByteSource {
    let bytes: [UInt8]
    var position = 0
    public var knownSize: Int? { bytes.count }
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public convenience init(_ text: String) { self.init(Array(text.utf8)) }
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, bytes.count - position)
        if n > 0 {
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
            position += n
        }
        return n
    }
}

/// A byte range of a regular file, read with pread(2): one worker's share of a large file.
public final class FileRangeSource: ByteSource {
    let fd: Int32
    let path: String
    var position: Int
    let end: Int
    public var knownSize: Int? { end - position }

    public init(path: String, range: Range<Int>) throws(InputError) {
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw InputError(path: path, message: "cannot open: \(errnoMessage())") }
        self.path = path
        position = range.lowerBound
        end = range.upperBound
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let want = min(buffer.count, end - position)
        if want <= 0 { return 0 }
        while true {
            let n = pread(fd, buffer.baseAddress, want, off_t(position))
            if n >= 0 { position += n; return n }
            if errno == EINTR { continue }
            throw InputError(path: path, offset: position, message: "read failed: \(errnoMessage())")
        }
    }
}

/// Splits a large regular file into ranges that can be linted independently: every split is at
/// the start of a line that cannot continue a multi-line object (it does not start with white
/// space, `}` or `]`), so no event, record or object spans two ranges.
public enum FileSplitter {
    public static func split(path: String, size: Int, parts: Int) -> [Range<Int>] {
        guard parts > 1, size > 0 else { return [0..<size] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [0..<size] }
        defer { close(fd) }
        var cuts = [0]
        let probe = 1 << 16
        var buf = [UInt8](repeating: 0, count: probe)
        for k in 1..<parts {
            var at = max(size / parts * k, cuts.last! + 1)
            var found: Int?
            // Look for a safe line start, up to 64 probes of 64 KiB past the target.
            for _ in 0..<64 where at < size {
                let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, probe, off_t(at)) }
                if n <= 0 { break }
                var i = 0
                while i < n - 1 {
                    if buf[i] == 0x0A {
                        let c = buf[i + 1]
                        if c != 0x20 && c != 0x09 && c != 0x7D && c != 0x5D && c != 0x0A { found = at + i + 1; break }
                    }
                    i += 1
                }
                if found != nil { break }
                at += max(1, n - 1)
            }
            guard let cut = found, cut < size, cut > cuts.last! else { continue }
            cuts.append(cut)
        }
        cuts.append(size)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }
}
