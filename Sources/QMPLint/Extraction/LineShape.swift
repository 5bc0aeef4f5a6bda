/// The one home of what a line is and which lines belong together.
///
/// A *line* ends at `\n` (line numbers count `\n` bytes, like `wc -l`); a `\r` before it
/// (CRLF) or at the start of the next line (LF-CR, serial consoles) is part of the line
/// ending, not of the text. A *unit* is a log record as a reader sees it: a first line plus
/// the lines that continue it (`continuation(_:line:end:previous:end:)`): pretty JSON at any indentation
/// (`json.dumps(indent=0)` included), `}`/`]` lines, libvirt's ` fd=-1` tails, and the same
/// lines behind a repeated log prefix (journald, syslog). Units are decided from a line and
/// the line before it only, so any reader - whatever part of the file it starts in - cuts the
/// text into the same units: this is what makes a split input give the same answer as a whole
/// one (`ChunkGeometry` cuts only where a unit starts).
public enum LineShape {
    /// How a line relates to the line before it.
    public enum Continuation: Equatable, Sendable {
        /// The line starts a new unit.
        case none
        /// The line continues the unit as it stands (indentation, `}`, `]`, a `"member":`).
        case plain
        /// The line continues the unit behind a log prefix of this many bytes (after any
        /// leading CR), repeated from the line before: the prefix is not part of the record.
        case prefixed(Int)
    }

    /// How much of a line (and of the line before it) decides whether it continues a unit.
    public static let window = 4096
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Start of the text of the line starting at `l` (past a leading CR of an LF-CR ending).
    @inline(__always)
    static func textStart(_ b: UnsafeRawBufferPointer, _ l: Int, _ le: Int) -> Int {
        l < le && b[l] == cr ? l + 1 : l
    }

    /// End of the text of a line whose `\n` (or data end) is at `le` (before a CR of CRLF).
    @inline(__always)
    static func textEnd(_ b: UnsafeRawBufferPointer, _ ls: Int, _ le: Int) -> Int {
        le > ls && b[le - 1] == cr ? le - 1 : le
    }

    /// Whether the line `b[l..<le]` (`le`: its `\n` or the data end) continues the line
    /// `b[pl..<ple]` before it.
    ///
    /// Only the first `window` bytes of each line are looked at, and a line before that is
    /// longer than `window` has no prefix to repeat: the answer never needs more than a few KiB
    /// of text on either side of a line start (`ChunkGeometry` cuts inputs with it).
    public static func continuation(
        _ b: UnsafeRawBufferPointer, line l: Int, end le: Int, previous pl: Int, end ple: Int
    ) -> Continuation {
        let s = textStart(b, l, le)
        let e = le - s > window ? s + window : textEnd(b, s, le)
        guard s < e else { return .none }
        if continuesAsIs(b, s, e) {
            // Indentation and closers continue whatever came before (libvirt's ` fd=-1` too); a
            // member at column 0 needs JSON left open on the line before.
            let c = b[s]
            if c != 0x22 && c != 0x27 { return .plain }
            if ple - pl <= window {
                let ps = textStart(b, pl, ple)
                if leavesOpen(b, ps, textEnd(b, ps, ple)) { return .plain }
            }
        }
        guard ple - pl <= window else { return .none }
        // A prefix repeated from the line before: the longest common start of the two lines
        // (digits compare equal: clocks tick within one record), up to the first quote or `{`
        // (a prefix is never JSON).
        let ps = textStart(b, pl, ple)
        let pe = textEnd(b, ps, ple)
        var i = 0
        while s + i < e && ps + i < pe {
            let x = b[s + i], y = b[ps + i]
            if x == 0x22 || x == 0x27 || x == 0x7B { break }
            if x != y && !(isDigit(x) && isDigit(y)) { break }
            i += 1
        }
        guard i >= 2, s + i < e, ps + i < pe else { return .none }
        guard continuesAsIs(b, s + i, e) else { return .none }
        // The line before, past the prefix, must leave JSON open (end with `{`, `[` or `,`),
        // or this line closes it: two log lines that merely share a prefix are not one record.
        var last = pe - 1
        while last > ps + i && (b[last] == 0x20 || b[last] == 0x09) { last -= 1 }
        let open = b[last] == 0x7B || b[last] == 0x5B || b[last] == 0x2C
        let closes = b[s + i] == 0x7D || b[s + i] == 0x5D
        let json = b[ps + i]
        let jsonBefore = json == 0x7B || json == 0x5B || json == 0x20 || json == 0x09 || json == 0x7D || json == 0x5D
            || json == 0x22 || json == 0x27
        return jsonBefore && (open || closes) ? .prefixed(i) : .none
    }

    /// Text that can only continue something: indentation, a closing bracket, or a member
    /// (`"name":` / `'name':`) with no opening brace before it.
    @inline(__always)
    static func continuesAsIs(_ b: UnsafeRawBufferPointer, _ s: Int, _ e: Int) -> Bool {
        let c = b[s]
        if c == 0x20 || c == 0x09 {
            // Not a blank line.
            var k = s + 1
            while k < e && (b[k] == 0x20 || b[k] == 0x09) { k += 1 }
            return k < e
        }
        if c == 0x7D || c == 0x5D { return true }
        if c == 0x22 || c == 0x27 { return isMember(b, s, e) }
        return false
    }

    /// A member line at column 0 (`json.dumps(indent=0)`) continues only JSON left open.
    @inline(__always)
    static func leavesOpen(_ b: UnsafeRawBufferPointer, _ ps: Int, _ pe: Int) -> Bool {
        var last = pe - 1
        while last >= ps && (b[last] == 0x20 || b[last] == 0x09) { last -= 1 }
        guard last >= ps else { return false }
        let c = b[last]
        return c == 0x7B || c == 0x5B || c == 0x2C
    }

    /// `"name"` (or `'name'`) of at most 256 bytes without escapes, then spaces and a colon.
    static func isMember(_ b: UnsafeRawBufferPointer, _ s: Int, _ e: Int) -> Bool {
        let q = b[s]
        var k = s + 1
        let limit = min(e, s + 258)
        while k < limit && b[k] != q {
            if b[k] == 0x5C || b[k] < 0x20 { return false }
            k += 1
        }
        guard k < limit, k > s + 1 else { return false }
        k += 1
        while k < e && (b[k] == 0x20 || b[k] == 0x09) { k += 1 }
        return k < e && b[k] == 0x3A
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Start of the line containing `offset`, not before `floor`.
    @inline(__always)
    static func lineStart(_ b: UnsafeRawBufferPointer, _ offset: Int, floor: Int = 0) -> Int {
        ByteScan.lineStart(b, offset, floor: floor)
    }

    /// Offset of the `\n` ending the line containing `offset`, or `limit`.
    @inline(__always)
    static func lineEnd(_ b: UnsafeRawBufferPointer, _ offset: Int, limit: Int) -> Int {
        ByteScan.lineEnd(b, offset, limit: limit)
    }

    /// Whether the line starting at `l` starts a unit: it does not continue the line before it
    /// (the line before must start at or after `floor`; a line with none before starts one).
    public static func startsUnit(_ b: UnsafeRawBufferPointer, at l: Int, floor: Int, limit: Int) -> Bool {
        guard l > floor else { return true }
        let le = lineEnd(b, l, limit: limit)
        let pl = lineStart(b, l - 1, floor: floor)
        return continuation(b, line: l, end: le, previous: pl, end: l - 1) == .none
    }
}
