/// A self-contained HTML post-mortem (`--format html`): one file with inline CSS and no script,
/// font or other resource to fetch (its Content-Security-Policy forbids them): totals, severity
/// filters, an SVG timeline with one row per stream (x = time, or event order when no event has
/// a timestamp; a mark per event, or per pixel bin when events crowd; findings as coloured marks
/// that link to the list), the jobs of each stream, events per name, commands per name (when
/// there are any; collapsed), findings per rule, files with their schema and the QEMU release
/// inferred per stream, where each event marker ended and the log shapes found (collapsed), and
/// the findings, repeated ones grouped (`id="finding-N"`, N the number in report order of the
/// group's first finding).
///
/// The severity filters are checkboxes read by CSS (`:checked ~ main ...`), so they work under
/// the page's policy without a script; notes start hidden unless the run listed them
/// (`ReportOptions.listNotes`), as the text format does. A finding repeated with the same rule,
/// event, message and pointer is one list item with its count: its first occurrences with their
/// source lines, the others as locations, which keeps the page to a few hundred bytes per group
/// and a few bytes per further finding (21,000 findings of a few dozen kinds: well under 2 MB).
///
/// Everything copied from logs is entity-escaped (`&`, `<`, `>`, `"`, `'`) in text and
/// attributes alike, and control, bidirectional and separator characters become visible
/// escapes as in the text format, so the file holds no raw control character from a log.
/// Stable hooks for tools and tests: `<body data-events data-events-shown data-findings>`,
/// `class="ev"` marks with `data-n` (the events a mark stands for), `class="finding"` items
/// with `data-n` (the findings a group stands for), `class="job"` rows.
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
        // The filters: checkboxes first, so that CSS can hide what follows them in <main>.
        for severity in Severity.allCases.reversed() {
            let on = severity != .note || options.listNotes
            out +=
                "<input type=\"checkbox\" class=\"filter\" id=\"show-\(severity.rawValue)\"\(on ? " checked" : "")>\n"
        }
        out += "<main>\n<h1>qmp-lint report</h1>\n<p class=\"totals\">"
        out += "\(counted(s.files, "file")), \(counted(s.bytes, "byte")), \(counted(s.lines, "line")): "
        out += "<b>\(counted(s.events, "event"))</b>, \(s.invalidEvents) invalid, \(s.malformed) malformed"
        if s.commands + s.replies > 0 { out += ", " + TextReporter.messageCounts(s) }
        out += "; "
        // Coloured only when there are some; severities below --min-severity left out.
        var totals = [s.errors > 0 ? "<b class=\"sev-error\">\(counted(s.errors, "error"))</b>" : "0 errors"]
        if options.minimumSeverity <= .warning {
            totals.append(
                s.warnings > 0 ? "<span class=\"sev-warning\">\(counted(s.warnings, "warning"))</span>" : "0 warnings")
        }
        if options.minimumSeverity <= .note {
            totals.append(s.notes > 0 ? "<span class=\"sev-note\">\(counted(s.notes, "note"))</span>" : "0 notes")
        }
        out += totals.joined(separator: ", ")
        if s.unreadableFiles > 0 {
            out += "; <b class=\"sev-error\">\(counted(s.unreadableFiles, "unreadable file"))</b>"
        }
        out += ".</p>\n"
        if let first = s.firstEvent, let last = s.lastEvent {
            out += "<p>Events from <time>\(first.iso8601)</time> to <time>\(last.iso8601)</time> (UTC).</p>\n"
        }
        appendSchemas(report, to: &out)
        out += "<p class=\"filters\">Show findings: "
        let counts: [Severity: Int] = [.error: s.errors, .warning: s.warnings, .note: s.notes]
        out += Severity.allCases.reversed().filter { $0 >= options.minimumSeverity }.map { severity in
            "<label for=\"show-\(severity.rawValue)\" class=\"sev-\(severity.rawValue)\">"
                + "\(severity.rawValue)s (\(counts[severity]!))</label>"
        }.joined(separator: " ")
        out += "</p>\n"

        let list = listFindings(report, options: options)
        appendTimeline(report, layout, anchor: list.anchor, to: &out, emit: emit)
        appendJobs(report, layout, to: &out)
        appendTables(report, options: options, to: &out)
        appendFindings(report, list, to: &out, emit: emit)
        out += "</main>\n</body>\n</html>\n"
        drain(&out, to: emit, atLeast: 0)
    }

    /// The schema(s) used, each named once with why it was chosen (the files table then shows
    /// only names).
    static func appendSchemas(_ report: LintReport, to out: inout String) {
        let schemas = report.schemasUsed
        if schemas.count == 1 {
            let c = schemas[0].choice
            out += "<p>Schema: \(escape(c.name)) (\(escape(c.reason))).</p>\n"
            return
        }
        out += "<p>Schemas:</p>\n<ul class=\"schemas\">\n"
        for (c, n) in schemas {
            out += "<li>\(escape(c.name)) (\(escape(c.reason))): \(counted(n, "file"))</li>\n"
        }
        out += "</ul>\n"
    }

    // MARK: - Timeline

    /// Geometry of the SVG timeline, in user units. The label column is as wide as the longest
    /// row label (stream labels are not clipped; beyond `maxLabel` characters they are cut in
    /// the middle, whole in their tooltip).
    enum Geometry {
        /// Width of a character of the 11px monospace labels, rounded up.
        static let charWidth = 7
        static let maxLabel = 100
        static func plotLeft(labelColumns: Int) -> Int { 8 + max(20, min(labelColumns, maxLabel)) * charWidth + 10 }
        static func width(labelColumns: Int) -> Int { plotLeft(labelColumns: labelColumns) + plotWidth + 16 }
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

    /// `anchor[k]`: the id of the list item that shows finding `k`.
    static func appendTimeline(
        _ report: LintReport, _ layout: TimelineLayout, anchor: [String], to out: inout String,
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
        // Row labels leave out the folder all files share (named above the rows).
        let folder = commonFolder(layout.files.map(\.path))
        let labels = streams.map { String($0.file.dropFirst(folder.count)) + " " + TimelineLayout.label($0.name) }
        let labelColumns = labels.map { TextReporter.displayWidth(DisplayText.escaped($0)) }.max() ?? 0
        let plotLeft = g.plotLeft(labelColumns: labelColumns)
        let width = g.width(labelColumns: labelColumns)
        out += "<p class=\"legend\"><span class=\"key ev-key\"></span> event (a wider mark: several close together) "
        out += "<span class=\"key nt-key\"></span> without timestamp (placed after the event before it) "
        out += "findings (each links to its entry): <span class=\"key fm-key sev-error\"></span> error "
        out +=
            "<span class=\"key fm-key sev-warning\"></span> warning <span class=\"key fm-key sev-note\"></span> note. "
        out +=
            timed ? "x: time (UTC).</p>\n" : "x: order of the events in their stream (no event has a timestamp).</p>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 \(width) \(height)\" "
        out += "width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"events per stream over time\">\n"
        // Axis: four ticks; the inner ones show the time of day when the date is the first one's.
        let firstLabel = timed ? tickTime(lo).iso8601 : ""
        for i in 0...3 {
            let x = plotLeft + g.plotWidth * i / 3
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
        if !folder.isEmpty {
            let shown = shortened(folder, (plotLeft - 8) / g.charWidth - 1)
            out +=
                "<text class=\"axis\" x=\"4\" y=\"\(g.top - 10)\"><title>\(escape(folder))</title>\(escape(shown))</text>\n"
        }
        for (r, stream) in streams.enumerated() {
            let y = g.top + r * g.rowHeight
            let label = labels[r]
            out += "<g class=\"row\" data-events=\"\(stream.events)\" data-findings=\"\(stream.findings)\">"
            out +=
                "<rect class=\"band\(r % 2 == 0 ? "" : " odd")\" x=\"0\" y=\"\(y)\" width=\"\(width)\" height=\"\(g.rowHeight)\"/>"
            out +=
                "<text class=\"label\" x=\"4\" y=\"\(y + 13)\"><title>\(escape(label))</title>\(escape(middleCut(label, g.maxLabel)))</text>\n"
            for (b, bin) in bins(of: stream, findings: report.findings, timed: timed, lo: lo, span: span) {
                let x = plotLeft + b * g.binWidth
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
                        "<a href=\"#\(anchor[first])\"><rect class=\"fm sev-\(worst.rawValue)\" data-n=\"\(bin.findings.count)\" "
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
        guard text.count > limit, limit > 1 else { return text }
        return "…" + String(text.suffix(limit - 1))
    }

    /// At most `limit` characters: the beginning and the end of `text` around an ellipsis (a
    /// stream label's file and its monitor both stay readable).
    static func middleCut(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        let keep = limit - 1
        return String(text.prefix(keep / 2)) + "…" + String(text.suffix(keep - keep / 2))
    }

    // MARK: - Tables

    static func appendTables(_ report: LintReport, options: ReportOptions, to out: inout String) {
        let s = report.summary
        out += "<section id=\"events\">\n<h2>Events by name</h2>\n"
        if s.eventsByName.isEmpty {
            out += "<p>No events.</p>\n"
        } else {
            out +=
                "<table>\n<thead><tr><th>Event</th><th>Total</th><th>Valid</th><th>Invalid</th><th>Malformed</th></tr></thead>\n<tbody>\n"
            var names = report.sortedEventCounts
            var others: (names: Int, events: Int) = (0, 0)
            if names.count > namesListed {
                // The most frequent names, in name order; the rest in one row.
                let kept = Set(
                    names.enumerated().sorted { a, b in
                        a.element.count.total != b.element.count.total
                            ? a.element.count.total > b.element.count.total : a.offset < b.offset
                    }.prefix(namesListed).map(\.element.name))
                for n in names where !kept.contains(n.name) {
                    others.names += 1
                    others.events += n.count.total
                }
                names = names.filter { kept.contains($0.name) }
            }
            for (name, count) in names {
                // Parsed events, then those that could not be parsed (the total counts both).
                let invalid = count.invalid - count.malformed
                out += "<tr class=\"event-count\"><td>\(escape(name))</td><td>\(count.total - count.malformed)</td>"
                out +=
                    "<td>\(count.total - count.invalid)</td><td\(invalid > 0 ? " class=\"sev-error\"" : "")>\(invalid)</td>"
                out += "<td\(count.malformed > 0 ? " class=\"sev-error\"" : "")>\(count.malformed)</td></tr>\n"
            }
            if others.names > 0 {
                out += "<tr class=\"others\"><td colspan=\"5\">\(counted(others.names, "other name")) "
                out += "(\(counted(others.events, "event")), the JSON report counts each)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !s.commandsByName.isEmpty {
            let names = report.sortedCommandCounts
            out += "</section>\n<section id=\"commands\">\n<h2>Commands by name</h2>\n"
            out += "<details><summary>\(counted(s.commands, "command")) of \(counted(names.count, "name"))"
            out += ", \(counted(s.replies, "reply", "replies")), "
            out += counted(s.errorReplies, "error reply", "error replies") + "</summary>\n<table>\n<thead><tr>"
            out += "<th>Command</th><th>Total</th><th>Error replies</th><th>Invalid</th></tr></thead>\n<tbody>\n"
            for (name, count) in names {
                out += "<tr class=\"command-count\"><td>\(escape(name))</td><td>\(count.total)</td>"
                out += "<td>\(count.errors)</td>"
                out += "<td\(count.invalid > 0 ? " class=\"sev-error\"" : "")>\(count.invalid)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</details>\n"
        }
        out += "</section>\n<section id=\"rules\">\n<h2>Findings by rule</h2>\n"
        if s.findingsByRule.isEmpty {
            out += "<p>No findings.</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>Rule</th><th>Findings</th></tr></thead>\n<tbody>\n"
            for (rule, n) in report.sortedRuleCounts {
                let name = options.ruleURL(rule).map { "<a href=\"\(escape($0))\">\(escape(rule))</a>" } ?? escape(rule)
                out += "<tr class=\"rule-count\" id=\"rule-\(escape(rule))\"><td>\(name)</td><td>\(n)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n<section id=\"files\">\n<h2>Files</h2>\n"
        if report.files.isEmpty {
            out += "<p>No files.</p>\n"
        } else {
            // Commands and replies get columns when the report has any.
            let messages = s.commands + s.replies > 0
            out += "<table>\n<thead><tr><th>File</th><th>Events</th><th>Invalid</th><th>Malformed</th>"
            if messages { out += "<th>Commands</th><th>Replies</th>" }
            out += "<th>Errors</th><th>Warnings</th><th>Notes</th><th>Schema</th></tr></thead>\n<tbody>\n"
            for f in report.files {
                var schema: String
                if let reason = f.readError {
                    schema = "<span class=\"sev-error\">unreadable: \(escape(reason))</span>"
                } else if let choice = f.schema {
                    // The reason is given once, above the timeline.
                    schema = escape(choice.name)
                } else {
                    schema = ""
                }
                for v in f.versions {
                    schema += "<span class=\"version\">\(escape(v.summary + " (stream " + v.stream + ")"))</span>"
                }
                out += "<tr class=\"file\"><td>\(escape(f.path))</td><td>\(f.events)</td><td>\(f.invalidEvents)</td>"
                out += "<td>\(f.malformed)</td>"
                if messages { out += "<td>\(f.commands)</td><td>\(f.replies)</td>" }
                out += "<td>\(f.errors)</td><td>\(f.warnings)</td><td>\(f.notes)</td><td>\(schema)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            appendMarkers(report, to: &out)
        }
        out += "</section>\n"
    }

    /// Where each input's event markers ended and the log shapes its messages were found in, in
    /// a disclosure (the proof that nothing was dropped, for whoever doubts it).
    static func appendMarkers(_ report: LintReport, to out: inout String) {
        let m = report.summary.markers
        out += "<details class=\"markers\"><summary>Event markers: \(m.total) in the text, "
        out += "\(m.events) parsed events, \(m.total - m.events) other</summary>\n"
        out += "<table class=\"markers\">\n<thead><tr><th>File</th><th>Parsed events</th><th>Malformed</th>"
        out += "<th>Echoes</th><th>Not events</th><th>Unparsed</th><th>Log shapes (messages)</th></tr></thead>\n"
        out += "<tbody>\n"
        for f in report.files where f.readError == nil {
            let x = f.markers
            let shapes = f.dialects.keys.sorted().map { "\($0) \(f.dialects[$0]!)" }.joined(separator: ", ")
            out += "<tr class=\"markers\"><td>\(escape(f.path))</td><td>\(x.events)</td><td>\(x.malformed)</td>"
            out += "<td>\(x.echoes)</td><td>\(x.notEvents)</td>"
            out += "<td\(x.unparsed > 0 ? " class=\"sev-warning\"" : "")>\(x.unparsed)</td>"
            out += "<td>\(escape(shapes))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</details>\n"
    }

    // MARK: - Findings

    /// Findings that say the same thing: same rule, severity, event and pointer, and the same
    /// message but for its numbers (`third RTC_CHANGE within 0.3 s`).
    struct FindingGroup {
        /// Indices into `LintReport.findings`, in report order.
        var members: [Int]

        struct Key: Hashable {
            var rule: String
            var severity: Severity
            var event: String?
            var message: String
            var pointer: String
        }

        /// The groups in order of their first finding.
        static func make(_ findings: [ReportFinding]) -> [FindingGroup] {
            var index: [Key: Int] = [:]
            var groups: [FindingGroup] = []
            for (k, f) in findings.enumerated() {
                let key = Key(
                    rule: f.rule, severity: f.severity, event: f.event, message: withoutNumbers(f.message),
                    pointer: f.pointer)
                if let g = index[key] {
                    groups[g].members.append(k)
                } else {
                    index[key] = groups.count
                    groups.append(FindingGroup(members: [k]))
                }
            }
            return groups
        }

        /// `text` with each run of digits (and the dots between them) as `#`.
        static func withoutNumbers(_ text: String) -> String {
            var out = ""
            var inNumber = false
            for scalar in text.unicodeScalars {
                let digit = scalar.properties.numericType == .decimal && scalar.isASCII
                if digit || (inNumber && scalar == ".") {
                    if !inNumber { out += "#" }
                    inNumber = true
                } else {
                    inNumber = false
                    out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }

    /// The findings list as it will be written: items for the groups shown one by one, within
    /// `budget` bytes, and the groups past the budget summarised per rule.
    struct FindingsList {
        var items: [String] = []
        /// Per rule (and severity), in order of first appearance, the findings past the budget.
        var rest: [(rule: String, severity: Severity, members: [Int], kinds: Int)] = []
        /// For each finding, the id of the item that shows it (`finding-N` or `rest-N`).
        var anchor: [String]
    }

    /// Occurrences of a group shown with their source line; the rest are listed as locations.
    static let shownPerGroup = 3
    /// Locations listed per group (or per rule past the budget) at most; the others are counted.
    static let locationsPerItem = 200
    /// Columns of a source excerpt in the list.
    static let excerptWidth = 160
    /// Bytes of list items written one by one; the groups after are summarised per rule.
    static let findingsBudget = 1_200_000
    /// Event names listed in the table at most (the most frequent; the others are counted).
    static let namesListed = 500

    static func listFindings(_ report: LintReport, options: ReportOptions) -> FindingsList {
        var list = FindingsList(anchor: [String](repeating: "", count: report.findings.count))
        var bytes = 0
        var restIndex: [String: Int] = [:]
        for group in FindingGroup.make(report.findings) {
            if bytes < findingsBudget {
                let item = groupItem(report, group, options: options)
                bytes += item.utf8.count
                list.items.append(item)
                for k in group.members { list.anchor[k] = "finding-\(group.members[0] + 1)" }
                continue
            }
            let f = report.findings[group.members[0]]
            let key = f.severity.rawValue + " " + f.rule
            if restIndex[key] == nil {
                restIndex[key] = list.rest.count
                list.rest.append((f.rule, f.severity, [], 0))
            }
            let r = restIndex[key]!
            list.rest[r].members += group.members
            list.rest[r].kinds += 1
            for k in group.members { list.anchor[k] = "rest-\(r + 1)" }
        }
        return list
    }

    static func appendFindings(
        _ report: LintReport, _ list: FindingsList, to out: inout String, emit: (UnsafeRawBufferPointer) -> Void
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
        if list.items.count < listed {
            out += "<p>A finding repeated with the same rule, event, pointer and message (numbers aside) is "
            out += "listed once, with its count and first occurrences."
            if !list.rest.isEmpty {
                out += " To keep the page small, the findings after the first \(counted(list.items.count, "kind")) are "
                out += "summarised per rule (the JSON report lists every one)."
            }
            out += "</p>\n"
        }
        out += "<ol class=\"findings\">\n"
        for item in list.items {
            out += item
            drain(&out, to: emit)
        }
        for (n, r) in list.rest.enumerated() {
            out +=
                "<li class=\"finding sev-\(r.severity.rawValue) rest\" id=\"rest-\(n + 1)\" data-n=\"\(r.members.count)\">"
            out +=
                "<span class=\"sev\">\(r.severity.rawValue)</span> <a class=\"rule\" href=\"#rule-\(escape(r.rule))\">"
            out += "[\(escape(r.rule))]</a> <span class=\"count\">\u{00D7} \(r.members.count)</span> "
            out += "<span class=\"msg\">further findings (\(counted(r.kinds, "kind")))</span>"
            appendLocations(report, r.members[...], to: &out)
            out += "</li>\n"
            drain(&out, to: emit)
        }
        out += "</ol>\n</section>\n"
    }

    /// One group as a list item: its first finding in full, the count, the next occurrences in
    /// a disclosure, then the locations of the others.
    static func groupItem(_ report: LintReport, _ group: FindingGroup, options: ReportOptions) -> String {
        let f = report.findings[group.members[0]]
        var out = "<li class=\"finding sev-\(f.severity.rawValue)\" id=\"finding-\(group.members[0] + 1)\" "
        out += "data-n=\"\(group.members.count)\">"
        out += "<span class=\"loc\">\(escapeText(f.file)):\(f.line):\(f.column)</span> "
        out += "<span class=\"sev\">\(f.severity.rawValue)</span> "
        out += "<a class=\"rule\" href=\"#rule-\(escape(f.rule))\">[\(escapeText(f.rule))]</a> "
        if let event = f.event { out += "<span class=\"event\">\(escapeText(event))</span> " }
        if let stream = f.stream { out += "<span class=\"stream\">\(escapeText(stream))</span> " }
        out += "<span class=\"msg\">\(escapeText(f.message))</span>"
        if !f.pointer.isEmpty { out += " <span class=\"ptr\">at \(escapeText(f.pointer))</span>" }
        if group.members.count > 1 { out += " <span class=\"count\">\u{00D7} \(group.members.count)</span>" }
        appendExcerpt(f, to: &out)
        if group.members.count > 1 {
            out += "<details><summary>\(group.members.count - 1) more</summary>"
            for k in group.members.dropFirst().prefix(shownPerGroup - 1) {
                let g = report.findings[k]
                out += "<div class=\"occ\"><span class=\"loc\">\(escapeText(g.file)):\(g.line):\(g.column)</span>"
                if let stream = g.stream, stream != f.stream {
                    out += " <span class=\"stream\">\(escapeText(stream))</span>"
                }
                if g.message != f.message { out += " <span class=\"msg\">\(escapeText(g.message))</span>" }
                appendExcerpt(g, to: &out)
                out += "</div>"
            }
            appendLocations(report, group.members.dropFirst(shownPerGroup), to: &out)
            out += "</details>"
        }
        return out + "</li>\n"
    }

    /// "also at FILE: L, L, ...; FILE: L" for `members` (at most `locationsPerItem`).
    static func appendLocations(_ report: LintReport, _ members: ArraySlice<Int>, to out: inout String) {
        guard !members.isEmpty else { return }
        out += "<p class=\"also\">at "
        var file: String?
        for k in members.prefix(locationsPerItem) {
            let g = report.findings[k]
            if g.file != file {
                out += (file == nil ? "" : "; ") + escapeText(g.file) + ":"
                file = g.file
            } else {
                out += ","
            }
            out += " \(g.line)"
        }
        if members.count > locationsPerItem { out += "; and \(members.count - locationsPerItem) more" }
        out += "</p>"
    }

    /// The finding's source line, cut to `excerptWidth` columns around its column, the
    /// character at the column marked.
    static func appendExcerpt(_ f: ReportFinding, to out: inout String) {
        guard !f.sourceLine.isEmpty else { return }
        let excerpt = SourceExcerpt(f.sourceLine, cutBefore: f.sourceLineStart > 1, cutAfter: f.sourceLineTruncated)
        let column = excerpt.column(ofByte: f.column - f.sourceLineStart)
        let start = max(0, (column ?? 0) - excerptWidth / 3)
        guard let w = excerpt.cellWindow(from: start, width: excerptWidth) else { return }
        let marked = column.flatMap { $0 < excerpt.width ? excerpt.cell(atColumn: $0) : nil }
        out += "<pre class=\"src\">"
        if w.left { out += "…" }
        for i in w.cells {
            let text = escapeText(excerpt.cells[i].text)
            out += i == marked ? "<mark>" + text + "</mark>" : text
        }
        // A fault just past the end of the text (an object cut short).
        if let column, column == excerpt.width, !w.right { out += "<mark> </mark>" }
        if w.right { out += "…" }
        out += "</pre>"
    }

    // MARK: - Jobs

    /// The jobs of each stream (block jobs and generic jobs, named by `id` or `device`), one
    /// table per stream: the statuses each went through in order, its block-job events, when it
    /// was first and last seen, and the findings about its events.
    static func appendJobs(_ report: LintReport, _ layout: TimelineLayout, to out: inout String) {
        struct Job {
            var id: String
            var type: String?
            var statuses: [String] = []
            var events: [String] = []
            var first: EventTime?
            var last: EventTime?
            var count = 0
            var findings = 0
            var worst: Severity?
        }
        var tables: [(label: String, jobs: [Job])] = []
        for file in layout.files {
            for stream in file.streams {
                var jobs: [Job] = []
                var index: [String: Int] = [:]
                for entry in stream.entries {
                    guard let e = entry.event, e.name == "JOB_STATUS_CHANGE" || e.name.hasPrefix("BLOCK_JOB_") else {
                        continue
                    }
                    let data = dataMembers(e.data)
                    guard let id = e.name == "JOB_STATUS_CHANGE" ? data["id"] : (data["device"] ?? data["id"]) else {
                        continue
                    }
                    let j =
                        index[id]
                        ?? { () -> Int in
                            index[id] = jobs.count
                            jobs.append(Job(id: id))
                            return jobs.count - 1
                        }()
                    if jobs[j].type == nil { jobs[j].type = data["type"] }
                    if e.name == "JOB_STATUS_CHANGE" {
                        if let status = data["status"], jobs[j].statuses.last != status {
                            jobs[j].statuses.append(status)
                        }
                    } else {
                        let short = String(e.name.dropFirst("BLOCK_JOB_".count))
                        if jobs[j].events.last != short { jobs[j].events.append(short) }
                    }
                    if let t = e.time {
                        if jobs[j].first == nil { jobs[j].first = t }
                        jobs[j].last = t
                    }
                    jobs[j].count += 1
                    jobs[j].findings += entry.findings.count
                    for k in entry.findings {
                        jobs[j].worst = max(jobs[j].worst ?? report.findings[k].severity, report.findings[k].severity)
                    }
                }
                if !jobs.isEmpty { tables.append((file.path + " " + TimelineLayout.label(stream.name), jobs)) }
            }
        }
        out += "<section id=\"jobs\">\n<h2>Jobs</h2>\n"
        if tables.isEmpty {
            out += "<p>No job events\(report.timeline == nil ? " recorded" : "").</p>\n</section>\n"
            return
        }
        for (label, jobs) in tables {
            out += "<h3 class=\"stream-jobs\">\(escapeText(label))</h3>\n"
            out += "<table class=\"jobs\">\n<thead><tr><th>Job</th><th>Type</th><th>Statuses</th>"
            out +=
                "<th>Block-job events</th><th>Events</th><th>First</th><th>Last</th><th>Findings</th></tr></thead>\n<tbody>\n"
            for job in jobs {
                out += "<tr class=\"job\"><td>\(escapeText(job.id))</td><td>\(escapeText(job.type ?? ""))</td>"
                out += "<td>\(escapeText(job.statuses.joined(separator: " \u{2192} ")))</td>"
                out += "<td>\(escapeText(job.events.joined(separator: ", ")))</td><td>\(job.count)</td>"
                out += "<td>\(job.first.map { "<time>\($0.iso8601)</time>" } ?? "")</td>"
                out += "<td>\(job.last.map { "<time>\($0.iso8601)</time>" } ?? "")</td>"
                let cls = job.worst.map { " class=\"sev-\($0.rawValue)\"" } ?? ""
                out += "<td\(cls)>\(job.findings)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"
    }

    /// The `key=value` pairs of an event's data summary (`ReportEvent.data`), quotes removed.
    static func dataMembers(_ summary: String?) -> [String: String] {
        guard let summary else { return [:] }
        var out: [String: String] = [:]
        var rest = Substring(summary)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let key = String(rest[..<eq])
            rest = rest[rest.index(after: eq)...]
            var value: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                let end = body.firstIndex(of: "\"") ?? body.endIndex
                value = body[..<end]
                rest = end < body.endIndex ? body[body.index(after: end)...] : body[end...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = rest[..<end]
                rest = rest[end...]
            }
            if out[key] == nil { out[key] = String(value) }
        }
        return out
    }

    // MARK: - Escaping and style

    /// Log text made inert in element content: `&`, `<`, `>` as entities (quotes need none
    /// there: JSON lines stay a third of the size), control and reordering characters as
    /// visible escapes.
    static func escapeText(_ s: String) -> String {
        var out = ""
        appendReplacing(s, to: &out) { scalar in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            default: return DisplayText.needsEscape(scalar) ? DisplayText.visibleEscape(scalar) : nil
            }
        }
        return out
    }

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
        pre.src mark { background: #ffd24d; color: inherit; }
        .count { font-weight: bold; color: #555; }
        details { margin: .2em 0 0 1em; } summary { cursor: pointer; color: #555; }
        .occ { margin: .2em 0; } p.also { margin: .2em 0; font: 12px ui-monospace, monospace; color: #555; }
        a.rule { color: inherit; }
        h3.stream-jobs { font: 600 13px ui-monospace, monospace; margin: 1em 0 .3em; }
        table.jobs td:nth-child(-n+4), table.jobs th:nth-child(-n+4) { text-align: left; }
        #files table.markers td:last-child, #files table.markers th:last-child { text-align: left; }
        .version { display: block; color: #555; }
        input.filter { position: absolute; opacity: 0; width: 1px; height: 1px; }
        p.filters label { cursor: pointer; margin-right: 1em; user-select: none; }
        p.filters label::before { content: "\u{2610}\u{00A0}"; }
        #show-error:checked ~ main label[for="show-error"]::before,
        #show-warning:checked ~ main label[for="show-warning"]::before,
        #show-note:checked ~ main label[for="show-note"]::before { content: "\u{2611}\u{00A0}"; }
        #show-error:focus-visible ~ main label[for="show-error"],
        #show-warning:focus-visible ~ main label[for="show-warning"],
        #show-note:focus-visible ~ main label[for="show-note"] { outline: 2px solid #3a6ea5; }
        #show-error:not(:checked) ~ main .finding.sev-error,
        #show-error:not(:checked) ~ main .fm.sev-error,
        #show-warning:not(:checked) ~ main .finding.sev-warning,
        #show-warning:not(:checked) ~ main .fm.sev-warning,
        #show-note:not(:checked) ~ main .finding.sev-note,
        #show-note:not(:checked) ~ main .fm.sev-note { display: none; }

        """
}
