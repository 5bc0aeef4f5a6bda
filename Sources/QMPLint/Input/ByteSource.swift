import CZlib
#if canImport(Glibc)
import Glibc
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
    /// `path: at byte N: message`, the path escaped for a terminal (control characters shown).
    public var description: String {
        let path = DisplayText.escaped(path)
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
    /// What reading found worth telling that is not a read error (e.g. trailing garbage after
    /// the last gzip member), once the source is read.
    var notices: [InputNotice] { get }
}

func errnoMessage(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }

/// Something worth telling about an input that was read in full: not a read error.
public struct InputNotice: Sendable, Equatable, CustomStringConvertible {
    public enum Level: String, Sendable { case note, warning }
    public var level: Level
    public var path: String
    /// Byte offset the notice is about, when there is one (see `message` for which stream).
    public var offset: Int?
    public var message: String
    public init(_ level: Level, path: String, offset: Int? = nil, message: String) {
        self.level = level; self.path = path; self.offset = offset; self.message = message
    }
    /// `path: warning: at byte N: message`, the path escaped for a terminal.
    public var description: String {
        "\(DisplayText.escaped(path)): \(level.rawValue): " + (offset.map { "at byte \($0): " } ?? "") + message
    }
}

extension ByteSource {
    public var notices: [InputNotice] { [] }
}

/// Reads an input sequentially with read(2) (pipes, terminals, devices, standard input),
/// handing out the bytes read ahead to sniff it first. The descriptor belongs to `file`.
final class FileDescriptorSource: ByteSource {
    let file: InputFile
    var position = 0
    var pending: [UInt8]
    var pendingStart = 0
    /// An error met while reading ahead: thrown once the bytes before it are handed out.
    var deferred: InputError?
    /// The input was quiet when the read ahead ended (`PollableSource`: it is quiet again once
    /// the bytes read ahead are handed out, without waiting for it anew).
    var quietAfterReadAhead: Bool
    var knownSize: Int? { nil }

    init(file: InputFile, readAhead: [UInt8], error: InputError?, quiet: Bool = false) {
        self.file = file; pending = readAhead; deferred = error; quietAfterReadAhead = quiet
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if pendingStart < pending.count {
            let n = min(pending.count - pendingStart, buffer.count)
            pending.withUnsafeBytes {
                buffer.baseAddress!.copyMemory(from: $0.baseAddress! + pendingStart, byteCount: n)
            }
            pendingStart += n
            position += n
            if pendingStart == pending.count { pending = [] ; pendingStart = 0 }
            return n
        }
        if let e = deferred { deferred = nil; throw e }
        let n = try file.read(into: buffer, at: position)
        position += n
        return n
    }
}

/// Decompresses gzip data (concatenated members, zero padding between or after them) from
/// another source. Everything decompressed before a fault is handed out before the fault is
/// thrown; a fault names the decompressed offset and the compressed byte where it lies. Bytes
/// after the last member that are neither padding nor another member are ignored with a
/// warning (`notices`), as `gzip -d` does.
public final class GzipSource: ByteSource {
    var inner: any ByteSource
    let path: String
    var stream = z_stream()
    let inBuffer: UnsafeMutableRawBufferPointer
    /// Compressed bytes consumed before `stream.next_in`.
    var compressedOffset = 0
    /// Decompressed bytes handed out.
    var outputOffset = 0
    var inMember = true
    var inputEnded = false
    var done = false
    var deferred: InputError?
    /// Members decompressed completely.
    public private(set) var members = 0
    public private(set) var notices: [InputNotice] = []
    public var knownSize: Int? { nil }

    init(inner: any ByteSource, path: String) throws(InputError) {
        self.inner = inner
        self.path = path
        inBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        // 15 + 16: gzip members only (no zlib or raw deflate after the first member).
        let rc = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            inBuffer.deallocate()
            throw InputError(path: path, message: "cannot start gzip decompression (zlib error \(rc))")
        }
        stream.next_in = inBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = 0
    }

    deinit {
        inflateEnd(&stream)
        inBuffer.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let produced = done ? 0 : fill(buffer)
        outputOffset += produced
        if produced > 0 { return produced }
        if let e = deferred { deferred = nil; throw e }
        return 0
    }

    /// Reads more compressed bytes after the unconsumed ones; false at the end of the input
    /// (or on an error, then kept in `deferred`).
    private func more() -> Bool {
        if inputEnded { return false }
        let keep = Int(stream.avail_in)
        if keep > 0 && UnsafeMutableRawPointer(stream.next_in) != inBuffer.baseAddress {
            memmove(inBuffer.baseAddress!, stream.next_in, keep)
        }
        stream.next_in = inBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        do {
            let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: inBuffer[keep...]))
            if n == 0 { inputEnded = true; return false }
            stream.avail_in = UInt32(keep + n)
            return true
        } catch {
            deferred = error
            inputEnded = true
            return false
        }
    }

    private func fault(_ message: String, produced: Int) -> InputError {
        InputError(path: path, offset: outputOffset + produced, message: message)
    }

    /// Decompresses into `buffer`; faults are kept in `deferred` and end the stream.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        func produced() -> Int { buffer.count - Int(stream.avail_out) }
        while stream.avail_out > 0 && !done {
            if !inMember {
                // Between members: zero padding, another member, or trailing garbage.
                if stream.avail_in == 0 && !more() { done = true; break }
                var p = stream.next_in!
                while stream.avail_in > 0 && p.pointee == 0 {
                    p += 1; stream.avail_in -= 1; compressedOffset += 1
                }
                stream.next_in = p
                if stream.avail_in == 0 { continue }
                if p.pointee == 0x1F && stream.avail_in < 2 && more() { p = stream.next_in }
                if stream.avail_in >= 2 && p[0] == 0x1F && p[1] == 0x8B || stream.avail_in == 1 && p[0] == 0x1F {
                    inMember = true  // a 1F at the very end: a member cut short, reported as such
                    continue
                }
                notices.append(InputNotice(
                    .warning, path: path,
                    message: "trailing garbage ignored from compressed byte \(compressedOffset) "
                        + "(after gzip member \(members), \(outputOffset + produced()) bytes decompressed), as gzip -d does"))
                done = true
                break
            }
            if stream.avail_in == 0 && !more() {
                if deferred == nil {
                    deferred = fault(
                        "truncated gzip data: member \(members + 1) ends early (at compressed byte \(compressedOffset))",
                        produced: produced())
                }
                done = true
                break
            }
            let before = stream.avail_in
            let rc = inflate(&stream, Z_NO_FLUSH)
            compressedOffset += Int(before - stream.avail_in)
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                members += 1
                inMember = false
                inflateReset(&stream)
            default:
                let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                deferred = fault(
                    "corrupt gzip data: \(msg) (member \(members + 1), compressed byte \(compressedOffset))",
                    produced: produced())
                done = true
            }
        }
        return produced()
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

/// A byte range of a regular file, read with pread(2) through the file's one descriptor: the
/// whole file, or one chunk of it (`ChunkGeometry`). Reading stops at the range's end (the
/// size seen when the file was opened); a file that has become shorter is a read error.
public final class FileRangeSource: ByteSource {
    let file: InputFile
    var position: Int
    let end: Int
    public var knownSize: Int? { end - position }

    public init(file: InputFile, range: Range<Int>) {
        self.file = file
        position = range.lowerBound
        end = range.upperBound
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let want = min(buffer.count, end - position)
        if want <= 0 { return 0 }
        let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<want]), at: position)
        if n == 0 {
            let now = file.currentSize.map { ", \($0) bytes now" } ?? ""
            throw InputError(path: file.display, offset: position,
                             message: "the file shrank while being read (\(file.size ?? end) bytes when opened\(now))")
        }
        position += n
        return n
    }
}
