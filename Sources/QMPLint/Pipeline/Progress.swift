import Foundation

/// Counts work done across workers, for a progress bar the front end draws. Updated once per
/// chunk of a file read, once per read of a stream.
public final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0
    private var files = 0
    public let totalBytes: Int?
    public let totalFiles: Int

    public init(totalBytes: Int?, totalFiles: Int) { self.totalBytes = totalBytes; self.totalFiles = totalFiles }

    public func add(bytes n: Int) { lock.lock(); bytes += n; lock.unlock() }
    public func fileDone() { lock.lock(); files += 1; lock.unlock() }
    public var snapshot: (bytes: Int, files: Int) { lock.lock(); defer { lock.unlock() }; return (bytes, files) }
}
