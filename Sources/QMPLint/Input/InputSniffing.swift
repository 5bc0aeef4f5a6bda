#if canImport(Glibc)
import Glibc
#endif

/// What the first bytes of an input say about it: its text encoding, whether it is binary
/// data, whether it is a report qmp-lint wrote. Decided from the (decompressed) head only.
public struct InputSniff: Sendable, Equatable {
    public enum Encoding: String, Sendable, Equatable {
        case utf8 = "UTF-8"
        case utf16LE = "UTF-16LE"
        case utf16BE = "UTF-16BE"
    }

    /// Bytes looked at: ripgrep's first buffer.
    public static let headSize = 64 << 10

    public var encoding: Encoding = .utf8
    /// Whether the encoding was told by a byte-order mark (else by NUL bytes between ASCII ones).
    public var byteOrderMark = false
    /// Offset (in the head as read) of a NUL byte that makes the input binary, when it is.
    public var binaryAt: Int?
    /// The report format qmp-lint wrote the input in, when it is one of its reports.
    public var report: String?

    public init(head: UnsafeRawBufferPointer) {
        encoding = Self.encoding(head, bom: &byteOrderMark)
        if encoding == .utf8 {
            binaryAt = Self.binaryOffset(head)
            report = Self.reportFormat(head)
        }
    }

    public init(head: [UInt8]) { self = head.withUnsafeBytes { InputSniff(head: $0) } }

    /// UTF-16 by its byte-order mark, or by ASCII text with a NUL byte beside every character.
    static func encoding(_ b: UnsafeRawBufferPointer, bom: inout Bool) -> Encoding {
        if b.count >= 2 {
            // FF FE 00 00 is UTF-32LE's mark: not text this tool reads, left to the binary check.
            if b[0] == 0xFF && b[1] == 0xFE && !(b.count >= 4 && b[2] == 0 && b[3] == 0) { bom = true; return .utf16LE }
            if b[0] == 0xFE && b[1] == 0xFF { bom = true; return .utf16BE }
        }
        let pairs = min(b.count, 4096) / 2
        guard pairs >= 4 else { return .utf8 }
        var le = 0, be = 0
        for p in 0..<pairs {
            let x = b[2 * p], y = b[2 * p + 1]
            if x == 0 && y == 0 { return .utf8 }  // NUL characters: binary, not text
            if y == 0 && x < 0x80 { le += 1 } else if x == 0 && y < 0x80 { be += 1 }
        }
        // Nearly every character ASCII, as in logs (a few non-ASCII ones allowed).
        if le * 10 >= pairs * 9 { return .utf16LE }
        if be * 10 >= pairs * 9 { return .utf16BE }
        return .utf8
    }

    /// Offset of the first NUL byte when it makes the input binary. A log cut by a crash often
    /// ends in NUL bytes (blocks allocated, never written): NUL bytes that only follow complete
    /// lines of text do not make it binary.
    static func binaryOffset(_ b: UnsafeRawBufferPointer) -> Int? {
        guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return nil }
        let nul = base.distance(to: UnsafeRawPointer(hit))
        guard let lastNewline = b[..<nul].lastIndex(of: 0x0A) else { return nul }
        // The text before: valid UTF-8, no control characters but tab, CR, LF, FF and ESC.
        let text = Array(b[..<(lastNewline + 1)])
        var i = 0
        while i < text.count {
            let c = text[i]
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && c != 0x0C && c != 0x1B { return nul }
            let n = InputName.validSequenceLength(text, at: i)
            if n == 0 { return nul }
            i += n
        }
        // After the run of NUL bytes, more text or the end of the head: a damaged log.
        return nil
    }

    /// The format of a report qmp-lint wrote, recognised by its head; nil for anything else.
    /// Byte tests first: every walked file goes through here.
    static func reportFormat(_ b: UnsafeRawBufferPointer) -> String? {
        let head = UnsafeRawBufferPointer(rebasing: b.prefix(4096))
        guard let base = head.baseAddress, !head.isEmpty else { return nil }
        func has(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            var p = 0
            while p + n <= head.count {
                guard let q = memchr(base + p, Int32(s.utf8Start[0]), head.count - n + 1 - p) else { return false }
                let at = base.distance(to: UnsafeRawPointer(q))
                if memcmp(base + at, s.utf8Start, n) == 0 { return true }
                p = at + 1
            }
            return false
        }
        func starts(_ s: StaticString, at i: Int = 0) -> Bool {
            head.count - i >= s.utf8CodeUnitCount && memcmp(base + i, s.utf8Start, s.utf8CodeUnitCount) == 0
        }
        var i = 0
        while i < head.count && (head[i] == 0x20 || head[i] == 0x0A || head[i] == 0x0D || head[i] == 0x09) { i += 1 }
        switch i < head.count ? head[i] : 0 {
        case UInt8(ascii: "{"):
            if has("\"reportVersion\"") && has("\"qmp-lint\"") { return "json" }
            if has("\"baselineVersion\"") && has("\"qmp-lint\"") { return "baseline" }
            if has("sarif") && has("\"name\": \"qmp-lint\"") { return "sarif" }
            // JSON Lines: finding objects (then a summary line).
            if (starts("{\"file\":") && has("\"rule\":") && has("\"eventHash\":")) || starts("{\"summary\":{\"files\":") {
                return "jsonl"
            }
            return nil
        case UInt8(ascii: "["):
            // GitLab Code Quality: objects of description, check_name, fingerprint, location.
            return has("\"check_name\"") && has("\"fingerprint\"") && has("\"location\"") ? "gitlab" : nil
        case UInt8(ascii: "<"):
            if has("<testsuites name=\"qmp-lint\"") { return "junit" }
            return has("<meta name=\"generator\" content=\"qmp-lint\">") ? "html" : nil
        default:
            break
        }
        if starts("# qmp-lint report") { return "markdown" }
        if starts("Timeline: ") && has(" events in ") { return "timeline" }
        if starts("file,line,column,eventLine,event,rule,severity,message,pointer\r\n")
            || starts("event,total,valid,invalid\r\n") { return "csv" }
        // Line formats: decoded only for a head that starts like one.
        let end = head.firstIndex(of: 0x0A) ?? head.count
        if starts("::") || starts("qmp-lint: ") {
            // GitHub workflow commands: every complete line one of them, or the closing summary
            // (a CI log holding a few annotations is not a report).
            let lines = String(decoding: head, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let isReport = !lines.isEmpty && lines.contains { $0.hasPrefix("::") } && lines.allSatisfy { l in
                l.hasPrefix("qmp-lint: ")
                    || (["::error ", "::warning ", "::notice "].contains { l.hasPrefix($0) } && l.contains("title="))
            }
            return isReport ? "github" : nil
        }
        // The text report starts with a finding (its source line, which may hold an event, below).
        guard end > 0, head[end - 1] == UInt8(ascii: "]") else { return nil }
        return isTextFinding(Substring(String(decoding: UnsafeRawBufferPointer(rebasing: head[..<end]), as: UTF8.self)))
            ? "text" : nil
    }

    /// `path:line:col: severity: message [rule]`, as the text report starts a finding.
    static func isTextFinding(_ line: Substring) -> Bool {
        guard line.hasSuffix("]"), let open = line.lastIndex(of: "["),
              line[line.index(after: open)..<line.index(before: line.endIndex)].allSatisfy({
                  $0.isASCII && ($0.isLowercase || $0 == "-")
              })
        else { return false }
        for severity in [": error: ", ": warning: ", ": note: "] {
            guard let r = line.range(of: severity) else { continue }
            let place = line[..<r.lowerBound].split(separator: ":")
            return place.count >= 3 && place.suffix(2).allSatisfy { $0.allSatisfy(\.isNumber) }
        }
        return false
    }
}

/// UTF-16 text (either byte order) decoded to UTF-8 as it is read: a byte-order mark is
/// dropped, an unpaired surrogate becomes U+FFFD.
public final class UTF16DecodingSource: ByteSource {
    var inner: any ByteSource
    let bigEndian: Bool
    var input = [UInt8](repeating: 0, count: 1 << 16)
    var inputCount = 0
    var output: [UInt8] = []
    var outputStart = 0
    var highSurrogate: UInt16?
    var atStart = true
    var ended = false
    var deferred: InputError?
    public var knownSize: Int? { nil }
    public var notices: [InputNotice] { inner.notices }

    public init(inner: any ByteSource, bigEndian: Bool) {
        self.inner = inner
        self.bigEndian = bigEndian
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while outputStart == output.count {
            if ended {
                if let e = deferred { deferred = nil; throw e }
                return 0
            }
            output.removeAll(keepingCapacity: true)
            outputStart = 0
            decodeMore()
        }
        let n = min(buffer.count, output.count - outputStart)
        output.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + outputStart, byteCount: n) }
        outputStart += n
        return n
    }

    private func decodeMore() {
        let r = input.withUnsafeMutableBytes { b in
            Result { () throws(InputError) in try inner.read(into: .init(rebasing: b[inputCount...])) }
        }
        switch r {
        case .success(0): ended = true
        case .success(let n): inputCount += n
        case .failure(let e): deferred = e; ended = true
        }
        let units = inputCount / 2
        for u in 0..<units {
            let a = UInt16(input[2 * u]), b = UInt16(input[2 * u + 1])
            let unit = bigEndian ? a << 8 | b : b << 8 | a
            if atStart {
                atStart = false
                if unit == 0xFEFF { continue }
            }
            append(unit)
        }
        let odd = inputCount % 2 == 1
        if odd { input[0] = input[inputCount - 1] }
        inputCount = odd ? 1 : 0
        if ended {
            if highSurrogate != nil { appendScalar(0xFFFD); highSurrogate = nil }
            if odd { appendScalar(0xFFFD); inputCount = 0 }
        }
    }

    private func append(_ unit: UInt16) {
        if let high = highSurrogate {
            highSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                appendScalar(0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00))
                return
            }
            appendScalar(0xFFFD)
        }
        switch unit {
        case 0xD800...0xDBFF: highSurrogate = unit
        case 0xDC00...0xDFFF: appendScalar(0xFFFD)
        default: appendScalar(UInt32(unit))
        }
    }

    private func appendScalar(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            output.append(UInt8(v))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | v >> 6)); output.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | v >> 12)); output.append(UInt8(0x80 | v >> 6 & 0x3F))
            output.append(UInt8(0x80 | v & 0x3F))
        default:
            output.append(UInt8(0xF0 | v >> 18)); output.append(UInt8(0x80 | v >> 12 & 0x3F))
            output.append(UInt8(0x80 | v >> 6 & 0x3F)); output.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
