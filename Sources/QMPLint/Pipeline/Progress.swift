import Foundation

/// Counts work done across workers, for the progress bar. Cheap to update from the hot loop
/// (once per buffer refill).
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

/// Draws a one-line progress bar on standard error while a long run works: bytes and files
/// done, throughput, ETA. Only when standard error is a terminal, not in CI, and only once the
/// run has taken more than a second.
public final class ProgressBar: @unchecked Sendable {
    let counter: ProgressCounter
    private let lock = NSLock()
    private var stopped = false
    private var drew = false
    private let start = Date()
    private var thread: Thread?

    public static var wanted: Bool {
        let env = ProcessInfo.processInfo.environment
        return isatty(2) != 0 && env["CI"] == nil && env["TERM"] != "dumb"
    }

    public init(counter: ProgressCounter) { self.counter = counter }

    public func begin() {
        let t = Thread { [weak self] in
            Thread.sleep(forTimeInterval: 1.0)
            while let self, !self.isStopped {
                self.draw()
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        thread = t
        t.start()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    func draw() {
        let (bytes, files) = counter.snapshot
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(bytes) / elapsed
        var line = "\r\u{1B}[2K"
        if let total = counter.totalBytes, total > 0 {
            let frac = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(frac * Double(width))
            let eta = rate > 0 ? Double(total - bytes) / rate : 0
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += String(format: "%3.0f%% %@/%@ %d/%d files %@/s ETA %.0fs", frac * 100, Self.size(bytes), Self.size(total),
                           files, counter.totalFiles, Self.size(Int(rate)), eta)
        } else {
            line += String(format: "%@ %d/%d files %@/s", Self.size(bytes), files, counter.totalFiles, Self.size(Int(rate)))
        }
        lock.lock()
        if !stopped { Console.writeAll(2, line); drew = true }
        lock.unlock()
    }

    /// Stops drawing and clears the line.
    public func end() {
        lock.lock()
        stopped = true
        if drew { Console.writeAll(2, "\r\u{1B}[2K") }
        lock.unlock()
    }

    static func size(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1e9 { return String(format: "%.1f GB", d / 1e9) }
        if d >= 1e6 { return String(format: "%.1f MB", d / 1e6) }
        if d >= 1e3 { return String(format: "%.1f kB", d / 1e3) }
        return "\(n) B"
    }
}
