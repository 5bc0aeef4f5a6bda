/// A chronological post-mortem view (`--format timeline`): per file, per stream (a libvirt
/// `mon=0x...`, a virsh domain, a session of a transcript), one line per event in the order
/// QEMU sent them - time (UTC) or `no timestamp`, name, `file:line`, a short view of its data -
/// with the findings about each event right under it (`  ^ error: message [rule]`). The text
/// summary follows.
///
/// Events are in text order within their stream (the order they arrived), so a timestamp that
/// goes back shows where it happened, next to its `timestamp-regression` finding. Everything
/// copied from logs is shown through `DisplayText.escaped`, as in the text format.
public enum TimelineReporter: StreamingReporter {
    public static let identifier = "timeline"
    public static let description = "events per stream in arrival order, findings under their event"
    public static let fileExtension = "txt"
    public static let needsEvents = true

    /// Width of the time column (`2025-06-02T08:14:01.010000Z`).
    static let timeWidth = 27
    /// Names longer than this push the location right instead of widening every line.
    static let maxNameWidth = 32

    /// Writes the timeline in pieces of about 256 KiB (200,000 events are not held as one text).
    public static func write(
        _ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void
    ) {
        let style = TextReporter.Style(enabled: options.color)
        let layout = TimelineLayout(report)
        var nameWidth = 0
        for file in layout.files {
            for stream in file.streams {
                for entry in stream.entries {
                    let name =
                        entry.event.map(\.name) ?? TimelineLayout.standIn(for: report.findings[entry.findings[0]])
                    nameWidth = max(nameWidth, min(maxNameWidth, TextReporter.displayWidth(DisplayText.escaped(name))))
                }
            }
        }
        var out = style.bold("Timeline") + ": " + counted(layout.recordedEvents, "event") + " in "
        out += counted(layout.streamCount, "stream") + " of " + counted(layout.files.count, "file") + "\n"
        if let omitted = report.timeline.map(\.omitted), omitted > 0 {
            out += "(\(counted(omitted, "further event")) not shown: at most \(report.timeline!.cap) are recorded)\n"
        } else if report.timeline == nil && report.summary.events > 0 {
            out += "(events were not recorded for this report, only counted: findings are shown by line)\n"
        }
        for file in layout.files {
            if let reason = file.summary?.readError {
                out += "\n" + style.bold(DisplayText.escaped(file.path)) + ": "
                out += style.severity(.error, "error") + ": cannot read: " + DisplayText.escaped(reason) + "\n"
            }
            for stream in file.streams {
                out +=
                    "\n"
                    + style.bold(
                        "== " + DisplayText.escaped(file.path) + ": "
                            + DisplayText.escaped(TimelineLayout.label(stream.name)))
                out += " (" + counted(stream.events, "event") + ", " + counted(stream.findings, "finding") + ")\n"
                for entry in stream.entries {
                    appendEntry(entry, file: file.path, report: report, nameWidth: nameWidth, style: style, to: &out)
                    drain(&out, to: emit)
                }
            }
        }
        out += "\n"
        TextReporter.appendSummary(
            report, style: style, readErrorsShown: true, minimumSeverity: options.minimumSeverity, to: &out)
        drain(&out, to: emit, atLeast: 0)
    }

    static func appendEntry(
        _ entry: TimelineLayout.Entry, file: String, report: LintReport, nameWidth: Int,
        style: TextReporter.Style, to out: inout String
    ) {
        let time: String
        let name: String
        if let e = entry.event {
            time = e.time?.iso8601 ?? "no timestamp"
            name = DisplayText.escaped(e.name)
        } else {
            time = "-"
            name = DisplayText.escaped(TimelineLayout.standIn(for: report.findings[entry.findings[0]]))
        }
        out += time + String(repeating: " ", count: max(0, timeWidth - time.utf8.count)) + "  "
        out += name + String(repeating: " ", count: max(0, nameWidth - TextReporter.displayWidth(name))) + "  "
        out += DisplayText.escaped(file) + ":\(entry.line)"
        if let data = entry.event?.data { out += "  " + DisplayText.escaped(data) }
        out += "\n"
        for k in entry.findings {
            let f = report.findings[k]
            out += "  " + style.severity(f.severity, "^ " + f.severity.rawValue) + ": " + DisplayText.escaped(f.message)
            out += " [" + DisplayText.escaped(f.rule) + "]"
            if f.line != entry.line { out += " (line \(f.line))" }
            out += "\n"
        }
    }
}
