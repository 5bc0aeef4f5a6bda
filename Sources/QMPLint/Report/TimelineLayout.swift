/// The events and findings of a report arranged by stream, for the formats that show events
/// (`timeline`, `html`): files in report order; in each file its streams in order of first
/// appearance; in each stream its entries in text order.
///
/// An entry is a recorded event with the findings that concern it (matched on file, the line
/// where the event starts and the event name; two events of the same name starting on one line
/// share the first one's entry), or a finding no recorded event matches (malformed text, a
/// device_del command, an event past the recording cap), placed by its line.
struct TimelineLayout {
    struct Entry {
        /// Nil: a finding without a recorded event.
        var event: ReportEvent?
        var line: Int
        /// Indices into `LintReport.findings`, in report order.
        var findings: [Int]
    }

    struct Stream {
        var file: String
        /// Nil: findings outside any stream (malformed text).
        var name: String?
        var entries: [Entry]
        var events = 0
        var findings = 0
    }

    struct FileGroup {
        var path: String
        var summary: FileSummary?
        var streams: [Stream]
    }

    var files: [FileGroup] = []
    /// Recorded events (those in `LintReport.timeline`).
    var recordedEvents = 0
    var streamCount = 0

    init(_ report: LintReport) {
        let events = report.timeline?.events ?? []
        recordedEvents = events.count
        var byFile: [String: Range<Int>] = [:]
        var fileOrder: [String] = []
        var i = 0
        while i < events.count {
            var j = i + 1
            while j < events.count && events[j].file == events[i].file { j += 1 }
            if byFile[events[i].file] == nil { fileOrder.append(events[i].file) }
            byFile[events[i].file] = i..<j
            i = j
        }
        var findingsByFile: [String: [Int]] = [:]
        for (k, f) in report.findings.enumerated() { findingsByFile[f.file, default: []].append(k) }

        var seen = Set<String>()
        var paths: [(String, FileSummary?)] = []
        for f in report.files where seen.insert(f.path).inserted { paths.append((f.path, f)) }
        for p in fileOrder where seen.insert(p).inserted { paths.append((p, nil)) }
        for p in findingsByFile.keys.sorted() where seen.insert(p).inserted { paths.append((p, nil)) }

        for (path, summary) in paths {
            var streams: [Stream] = []
            var streamIndex: [String?: Int] = [:]
            func stream(_ name: String?) -> Int {
                if let s = streamIndex[name] { return s }
                streams.append(Stream(file: path, name: name, entries: []))
                streamIndex[name] = streams.count - 1
                return streams.count - 1
            }
            struct EventKey: Hashable {
                var line: Int
                var name: String
            }
            var located: [EventKey: (stream: Int, entry: Int)] = [:]
            for e in events[byFile[path] ?? 0..<0] {
                let s = stream(e.stream)
                streams[s].entries.append(Entry(event: e, line: e.line, findings: []))
                streams[s].events += 1
                let key = EventKey(line: e.line, name: e.name)
                if located[key] == nil { located[key] = (s, streams[s].entries.count - 1) }
            }
            var unmatched: Set<Int> = []
            for k in findingsByFile[path] ?? [] {
                let f = report.findings[k]
                if let name = f.event, let at = located[EventKey(line: f.eventLine, name: name)] {
                    streams[at.stream].entries[at.entry].findings.append(k)
                    streams[at.stream].findings += 1
                } else {
                    let s = stream(f.stream)
                    streams[s].entries.append(Entry(event: nil, line: f.eventLine, findings: [k]))
                    streams[s].findings += 1
                    unmatched.insert(s)
                }
            }
            for s in unmatched {
                // Stable: events before findings-only entries of the same line.
                streams[s].entries = streams[s].entries.enumerated().sorted { a, b in
                    a.element.line != b.element.line ? a.element.line < b.element.line : a.offset < b.offset
                }.map(\.element)
            }
            streamCount += streams.count
            files.append(FileGroup(path: path, summary: summary, streams: streams))
        }
    }

    /// How a stream is named in headers and row labels.
    static func label(_ name: String?) -> String { name ?? "no stream" }

    /// What stands in the place of the event name for an entry without a recorded event.
    static func standIn(for finding: ReportFinding) -> String {
        if finding.rule == MalformedJSONRule.description.id {
            return (finding.event.map { $0 + " " } ?? "") + "(malformed text)"
        }
        if let name = finding.event { return name + " (event not recorded)" }
        return "(not an event)"
    }
}
