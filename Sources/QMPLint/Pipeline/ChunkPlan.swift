#if canImport(Glibc)
import Glibc
#endif

/// Where an input is cut into chunks that are read independently (in parallel) and then reduced
/// in order. The cuts depend on the bytes only - never on `--jobs`, the machine, or how the input
/// is read (a file by ranges, a pipe or a `.gz` as it streams): the cut for target `k * size` is
/// the first unit start (`LineShape`) at or after it. Since no unit spans a cut, reading the
/// chunks apart finds exactly what one reading of the whole input would.
public struct ChunkGeometry: Sendable, Equatable {
    /// Target chunk size.
    public var size: Int
    /// How far past a target a unit start is looked for; past it the cut is made at the next
    /// line start (a unit that long is read in pieces).
    public var lookahead: Int
    /// The longest line read whole; a longer line is cut where the limit falls (and reported).
    public var maxLine: Int

    public init(size: Int = 4 << 20, lookahead: Int = 8 << 20, maxLine: Int = 64 << 20) {
        self.size = max(1, size)
        self.lookahead = max(1, lookahead)
        self.maxLine = max(1, maxLine)
    }

    public enum Decision: Equatable {
        /// Cut here; `forced` when no unit start came within the lookahead or a line was too long.
        case cut(Int, forced: Bool)
        /// The input ends before a cut is due.
        case none
        /// More bytes are needed to decide.
        case needMore
    }

    /// The target after the cut `previous` (the next multiple of `size`).
    func target(after previous: Int) -> Int { (previous / size + 1) * size }

    /// Decides the cut after `previous` from `b`, the input's bytes `base..<base + b.count`
    /// (`base <= max(previous, target - LineShape.window - 1)`; `atEnd`: nothing follows).
    /// Lines never start before `previous`.
    func decide(after previous: Int, in b: UnsafeRawBufferPointer, base: Int, atEnd: Bool) -> Decision {
        let end = base + b.count
        let target = self.target(after: previous)
        if target >= end { return atEnd ? .none : .needMore }
        // The first line start at or after the target.
        var p = target
        if !(target == previous || b[target - 1 - base] == 0x0A) {
            let limit = min(b.count, target - base + maxLine)
            guard let nl = ByteScan.find(0x0A, in: b, from: target - base, to: limit) else {
                if target + maxLine <= end { return .cut(target + maxLine, forced: true) }
                return atEnd ? .none : .needMore
            }
            p = base + nl + 1
        }
        while true {
            if p >= end { return atEnd ? .none : .needMore }
            if p - target >= lookahead { return .cut(p, forced: true) }
            let ls = p - base
            // The line (its first `window` bytes decide) and the one before it.
            let le = ByteScan.lineEnd(b, ls, limit: min(b.count, ls + LineShape.window + 1))
            if le == b.count && !atEnd && le < ls + LineShape.window + 1 { return .needMore }
            // The line before starts after the previous cut; when it is longer than the window,
            // only its length matters (it has no prefix to repeat).
            let floor = max(previous, p - LineShape.window - 2) - base
            var pl = ByteScan.lineStart(b, ls - 1, floor: floor)
            if pl == floor && floor + base > previous && (floor == 0 || b[floor - 1] != 0x0A) {
                pl = ls - LineShape.window - 2
            }
            if LineShape.continuation(b, line: ls, end: le, previous: pl, end: ls - 1) == .none {
                return .cut(p, forced: false)
            }
            // The next line start.
            guard let nl = ByteScan.find(0x0A, in: b, from: ls, to: min(b.count, ls + maxLine)) else {
                if p + maxLine <= end { return .cut(p + maxLine, forced: true) }
                return atEnd ? .none : .needMore
            }
            p = base + nl + 1
        }
    }

    /// The cuts of a regular file of `fileSize` bytes read through `fd` with pread (a few KiB
    /// read per cut): chunk i is `cuts[i]..<cuts[i + 1]`.
    public func cuts(fd: Int32, size fileSize: Int) -> [Int] {
        var cuts = [0]
        var previous = 0
        while fileSize > target(after: previous) {
            let t = target(after: previous)
            let base = max(previous, t - LineShape.window - 2)
            var want = 1 << 16
            var decision = Decision.needMore
            var window: [UInt8] = []
            while decision == .needMore {
                let count = min(want, fileSize - base)
                window = [UInt8](repeating: 0, count: count)
                var got = 0
                while got < count {
                    let n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(base + got)) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    got += n
                }
                window.removeLast(count - got)
                let atEnd = base + got >= fileSize || got < count
                decision = window.withUnsafeBytes { decide(after: previous, in: $0, base: base, atEnd: atEnd) }
                if decision == .needMore {
                    if atEnd { decision = .none }
                    want *= 4
                }
            }
            guard case .cut(let c, _) = decision, c > previous, c < fileSize else { break }
            cuts.append(c)
            previous = c
        }
        cuts.append(fileSize)
        return cuts
    }
}
