import Foundation

/// How a run reads its inputs: a large regular file in ranges (read by several workers through
/// its one descriptor), everything else whole. No input is opened while planning (a FIFO is not
/// touched before a worker reads it); each is opened once, when a worker first needs it, and
/// closed when its last range is read, so at most about one input per worker is open at a time.
public final class InputPlan: @unchecked Sendable {
    /// One unit of work: input `input` whole (`parts` 1), or part `part` of its `parts` ranges.
    public struct Item: Sendable, Equatable {
        public var input: Int
        public var part: Int
        public var parts: Int
    }

    /// What a worker reads for one item.
    public struct Opened {
        /// The bytes to lint, decompressed and decoded.
        public var source: any ByteSource
        /// Bytes at the start of `source` that are only context for look-back (not linted).
        public var history: Int
        /// The input's first bytes when `source` is one range of it (the schema is chosen from
        /// them); nil when `source` starts at the input's start.
        public var head: [UInt8]?
        /// Notes about the input (with its first part only).
        public var notices: [InputNotice]
    }

    public let names: [InputName]
    /// The work, in input order (the parts of an input consecutive).
    public let items: [Item]
    let headSize: Int
    private let shared: [Int: SharedInput]

    /// Plans `names`: with more than one job, a regular file larger than `splitThreshold` (by
    /// stat, nothing opened) gets one part per job, or one per 32 MiB (at most 256).
    public init(_ names: [InputName], jobs: Int, splitThreshold: Int, headSize: Int) {
        self.names = names
        self.headSize = headSize
        var items: [Item] = []
        var shared: [Int: SharedInput] = [:]
        for (i, name) in names.enumerated() {
            var st = stat()
            if jobs > 1, !name.isStandardInput, name.withCString({ stat($0, &st) }) == 0,
               st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) > splitThreshold {
                let parts = min(256, max(jobs, Int(st.st_size) / (32 << 20)))
                shared[i] = SharedInput(parts: parts)
                for k in 0..<parts { items.append(Item(input: i, part: k, parts: parts)) }
            } else {
                items.append(Item(input: i, part: 0, parts: 1))
            }
        }
        self.items = items
        self.shared = shared
    }

    /// Opens what `item` reads: the input on its first use (once), then its range. `display` is
    /// the name messages use; `history` how many bytes before a range to read as context.
    public func open(_ item: Item, display: String, history: Int) throws(InputError) -> Opened {
        let name = names[item.input]
        guard item.parts > 1, let shared = shared[item.input] else {
            let file = try InputFile.open(name, display: display)
            return Opened(source: try file.source(), history: 0, head: nil, notices: file.notices)
        }
        let state = shared.take(part: item.part) { () throws(InputError) -> SharedInput.State in
            let file = try InputFile.open(name, display: display)
            guard file.isSplittable, let size = file.size else { return .whole(file) }
            let ranges = FileSplitter.split(file: file, size: size, parts: item.parts)
            return .ranges(file, ranges, file.head(min(size, headSize)))
        }
        let empty = Opened(source: MemorySource([]), history: 0, head: nil, notices: [])
        switch state {
        case .failed(let error):
            // Reported once, by the first part; the others add nothing.
            if item.part == 0 { throw error }
            return empty
        case .whole(let file):
            // Compressed or UTF-16 after all: read whole by the first part.
            guard item.part == 0 else { return empty }
            return Opened(source: try file.source(), history: 0, head: nil, notices: file.notices)
        case .ranges(let file, let ranges, let head):
            // A file that shrank after planning may have fewer ranges than parts.
            guard item.part < ranges.count else {
                return Opened(source: MemorySource([]), history: 0, head: head, notices: [])
            }
            let r = ranges[item.part]
            let h = min(r.lowerBound, history)
            return Opened(source: file.range((r.lowerBound - h)..<r.upperBound), history: h, head: head,
                          notices: item.part == 0 ? file.notices : [])
        }
    }
}

/// A split input's state, shared by the workers reading its parts.
final class SharedInput: @unchecked Sendable {
    enum State {
        case failed(InputError)
        case whole(InputFile)
        case ranges(InputFile, [Range<Int>], [UInt8])
    }

    private let lock = NSLock()
    private let parts: Int
    private var taken = 0
    private var state: State?

    init(parts: Int) { self.parts = parts }

    /// The state for one part, opening the input for the first one to ask. The input is let go
    /// once every part has taken it (its sources keep it open until they are done).
    func take(part: Int, open: () throws(InputError) -> State) -> State {
        lock.lock()
        defer { lock.unlock() }
        let s: State
        if let state {
            s = state
        } else {
            do { s = try open() } catch { s = .failed(error) }
            state = s
        }
        taken += 1
        if taken == parts { state = nil }  // each part takes it once
        return s
    }
}
