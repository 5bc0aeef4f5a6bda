#if canImport(Glibc)
import Glibc
#endif

/// A report (or baseline) that could not be written, naming where it was going.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A path, or `standard output`.
    public var output: String
    public var reason: String
    public init(output: String, reason: String) {
        self.output = output
        self.reason = reason
    }
    public var description: String { "cannot write \(output): \(reason)" }
}

/// Writes bytes to an open file descriptor, every byte (retrying short and interrupted writes),
/// remembering the first error: once a write failed, the rest is dropped. Reporters hand their
/// pieces to `write`; the caller asks `finish` whether everything arrived.
public struct DescriptorWriter {
    public let descriptor: Int32
    /// How messages name the destination.
    public let name: String
    public private(set) var failure: OutputError?

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let base = bytes.baseAddress else { return }
        var off = 0
        while off < bytes.count {
            let n = systemWrite(descriptor, base + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                failure = OutputError(output: name, reason: String(cString: strerror(errno)))
                return
            }
            off += n
        }
    }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Throws the first error met.
    public func finish() throws(OutputError) {
        if let failure { throw failure }
    }
}

/// Writes a report to a file as it is rendered (created or truncated, mode 0644).
public enum ReportFile {
    public static func write(
        _ report: LintReport, _ format: ReportFormat, options: ReportOptions, to path: String
    ) throws(OutputError) {
        try write(to: path) { w in format.reporter.write(report, options: options) { w.write($0) } }
    }

    /// Opens `path` for writing, lets `body` write to it, closes it; the first failure thrown.
    public static func write(to path: String, _ body: (inout DescriptorWriter) -> Void) throws(OutputError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(output: path, reason: String(cString: strerror(errno))) }
        var w = DescriptorWriter(descriptor: fd, name: path)
        body(&w)
        let closed = close(fd) == 0 ? nil : OutputError(output: path, reason: String(cString: strerror(errno)))
        try w.finish()
        if let closed { throw closed }
    }
}

/// write(2), named by its module: inside `DescriptorWriter`, `write` means its own methods.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    Glibc.write(fd, buffer, count)
}
