/// Helpers shared by several report formats: timestamps, safe display of log text, grouping.

/// Appends `text` to `out`, replacing each scalar for which `replacement` returns a string;
/// runs of unchanged text are copied in bulk. Every escaper of the reports is built on this.
@inline(__always)
func appendReplacing(_ text: String, to out: inout String, _ replacement: (Unicode.Scalar) -> String?) {
    let scalars = text.unicodeScalars
    var runStart = scalars.startIndex
    var i = runStart
    while i != scalars.endIndex {
        let next = scalars.index(after: i)
        if let replaced = replacement(scalars[i]) {
            if runStart != i { out.append(contentsOf: text[runStart..<i]) }
            out.append(replaced)
            runStart = next
        }
        i = next
    }
    if runStart != scalars.endIndex { out.append(contentsOf: text[runStart...]) }
}

extension EventTime {
    /// Seconds of `0000-01-01T00:00:00Z` and `9999-12-31T23:59:59Z`: the years ISO 8601 writes
    /// with four digits.
    static let displayRange: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// UTC ISO 8601 with microseconds, e.g. `2024-03-01T10:22:53.012388Z`. Out-of-range
    /// microseconds carry into seconds; negative seconds (libvirt's `-1`) count back from 1970.
    /// Times outside years 0000-9999 (a corrupt timestamp) are shown as the nearest of
    /// `0000-01-01T00:00:00.000000Z` and `9999-12-31T23:59:59.999999Z`: always 27 characters.
    public var iso8601: String {
        var secs = seconds
        var micros = microseconds
        // Saturating arithmetic: absurd timestamps in a log give a clamped date, never a trap.
        let (carried, overflow) = secs.addingReportingOverflow(micros / 1_000_000)
        secs = overflow ? (micros > 0 ? .max : .min) : carried
        micros %= 1_000_000
        if micros < 0 {
            micros += 1_000_000
            secs = secs == .min ? secs : secs - 1
        }
        if secs < Self.displayRange.lowerBound {
            secs = Self.displayRange.lowerBound
            micros = 0
        } else if secs > Self.displayRange.upperBound {
            secs = Self.displayRange.upperBound
            micros = 999_999
        }
        var days = secs / 86_400
        var secOfDay = secs % 86_400
        if secOfDay < 0 {
            secOfDay += 86_400
            days -= 1
        }
        // Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secOfDay / 3600, 2)):"
            + "\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2)).\(pad(micros, 6))Z"
    }
}

private func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
    return value < 0 ? "-" + padded : padded
}

/// Messages for a terminal (standard error): control characters other than LF, C1 controls and
/// bidirectional controls shown as visible escapes (`\x1b`), so a file name or log text in a
/// message cannot set the window title, clear the screen or reorder the line.
public enum TerminalText {
    public static func safe(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0 != "\n" && DisplayText.needsEscape($0) }) else { return message }
        var out = ""
        appendReplacing(message, to: &out) { $0 != "\n" && DisplayText.needsEscape($0) ? DisplayText.visibleEscape($0) : nil }
        return out
    }
}

/// Text copied from logs, made safe to print on a terminal or in plain-text CI logs.
enum DisplayText {
    /// Replaces C0 controls, DEL, C1 controls, line/paragraph separators and bidirectional
    /// overrides with visible escapes (`\t`, `\n`, `\r`, `\x1b`, `\u{9b}`, `\u{202e}`) so that
    /// log content cannot move the cursor, change colours or reorder the text around it.
    /// Backslashes are kept as they are.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        appendReplacing(text, to: &out) { needsEscape($0) ? visibleEscape($0) : nil }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069:
            return true
        default:
            return false
        }
    }

    /// The ASCII escape shown for a scalar that `needsEscape`.
    static func visibleEscape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x00..<0x20, 0x7F:
            let digits = String(scalar.value, radix: 16)
            return "\\x" + (digits.count < 2 ? "0" : "") + digits
        default:
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    /// `line` without a trailing CR (the line end of a CRLF file).
    static func withoutLineEnd(_ line: String) -> String {
        line.utf8.last == 0x0D ? String(line.unicodeScalars.dropLast()) : line
    }

    /// Terminal columns a scalar takes: 0 for combining marks, 2 for East Asian wide and emoji,
    /// 1 otherwise (a rough but dependency-free approximation of `wcwidth`).
    static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200D, 0xFE00...0xFE0F:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The source line escaped for display, and the number of columns before the byte at
    /// 1-based `column` (nil when the column lies beyond the line, e.g. a trimmed one).
    static func sourceExcerpt(_ line: String, column: Int) -> (text: String, caretOffset: Int?) {
        let source = withoutLineEnd(line)
        let target = max(0, column - 1)
        var offset: Int?
        var bytes = 0
        var columns = 0
        for scalar in source.unicodeScalars {
            if bytes >= target {
                offset = columns
                break
            }
            columns += needsEscape(scalar) ? visibleEscape(scalar).utf8.count : width(of: scalar)
            bytes += UTF8.width(scalar)
        }
        if offset == nil && bytes >= target { offset = columns }
        return (escaped(source), offset)
    }
}

extension ReportFinding {
    /// The finding's line as kept (a window of a long line, `…` marking what was cut), without
    /// its line end: what SARIF's `region.snippet` and JUnit's details show.
    var sourceSnippet: String {
        (sourceLineStart > 1 ? "…" : "") + DisplayText.withoutLineEnd(sourceLine) + (sourceLineTruncated ? "…" : "")
    }
}

/// Percent-encoding of file paths as relative URI references (RFC 3986).
enum URIText {
    /// Keeps unreserved characters and `/`; encodes every other byte as `%XX`, so spaces,
    /// `%`, `#`, `?` and a `:` in the first segment cannot change the reference's meaning.
    static func percentEncodedPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = String(byte, radix: 16, uppercase: true)
                out.append("%" + (digits.count < 2 ? "0" : "") + digits)
            }
        }
        return out
    }
}

/// One input file and the findings in it, in report order.
struct FileFindings {
    var path: String
    /// Nil when findings name a file the report has no summary for.
    var summary: FileSummary?
    var findings: [ReportFinding]
}

extension LintReport {
    /// Files in report order (then any path only findings name, sorted), each with its findings.
    var findingsByFile: [FileFindings] {
        var byPath: [String: [ReportFinding]] = [:]
        for finding in findings { byPath[finding.file, default: []].append(finding) }
        var groups: [FileFindings] = []
        var seen = Set<String>()
        for file in files where seen.insert(file.path).inserted {
            groups.append(FileFindings(path: file.path, summary: file, findings: byPath[file.path] ?? []))
        }
        for path in byPath.keys.sorted() where !seen.contains(path) {
            groups.append(FileFindings(path: path, summary: nil, findings: byPath[path]!))
        }
        return groups
    }

    /// Event names in sorted order with their counts.
    var sortedEventCounts: [(name: String, count: EventCount)] {
        summary.eventsByName.keys.sorted().map { ($0, summary.eventsByName[$0]!) }
    }

    /// Command names in sorted order with their counts.
    var sortedCommandCounts: [(name: String, count: CommandCount)] {
        summary.commandsByName.keys.sorted().map { ($0, summary.commandsByName[$0]!) }
    }

    /// Rule ids in sorted order with their finding counts.
    var sortedRuleCounts: [(rule: String, count: Int)] {
        summary.findingsByRule.keys.sorted().map { ($0, summary.findingsByRule[$0]!) }
    }
}

/// Hands `text` to `emit` and empties it once it holds `piece` bytes or more, so a large report
/// is written out as it is made rather than held whole (`piece` 0: whatever is left).
func drain(_ text: inout String, to emit: (UnsafeRawBufferPointer) -> Void, atLeast piece: Int = 256 << 10) {
    guard !text.isEmpty, text.utf8.count >= piece else { return }
    text.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
    text.removeAll(keepingCapacity: true)
}

/// "1 error", "2 errors".
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}
