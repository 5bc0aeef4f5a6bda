/// A self-contained HTML post-mortem (`--format html`): one file with inline CSS and no script,
/// font or other resource to fetch (its Content-Security-Policy forbids them): totals, an SVG
/// timeline with one row per stream (x = time, or event order when no event has a timestamp;
/// a mark per event, or per pixel bin when events crowd; findings as coloured marks that link
/// to the list), events per name, findings per rule, files with their schema, and every finding
/// (`id="finding-N"`, N from 1 in report order).
///
/// Everything copied from logs is entity-escaped (`&`, `<`, `>`, `"`, `'`) in text and
/// attributes alike, and control, bidirectional and separator characters become visible
/// escapes as in the text format, so the file holds no raw control character from a log.
/// Stable hooks for tools and tests: `<body data-events data-events-shown data-findings>`,
/// `class="ev"` marks with `data-n` (the events a mark stands for), `class="finding"` items.
public enum HTMLReporter: StreamingReporter {
    public static let identifier = "html"
    public static let description = "one self-contained HTML page: summary tables, SVG timeline, findings"
    public static let fileExtension = "html"
    public static let needsEvents = true
    public static let needsSourceLines = true

    /// Writes the page in pieces of about 256 KiB (a long findings list is not held whole).
    public static func write(
        _ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void
    ) {
        let s = report.summary
        let layout = TimelineLayout(report)
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out +=
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"\(escape(report.toolName))\">\n"
        out += "<title>qmp-lint report</title>\n<style>\n\(css)</style>\n</head>\n"
        out += "<body data-events=\"\(s.events)\" data-events-shown=\"\(layout.recordedEvents)\" "
        out += "data-findings=\"\(report.findings.count)\" data-errors=\"\(s.errors)\" "
        out += "data-warnings=\"\(s.warnings)\" data-notes=\"\(s.notes)\">\n"
        out += "<h1>qmp-lint report</h1>\n<p class=\"totals\">"
        out += "\(counted(s.files, "file")), \(counted(s.bytes, "byte")), \(counted(s.lines, "line")): "
        out += "<b>\(counted(s.events, "event"))</b>, \(s.invalidEvents) invalid, \(s.malformed) malformed; "
        // Coloured only when there are some.
        out += s.errors > 0 ? "<b class=\"sev-error\">\(counted(s.errors, "error"))</b>, " : "0 errors, "
        out +=
            s.warnings > 0 ? "<span class=\"sev-warning\">\(counted(s.warnings, "warning"))</span>, " : "0 warnings, "
        out += s.notes > 0 ? "<span class=\"sev-note\">\(counted(s.notes, "note"))</span>" : "0 notes"
        if s.unreadableFiles > 0 {
            out += "; <b class=\"sev-error\">\(counted(s.unreadableFiles, "unreadable file"))</b>"
        }
        out += ".</p>\n"
        if let first = s.firstEvent, let last = s.lastEvent {
            out += "<p>Events from <time>\(first.iso8601)</time> to <time>\(last.iso8601)</time> (UTC).</p>\n"
        }
        out += "<p>Schema: \(escape(report.schema.name)) (\(escape(report.schema.reason))).</p>\n"

        appendTimeline(report, layout, to: &out, emit: emit)
        appendTables(report, to: &out)
        appendFindings(report, to: &out, emit: emit)
        out += "</body>\n</html>\n"
        drain(&out, to: emit, atLeast: 0)
    }

    // MARK: - Timeline

    /// Geometry of the SVG timeline, in user units.
    enum Geometry {
        static let width = 1200
        static let labelWidth = 330
        static let plotLeft = 340
        static let plotWidth = 840
        static let rowHeight = 18
        static let top = 34
        static let bottom = 12
        /// Width of one bin: events closer than this share a mark.
        static let binWidth = 3
        static var bins: Int { plotWidth / binWidth }
    }

    /// One mark of a row: the events (and findings) of one bin.
    struct Bin {
        var events = 0
        var first: ReportEvent?
        var last: ReportEvent?
        var untimed = 0
        var findings: [Int] = []
        var worst: Severity?
    }

    static func appendTimeline(
        _ report: LintReport, _ layout: TimelineLayout, to out: inout String,
        emit: (UnsafeRawBufferPointer) -> Void
    ) {
        out += "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
        let streams = layout.files.flatMap(\.streams)
        if let t = report.timeline, t.omitted > 0 {
            out +=
                "<p class=\"omitted\">\(counted(t.omitted, "further event")) not shown: at most \(t.cap) are recorded.</p>\n"
        } else if report.timeline == nil && report.summary.events > 0 {
            out += "<p class=\"omitted\">Events were not recorded for this report, only counted.</p>\n"
        }
        if streams.isEmpty {
            out += "<p>No events.</p>\n</section>\n"
            return
        }
        // The x axis: time when any recorded event has one, else the order within each stream.
        var lo = Double.infinity
        var hi = -Double.infinity
        var longest = 1
        for stream in streams {
            longest = max(longest, stream.events)
            for entry in stream.entries {
                if let t = entry.event?.time {
                    let v = micros(t)
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
            }
        }
        let timed = lo <= hi
        let span = timed ? max(hi - lo, 1) : Double(max(longest - 1, 1))
        let g = Geometry.self
        let height = g.top + streams.count * g.rowHeight + g.bottom
        out += "<p class=\"legend\"><span class=\"key ev-key\"></span> event (a wider mark: several close together) "
        out += "<span class=\"key nt-key\"></span> without timestamp (placed after the event before it) "
        out += "findings (each links to its entry): <span class=\"key fm-key sev-error\"></span> error "
        out += "<span class=\"key fm-key sev-warning\"></span> warning <span class=\"key fm-key sev-note\"></span> note. "
        out +=
            timed ? "x: time (UTC).</p>\n" : "x: order of the events in their stream (no event has a timestamp).</p>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 \(g.width) \(height)\" "
        out += "width=\"\(g.width)\" height=\"\(height)\" role=\"img\" aria-label=\"events per stream over time\">\n"
        // Axis: four ticks; the inner ones show the time of day when the date is the first one's.
        let firstLabel = timed ? tickTime(lo).iso8601 : ""
        for i in 0...3 {
            let x = g.plotLeft + g.plotWidth * i / 3
            var label: String
            if timed {
                label = tickTime(lo + span * Double(i) / 3).iso8601
                if i == 1 || i == 2, label.prefix(11) == firstLabel.prefix(11) { label = String(label.dropFirst(11)) }
            } else {
                label = "event \(Int((span * Double(i) / 3).rounded()) + 1)"
            }
            let anchor = i == 0 ? "start" : i == 3 ? "end" : "middle"
            out += "<line class=\"tick\" x1=\"\(x)\" y1=\"\(g.top - 6)\" x2=\"\(x)\" y2=\"\(height - g.bottom)\"/>"
            out +=
                "<text class=\"axis\" x=\"\(x)\" y=\"\(g.top - 10)\" text-anchor=\"\(anchor)\">\(escape(label))</text>\n"
        }
        if !commonFolder(layout.files.map(\.path)).isEmpty {
            out +=
                "<text class=\"axis\" x=\"4\" y=\"\(g.top - 10)\">\(escape(shortened(commonFolder(layout.files.map(\.path)), 50)))</text>\n"
        }
        // Row labels leave out the folder all files share (named above the rows).
        let folder = commonFolder(layout.files.map(\.path))
        for (r, stream) in streams.enumerated() {
            let y = g.top + r * g.rowHeight
            let label = String(stream.file.dropFirst(folder.count)) + " " + TimelineLayout.label(stream.name)
            out += "<g class=\"row\" data-events=\"\(stream.events)\" data-findings=\"\(stream.findings)\">"
            out +=
                "<rect class=\"band\(r % 2 == 0 ? "" : " odd")\" x=\"0\" y=\"\(y)\" width=\"\(g.width)\" height=\"\(g.rowHeight)\"/>"
            out +=
                "<text class=\"label\" x=\"4\" y=\"\(y + 13)\"><title>\(escape(label))</title>\(escape(shortened(label, 48)))</text>\n"
            for (b, bin) in bins(of: stream, findings: report.findings, timed: timed, lo: lo, span: span) {
                let x = g.plotLeft + b * g.binWidth
                if bin.events > 0 {
                    let cls = bin.untimed == bin.events ? "ev nt" : "ev"
                    out +=
                        "<rect class=\"\(cls)\" data-n=\"\(bin.events)\" x=\"\(x)\" y=\"\(y + 4)\" width=\"\(g.binWidth - 1)\" height=\"\(g.rowHeight - 8)\">"
                    out += "<title>\(escape(describe(bin, file: stream.file)))</title></rect>"
                }
                if let worst = bin.worst, let first = bin.findings.first {
                    let f = report.findings[first]
                    var title =
                        "\(counted(bin.findings.count, "finding")): \(f.severity.rawValue): \(f.message) [\(f.rule)]"
                    title += " (\(f.file):\(f.line))"
                    out +=
                        "<a href=\"#finding-\(first + 1)\"><rect class=\"fm sev-\(worst.rawValue)\" data-n=\"\(bin.findings.count)\" "
                    out += "x=\"\(x)\" y=\"\(y + 1)\" width=\"\(g.binWidth - 1)\" height=\"\(g.rowHeight - 2)\">"
                    out += "<title>\(escape(title))</title></rect></a>"
                }
                out += "\n"
            }
            out += "</g>\n"
            drain(&out, to: emit)
        }
        out += "</svg>\n</section>\n"
    }

    /// The bins of a row, in x order. An untimed event (or a finding without a recorded event)
    /// takes the place of the event before it in the stream.
    static func bins(
        of stream: TimelineLayout.Stream, findings: [ReportFinding], timed: Bool, lo: Double, span: Double
    ) -> [(Int, Bin)] {
        var bins: [Int: Bin] = [:]
        var order: [Int] = []
        var previous: Double?
        // Untimed events before the first timed one are placed with it.
        let firstTime = stream.entries.lazy.compactMap { $0.event?.time }.first.map(micros)
        var index = 0
        for entry in stream.entries {
            let position: Double
            if timed {
                if let t = entry.event?.time { previous = micros(t) }
                position = ((previous ?? firstTime ?? lo) - lo) / span
            } else {
                position = Double(max(0, index - (entry.event == nil ? 1 : 0))) / span
            }
            if entry.event != nil { index += 1 }
            let clamped = position.isFinite ? min(max(position, 0), 1) : 0
            let b = Int(clamped * Double(Geometry.bins - 1))
            if bins[b] == nil { order.append(b) }
            var bin = bins[b] ?? Bin()
            if let e = entry.event {
                bin.events += 1
                if e.time == nil { bin.untimed += 1 }
                if bin.first == nil { bin.first = e }
                bin.last = e
            }
            for k in entry.findings {
                bin.findings.append(k)
                bin.worst = max(bin.worst ?? findings[k].severity, findings[k].severity)
            }
            bins[b] = bin
        }
        return order.sorted().map { ($0, bins[$0]!) }
    }

    static func describe(_ bin: Bin, file: String) -> String {
        guard let first = bin.first, let last = bin.last else { return "" }
        let when = first.time?.iso8601 ?? "no timestamp"
        if bin.events == 1 {
            return "\(first.name) at \(when), \(file):\(first.line)" + (first.data.map { "; " + $0 } ?? "")
        }
        var text =
            "\(bin.events) events, \(first.name) at \(when) to \(last.name) at \(last.time?.iso8601 ?? "no timestamp")"
        text += ", \(file):\(first.line)-\(last.line)"
        return text
    }

    /// The longest folder prefix (ending in `/`) of every path; "" when there is none.
    static func commonFolder(_ paths: [String]) -> String {
        guard var prefix = paths.first.map({ Array($0.utf8) }) else { return "" }
        for p in paths.dropFirst() {
            let b = Array(p.utf8)
            var n = 0
            while n < min(prefix.count, b.count) && prefix[n] == b[n] { n += 1 }
            prefix.removeLast(prefix.count - n)
        }
        guard let slash = prefix.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(decoding: prefix[...slash], as: UTF8.self)
    }

    static func micros(_ t: EventTime) -> Double { Double(t.seconds) * 1e6 + Double(t.microseconds) }

    /// The time at `micros` microseconds since the epoch (absurd values clamp, never trap).
    static func tickTime(_ micros: Double) -> EventTime {
        let seconds = (micros / 1e6).rounded(.down)
        let clamped = min(max(seconds, -9.0e15), 9.0e15)
        let rest = min(max(micros - seconds * 1e6, 0), 999_999)
        return EventTime(seconds: Int64(clamped), microseconds: Int64(rest))
    }

    /// At most `limit` characters: the end of `text` (paths differ at the end), after an ellipsis.
    static func shortened(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return "…" + String(text.suffix(limit - 1))
    }

    // MARK: - Tables

    static func appendTables(_ report: LintReport, to out: inout String) {
        let s = report.summary
        out += "<section id=\"events\">\n<h2>Events by name</h2>\n"
        if s.eventsByName.isEmpty {
            out += "<p>No events.</p>\n"
        } else {
            out +=
                "<table>\n<thead><tr><th>Event</th><th>Total</th><th>Valid</th><th>Invalid</th></tr></thead>\n<tbody>\n"
            for (name, count) in report.sortedEventCounts {
                out += "<tr class=\"event-count\"><td>\(escape(name))</td><td>\(count.total)</td>"
                out +=
                    "<td>\(count.total - count.invalid)</td><td\(count.invalid > 0 ? " class=\"sev-error\"" : "")>\(count.invalid)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n<section id=\"rules\">\n<h2>Findings by rule</h2>\n"
        if s.findingsByRule.isEmpty {
            out += "<p>No findings.</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>Rule</th><th>Findings</th></tr></thead>\n<tbody>\n"
            for (rule, n) in report.sortedRuleCounts {
                out += "<tr class=\"rule-count\"><td>\(escape(rule))</td><td>\(n)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n<section id=\"files\">\n<h2>Files</h2>\n"
        if report.files.isEmpty {
            out += "<p>No files.</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>File</th><th>Events</th><th>Invalid</th><th>Malformed</th>"
            out += "<th>Errors</th><th>Warnings</th><th>Notes</th><th>Schema</th></tr></thead>\n<tbody>\n"
            for f in report.files {
                let schema: String
                if let reason = f.readError {
                    schema = "<span class=\"sev-error\">unreadable: \(escape(reason))</span>"
                } else if let choice = f.schema {
                    schema = "\(escape(choice.name)) (\(escape(choice.reason)))"
                } else {
                    schema = ""
                }
                out += "<tr class=\"file\"><td>\(escape(f.path))</td><td>\(f.events)</td><td>\(f.invalidEvents)</td>"
                out +=
                    "<td>\(f.malformed)</td><td>\(f.errors)</td><td>\(f.warnings)</td><td>\(f.notes)</td><td>\(schema)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"
    }

    // MARK: - Findings

    static func appendFindings(
        _ report: LintReport, to out: inout String, emit: (UnsafeRawBufferPointer) -> Void
    ) {
        out += "<section id=\"findings\">\n<h2>Findings</h2>\n"
        let s = report.summary
        let listed = report.findings.count
        let total = s.errors + s.warnings + s.notes
        if total > listed {
            out += "<p class=\"omitted\">\(counted(total - listed, "further finding")) counted but not listed.</p>\n"
        }
        if report.findings.isEmpty {
            out += "<p>No findings.</p>\n</section>\n"
            return
        }
        out += "<ol class=\"findings\">\n"
        for (k, f) in report.findings.enumerated() {
            out += "<li class=\"finding sev-\(f.severity.rawValue)\" id=\"finding-\(k + 1)\">"
            out += "<span class=\"loc\">\(escape(f.file)):\(f.line):\(f.column)</span> "
            out += "<span class=\"sev\">\(f.severity.rawValue)</span> "
            out += "<span class=\"rule\">[\(escape(f.rule))]</span> "
            if let event = f.event { out += "<span class=\"event\">\(escape(event))</span> " }
            if let stream = f.stream { out += "<span class=\"stream\">\(escape(stream))</span> " }
            out += "<span class=\"msg\">\(escape(f.message))</span>"
            if !f.pointer.isEmpty { out += " <span class=\"ptr\">at \(escape(f.pointer))</span>" }
            if !f.sourceLine.isEmpty {
                out += "<pre class=\"src\">\(escape(DisplayText.withoutLineEnd(f.sourceLine)))</pre>"
            }
            out += "</li>\n"
            drain(&out, to: emit)
        }
        out += "</ol>\n</section>\n"
    }

    // MARK: - Escaping and style

    /// Log text made inert in HTML text and quoted attributes: the five special characters as
    /// entities, control and reordering characters as visible escapes (`\x1b`, `\u{202e}`).
    static func escape(_ s: String) -> String {
        var out = ""
        appendReplacing(s, to: &out) { scalar in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'": return "&#39;"
            default: return DisplayText.needsEscape(scalar) ? DisplayText.visibleEscape(scalar) : nil
            }
        }
        return out
    }

    static let css = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; background: #fff; }
        h1 { font-size: 1.5em; margin: 0 0 .3em; }
        h2 { font-size: 1.15em; margin: 1.4em 0 .4em; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; }
        th, td { padding: 2px 10px; border-bottom: 1px solid #eee; text-align: right; }
        th:first-child, td:first-child, #files th:last-child, #files td:last-child { text-align: left; }
        .sev-error { color: #c0141b; }
        .sev-warning { color: #a85d00; }
        .sev-note { color: #1f5fa8; }
        .omitted { font-style: italic; }
        svg.timeline { max-width: 100%; height: auto; font: 11px ui-monospace, monospace; }
        .band { fill: #fff; } .band.odd { fill: #f4f5f7; }
        .label { fill: #333; } .axis { fill: #555; } .tick { stroke: #ddd; }
        .ev { fill: #3a6ea5; } .ev.nt { fill: #fff; stroke: #3a6ea5; stroke-width: .6; }
        .fm { fill-opacity: .85; } .fm.sev-error { fill: #d7191c; } .fm.sev-warning { fill: #f0a30a; }
        .fm.sev-note { fill: #5aa0e0; }
        .legend .key { display: inline-block; width: 4px; height: 12px; vertical-align: middle; margin: 0 3px 0 10px; }
        .ev-key { background: #3a6ea5; } .nt-key { border: 1px solid #3a6ea5; } .fm-key.sev-error { background: #d7191c; }
        .fm-key.sev-warning { background: #f0a30a; } .fm-key.sev-note { background: #5aa0e0; }
        ol.findings { padding-left: 3em; font-size: 13px; }
        li.finding { margin: .3em 0; }
        li.finding:target { background: #fff3b0; }
        .loc, .ptr, .rule, .stream, .event { font-family: ui-monospace, monospace; }
        .sev { font-weight: bold; }
        .finding.sev-error .sev { color: #c0141b; } .finding.sev-warning .sev { color: #a85d00; }
        .finding.sev-note .sev { color: #1f5fa8; }
        .stream { color: #555; } .msg { color: #1d1d1f; }
        pre.src { margin: .2em 0 0; padding: 2px 6px; background: #f6f6f6; overflow-x: auto; font-size: 12px; }

        """
}
