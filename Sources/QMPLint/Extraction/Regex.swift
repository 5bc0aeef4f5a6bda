import CPCRE2

/// A compiled PCRE2 pattern, matched on bytes with byte offsets. Compiled once, JIT-compiled
/// when the platform supports it, with match and depth limits so a pathological line ends in a
/// reported error instead of a hang. One instance per thread: it keeps its match data between
/// calls so matching allocates nothing.
public final class Regex {
    /// A match: byte ranges of the whole match and of capture groups 1...8 (nil when unset).
    public struct Match {
        public var range: Range<Int>
        var starts: (Int, Int, Int, Int, Int, Int, Int, Int) = (-1, -1, -1, -1, -1, -1, -1, -1)
        var ends: (Int, Int, Int, Int, Int, Int, Int, Int) = (-1, -1, -1, -1, -1, -1, -1, -1)
        /// Capture group `i + 1` (0-based index into the groups).
        public var groups: Groups { Groups(match: self) }
        public struct Groups {
            let match: Match
            public subscript(i: Int) -> Range<Int>? {
                guard i >= 0 && i < 8 else { return nil }
                let s = withUnsafeBytes(of: match.starts) { $0.load(fromByteOffset: i * 8, as: Int.self) }
                let e = withUnsafeBytes(of: match.ends) { $0.load(fromByteOffset: i * 8, as: Int.self) }
                return s < 0 ? nil : s..<e
            }
        }
    }

    public enum MatchError: Error, Equatable {
        /// The match or depth limit was hit: the input is pathological for this pattern.
        case limitExceeded
        case other(code: Int32)
    }

    public struct CompileError: Error, CustomStringConvertible {
        public var pattern: String
        public var offset: Int
        public var message: String
        public var description: String { "bad pattern at offset \(offset): \(message): \(pattern)" }
    }

    public let pattern: String
    private let code: OpaquePointer
    private let matchContext: OpaquePointer?
    private let matchData: OpaquePointer
    public let captureCount: Int
    public let isJIT: Bool

    /// - Parameters:
    ///   - caseless, multiline: PCRE2_CASELESS / PCRE2_MULTILINE.
    ///   - matchLimit: bound on the matcher's work per call.
    public init(_ pattern: String, caseless: Bool = false, anchored: Bool = false,
                matchLimit: UInt32 = 1_000_000) throws {
        self.pattern = pattern
        var options: UInt32 = 0
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        if anchored { options |= UInt32(PCRE2_ANCHORED) }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled: OpaquePointer? = pattern.withCString { p in
            p.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count) { u in
                pcre2_compile_8(u, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            var buf = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &buf, buf.count)
            throw CompileError(pattern: pattern, offset: errorOffset,
                               message: String(decoding: buf.prefix(max(0, Int(n))), as: UTF8.self))
        }
        code = compiled
        isJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        let ctx = pcre2_match_context_create_8(nil)
        if let ctx {
            pcre2_set_match_limit_8(ctx, matchLimit)
            pcre2_set_depth_limit_8(ctx, 10_000)
        }
        matchContext = ctx
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)!
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_code_free_8(code)
        if let matchContext { pcre2_match_context_free_8(matchContext) }
    }

    /// Finds the first match in `bytes[start..<end]` (offsets are absolute in `bytes`).
    /// Lookbehind may see bytes before `start` within `bytes`.
    public func firstMatch(in bytes: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil,
                           anchored: Bool = false) throws(MatchError) -> Match? {
        let end = end ?? bytes.count
        guard start <= end, let base = bytes.baseAddress else { return nil }
        let md = matchData
        let subject = base.assumingMemoryBound(to: UInt8.self)
        let rc = pcre2_match_8(code, subject, end, start, anchored ? UInt32(PCRE2_ANCHORED) : 0, md, matchContext)
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT {
            throw .limitExceeded
        }
        if rc < 0 { throw .other(code: rc) }
        let ov = pcre2_get_ovector_pointer_8(md)!
        var m = Match(range: Int(ov[0])..<Int(ov[1]))
        let n = min(captureCount, 8)
        if n > 0 {
            withUnsafeMutableBytes(of: &m.starts) { st in
                withUnsafeMutableBytes(of: &m.ends) { en in
                    for g in 1...n where g < Int(rc) {
                        let s = ov[2 * g], e = ov[2 * g + 1]
                        if s != PCRE2_UNSET_VALUE {
                            st.storeBytes(of: Int(s), toByteOffset: (g - 1) * 8, as: Int.self)
                            en.storeBytes(of: Int(e), toByteOffset: (g - 1) * 8, as: Int.self)
                        }
                    }
                }
            }
        }
        return m
    }

    /// Every non-overlapping match in `bytes[start..<end]`; an empty match advances by one byte.
    public func allMatches(in bytes: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) throws(MatchError) -> [Match] {
        let end = end ?? bytes.count
        var out: [Match] = []
        var pos = start
        while pos <= end, let m = try firstMatch(in: bytes, from: pos, to: end) {
            out.append(m)
            pos = m.range.isEmpty ? m.range.upperBound + 1 : m.range.upperBound
        }
        return out
    }

    /// Convenience for tests and small inputs.
    public func firstMatch(in text: String) throws -> Match? {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try firstMatch(in: $0) }
    }
}

private let PCRE2_UNSET_VALUE = ~Int(0)
