import Foundation
import QMPLint

/// Draws a one-line progress bar on standard error while a long run works: bytes and files
/// done, throughput, ETA. Only when standard error is a terminal, not in CI, and only once the
/// run has taken more than a second.
final class ProgressBar: @unchecked Sendable {
    let counter: ProgressCounter
    private let lock = NSLock()
    private var stopped = false
    private var drew = false
    private let start = Date()
    private var thread: Thread?

    static var wanted: Bool {
        let env = ProcessInfo.processInfo.environment
        return Terminal.isTerminal(2) && env["CI"] == nil && env["TERM"] != "dumb"
    }

    init(counter: ProgressCounter) { self.counter = counter }

    func begin() {
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
        if !stopped { Terminal.errorBytes(line); drew = true }
        lock.unlock()
    }

    /// Stops drawing and clears the line.
    func end() {
        lock.lock()
        stopped = true
        if drew { Terminal.errorBytes("\r\u{1B}[2K") }
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
