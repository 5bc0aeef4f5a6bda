/// A source line shown under findings, as rustc and ruff do: the part of the line around the
/// findings' columns that fits the terminal, `…` where it is cut, and a caret under each value.
///
///     12 | …"data": {"device": "dimm1", "slot": "1", "slot-type": "DIMM", "source": 1, "st…
///        |           ^^         ^         ^                  ^            ^
///
/// Columns are display columns: escapes of control characters (`\x1b`) count their length,
/// East Asian wide characters two; the window never cuts an escape or a character in half.
struct SourceExcerpt {
    /// One displayed piece of the line: a character, or the visible escape standing for one.
    struct Cell {
        var text: String
        var width: Int
        /// Byte offset of the character in the excerpt's text.
        var byte: Int
        /// Display column where the cell starts.
        var column: Int
    }

    var cells: [Cell] = []
    /// Display width of the whole text.
    var width = 0
    /// Byte length of the text.
    var bytes = 0
    /// Text was cut before the first cell / after the last one.
    var cutBefore: Bool
    var cutAfter: Bool

    /// `text`: the line or a window of it (`ReportFinding.sourceLine`), without its line end.
    init(_ text: String, cutBefore: Bool, cutAfter: Bool) {
        self.cutBefore = cutBefore
        self.cutAfter = cutAfter
        let source = DisplayText.withoutLineEnd(text)
        for scalar in source.unicodeScalars {
            let shown: String
            let w: Int
            if DisplayText.needsEscape(scalar) {
                shown = DisplayText.visibleEscape(scalar)
                w = shown.utf8.count
            } else {
                shown = String(scalar)
                w = DisplayText.width(of: scalar)
            }
            if w == 0, !cells.isEmpty {
                // A combining mark joins the character before it.
                cells[cells.count - 1].text += shown
            } else {
                cells.append(Cell(text: shown, width: w, byte: bytes, column: width))
            }
            width += w
            bytes += UTF8.width(scalar)
        }
    }

    /// The display column of byte `offset` of the text (the start of the character holding it);
    /// nil when it lies outside the text. The end of the text is a column too (a fault at the
    /// end of a cut object points just past the last character).
    func column(ofByte offset: Int) -> Int? {
        guard offset >= 0, offset <= bytes else { return nil }
        if offset == bytes { return width }
        var lo = 0
        var hi = cells.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cells[mid].byte <= offset { lo = mid } else { hi = mid - 1 }
        }
        return cells.isEmpty ? 0 : cells[lo].column
    }

    /// The excerpt rows showing `carets` (display columns, each with its styled mark, the most
    /// severe first among equal columns) within `width` columns: groups of carets that fit one
    /// window, each as a text row and a caret row.
    func rows(carets: [(column: Int, mark: String)], width: Int) -> [(text: String, marks: String)] {
        let sorted = carets.enumerated().sorted { a, b in
            a.element.column != b.element.column ? a.element.column < b.element.column : a.offset < b.offset
        }.map(\.element)
        guard !sorted.isEmpty else { return [(window(from: 0, width: width).text, "")] }
        var rows: [(String, String)] = []
        // Room for carets: the width less an ellipsis on each side.
        let room = max(1, width - 2)
        var i = 0
        while i < sorted.count {
            var j = i + 1
            while j < sorted.count && sorted[j].column - sorted[i].column < room { j += 1 }
            let lo = sorted[i].column
            let hi = sorted[j - 1].column
            // The carets in the middle of the room.
            let w = window(from: max(0, lo - max(0, room - (hi - lo + 1)) / 2), width: width)
            var marks = ""
            var at = 0
            for caret in sorted[i..<j] {
                let position = caret.column - w.first + w.offset
                if position < at || position >= width { continue }
                marks += String(repeating: " ", count: position - at) + caret.mark
                at = position + 1
            }
            rows.append((w.text, marks))
            i = j
        }
        return rows
    }

    /// The window of cells from display column `start` (or before it, when the line ends
    /// sooner) that fits `width` columns with its ellipses: its text, the display column of its
    /// first cell, and the columns before that cell on the row (1 for a leading ellipsis).
    func window(from start: Int, width: Int) -> (text: String, first: Int, offset: Int) {
        let ellipsis = "\u{2026}"
        guard let w = cellWindow(from: start, width: width) else {
            return ((cutBefore ? ellipsis : "") + (cutAfter ? ellipsis : ""), 0, cutBefore ? 1 : 0)
        }
        let text = (w.left ? ellipsis : "") + cells[w.cells].map(\.text).joined() + (w.right ? ellipsis : "")
        return (text, cells[w.cells.lowerBound].column, w.left ? 1 : 0)
    }

    /// The cells of that window, and whether an ellipsis goes before and after them; nil for
    /// an empty text.
    func cellWindow(from start: Int, width: Int) -> (cells: ClosedRange<Int>, left: Bool, right: Bool)? {
        if cells.isEmpty { return nil }
        if !cutBefore && !cutAfter && self.width <= width { return (0...cells.count - 1, false, false) }
        var first = 0
        while first < cells.count - 1 && cells[first].column + cells[first].width <= start { first += 1 }
        var left = first > 0 || cutBefore
        let last = lastCell(from: first, room: width - (left ? 1 : 0) - 1)
        let right = last < cells.count - 1 || cutAfter
        if !right {
            // The end of the line is shown: use the room on the left.
            var used = cells[first...last].reduce(0) { $0 + $1.width }
            while first > 0 && used + cells[first - 1].width <= width - 1 {
                first -= 1
                used += cells[first].width
            }
            if first == 1 && !cutBefore && used + cells[0].width <= width {
                first = 0
            }
            left = first > 0 || cutBefore
        }
        return (first...last, left, right)
    }

    /// The index of the cell at display column `column`.
    func cell(atColumn column: Int) -> Int? {
        cells.lastIndex { $0.column <= column }
    }

    /// The last cell index such that the cells from `first` take at most `room` columns.
    private func lastCell(from first: Int, room: Int) -> Int {
        var used = 0
        var i = first
        while i < cells.count && used + cells[i].width <= room {
            used += cells[i].width
            i += 1
        }
        return max(first, i - 1)
    }
}
