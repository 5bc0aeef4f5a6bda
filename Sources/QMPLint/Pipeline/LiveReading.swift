import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A request to end a run early (the front end sets it on SIGINT or SIGTERM): every input still
/// being read ends where it is, as if its data ended there, and the run reports what was read.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    /// Asks the run to stop; safe from any thread.
    public func request() { flag.store(true, ordering: .relaxed) }
    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}

/// How a run waits for inputs that may stay open (pipes, FIFOs, terminals, followed files):
/// in short polls, so that a stop request is seen within one `tick`, and - in a live run - so
/// that what has arrived is processed once the input has been quiet for `quiet`.
struct Waiting {
    enum Outcome { case data, quiet, stop }
    var stop: StopFlag?
    /// Live runs: how long an input may be quiet before the complete lines that arrived are
    /// read (milliseconds); nil: wait until the buffer is full or the input ends, as a batch run.
    var quiet: Int?
    /// The longest a poll sleeps before looking at the stop request again (milliseconds).
    static let tick: Int32 = 50

    var stopped: Bool { stop?.isRequested ?? false }

    /// Waits until `fd` can be read (data or its end): `.quiet` when `allowQuiet` and `quiet`
    /// milliseconds passed without any, `.stop` on a stop request.
    func poll(_ fd: Int32, allowQuiet: Bool) -> Outcome {
        var waited = 0
        while true {
            if stopped { return .stop }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let n = Glibc.poll(&p, 1, Self.tick)
            if n > 0 { return .data }
            if n < 0 && errno != EINTR { return .data }  // let read(2) report the error
            waited += Int(Self.tick)
            if allowQuiet, let quiet, waited >= quiet { return .quiet }
        }
    }

    /// Sleeps one tick (for what cannot be polled: a growing regular file).
    static func nap() { usleep(UInt32(tick) * 1000) }
}

/// A source that can say whether reading it now would block (`Waiting`).
protocol PollableSource: ByteSource {
    /// Waits for data, the input's end, a quiet spell (`allowQuiet`) or a stop request.
    func wait(_ waiting: Waiting, allowQuiet: Bool) -> Waiting.Outcome
}

extension FileDescriptorSource: PollableSource {
    func wait(_ waiting: Waiting, allowQuiet: Bool) -> Waiting.Outcome {
        // Bytes read ahead (to sniff the input) were read: they are handed out even after a stop.
        if pendingStart < pending.count || deferred != nil { return .data }
        if quietAfterReadAhead {
            quietAfterReadAhead = false
            if allowQuiet { return .quiet }
        }
        return waiting.poll(file.fd, allowQuiet: allowQuiet)
    }
}

/// A regular file read like `tail -F` (`--follow`): from its start, then what is appended, until
/// a stop request. A file that shrinks is read again from its start, and so is one rewritten
/// since it was read to its end (modified, but no longer than was read, or with other bytes
/// where the last read ended); when its path names another file (rotation), the rest of the old
/// one is read, then the new one from its start. Line numbers go on counting across both.
/// A file truncated and rewritten to the same length within one tick of the kernel's clock
/// (a few milliseconds) cannot be told from one left alone.
final class FollowSource: PollableSource {
    let file: InputFile
    let path: String
    private var fd: Int32
    private var ownsDescriptor = false
    private var position = 0
    /// The modification time when the file was last seen read to its end (`position`).
    private var readTime = timespec()
    /// The last bytes read (up to 64), to tell an append from a rewrite.
    private var tail: [UInt8] = []
    private(set) var notices: [InputNotice] = []
    private var waiting: Waiting
    var knownSize: Int? { nil }

    init(file: InputFile, waiting: Waiting) {
        self.file = file
        path = file.name.path
        fd = file.fd
        self.waiting = waiting
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_size == 0 { readTime = st.st_mtim }
    }

    /// Whether the file was rewritten since it was read to `position` (`st`: as it is now).
    private func rewritten(_ st: stat) -> Bool {
        let size = Int(st.st_size)
        if size < position { return true }
        guard st.st_mtim.tv_sec != readTime.tv_sec || st.st_mtim.tv_nsec != readTime.tv_nsec else { return false }
        if size == position { return readTime.tv_sec != 0 || readTime.tv_nsec != 0 }
        // Longer: still the bytes read last where they were?
        guard !tail.isEmpty else { return false }
        var now = [UInt8](repeating: 0, count: tail.count)
        let n = now.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress, $0.count, off_t(position - tail.count)) }
        return n == tail.count && now != tail
    }

    deinit { if ownsDescriptor { close(fd) } }

    func wait(_ waiting: Waiting, allowQuiet: Bool) -> Waiting.Outcome {
        var waited = 0
        while true {
            if waiting.stopped { return .stop }
            var st = stat()
            if fstat(fd, &st) == 0 {
                let size = Int(st.st_size)
                if rewritten(st) {
                    notices.append(InputNotice(.note, path: file.display,
                                               message: "truncated or rewritten while followed (\(position) bytes read, \(size) now): read again from its start"))
                    position = 0
                    tail = []
                    readTime = timespec()
                }
                if size > position { return .data }
                // Everything of this file is read: has the path moved on to another file?
                var now = stat()
                if path.withCString({ stat($0, &now) }) == 0, now.st_mode & S_IFMT == S_IFREG,
                   now.st_ino != st.st_ino || now.st_dev != st.st_dev {
                    let next = path.withCString { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_NOCTTY) }
                    if next >= 0 {
                        if ownsDescriptor { close(fd) }
                        fd = next
                        ownsDescriptor = true
                        position = 0
                        tail = []
                        readTime = timespec()
                        notices.append(InputNotice(.note, path: file.display,
                                                   message: "replaced while followed (rotated): the new file read from its start"))
                        continue
                    }
                }
            }
            Waiting.nap()
            waited += Int(Waiting.tick)
            if allowQuiet, let quiet = waiting.quiet, waited >= quiet { return .quiet }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if buffer.count == 0 { return 0 }
        while true {
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(position))
            if n > 0 {
                position += n
                let keep = min(n, 64)
                tail = Array(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[(n - keep)..<n]))
                var st = stat()
                if fstat(fd, &st) == 0 && Int(st.st_size) == position { readTime = st.st_mtim }
                return n
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(path: file.display, offset: position, message: "read failed: \(errnoMessage())")
            }
            // Nothing now: wait for more (0 ends the input only on a stop request).
            if wait(waiting, allowQuiet: false) == .stop { return 0 }
        }
    }
}
