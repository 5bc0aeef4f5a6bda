/// Keeps the text of the line a finding is on, for the formats that show it (text excerpts,
/// SARIF snippets, JUnit details, HTML): the whole line when it is short, else a window of
/// about a kilobyte around the finding's column (libvirt lines run to thousands of bytes; a
/// finding deep in one must still get its caret). Findings on one line share one string while
/// their columns fall well inside the window kept.
struct SourceLineCapture {
    /// Lines up to this many bytes are kept whole.
    static let wholeLine = 1024
    /// Bytes kept on each side of the column in a longer line.
    static let margin = 512
    /// A later finding on the same line reuses the window when its column is this far inside.
    static let reuse = 128

    /// One captured excerpt.
    struct Excerpt {
        /// Offset of the line's first byte in the buffer.
        var lineStart: Int
        var text: String
        /// The 1-based byte column of the line where `text` starts.
        var start: Int
        /// Whether the line goes on after `text`.
        var truncated: Bool
    }

    /// False: capture nothing (no format asked for source lines); `text` is then empty.
    var enabled = true
    private var lineStart = -1
    /// End of the line including its newline (the cache covers `lineStart..<lineEnd`).
    private var lineEnd = -1
    private var contentEnd = -1
    private var window = 0..<0
    private var text = ""

    init(enabled: Bool = true) { self.enabled = enabled }

    /// Forgets the cached line (the buffer changed).
    mutating func invalidate() {
        lineStart = -1
        lineEnd = -1
    }

    /// The excerpt for a finding at byte `offset` of `buffer`.
    mutating func excerpt(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Excerpt {
        if !(offset >= lineStart && offset < lineEnd) {
            lineStart = ByteScan.lineStart(buffer, offset)
            let end = ByteScan.lineEnd(buffer, offset, limit: buffer.count)
            var le = end
            if le > lineStart && buffer[le - 1] == ByteScan.cr { le -= 1 }
            lineEnd = max(end, lineStart + 1)
            contentEnd = le
            window = 0..<0
            if enabled { capture(buffer, around: offset) }
        } else if enabled && !covers(offset) {
            capture(buffer, around: offset)
        }
        return Excerpt(
            lineStart: lineStart, text: enabled ? text : "", start: window.lowerBound - lineStart + 1,
            truncated: enabled && window.upperBound < contentEnd)
    }

    /// Whether the cached window serves a finding at `offset`.
    private func covers(_ offset: Int) -> Bool {
        let leftOK = window.lowerBound == lineStart || offset - window.lowerBound >= Self.reuse
        let rightOK = window.upperBound == contentEnd || window.upperBound - offset >= Self.reuse
        return window.contains(offset) && leftOK && rightOK || window.upperBound == offset && rightOK
    }

    private mutating func capture(_ buffer: UnsafeRawBufferPointer, around offset: Int) {
        var from = lineStart
        var to = contentEnd
        if contentEnd - lineStart > Self.wholeLine {
            from = max(lineStart, offset - Self.margin)
            to = min(contentEnd, max(offset, from) + Self.margin)
            // Whole UTF-8 sequences only: start on a lead byte, end before a cut one.
            while from > lineStart && from < to && buffer[from] & 0xC0 == 0x80 { from += 1 }
            if to < contentEnd {
                var k = to
                while k > from && buffer[k] & 0xC0 == 0x80 { k -= 1 }
                to = k
            }
        }
        window = from..<max(from, to)
        text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[window]), as: UTF8.self)
    }
}
