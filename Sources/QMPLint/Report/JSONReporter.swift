/// The machine-readable report (`--format json`): one pretty-printed object with a fixed key
/// order, documented by `Fixtures/report/report.schema.json` and versioned by `reportVersion`.
///
/// Maps (`eventsByName`, `invalidByName`, `malformedByName`, `commandsByName`, `findingsByRule`, `dialects`) have
/// sorted keys; absent values are `null`; times are UTC ISO 8601 strings with microseconds.
public enum JSONReporter: StreamingReporter {
    public static let identifier = "json"
    public static let description = "one JSON document: summary, files and findings"
    public static let fileExtension = "json"

    /// Streams the report in pieces of about 256 KiB: memory stays flat however many findings.
    public static func write(_ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void) {
        var w = ReportJSONWriter(pretty: true)
        let piece = 256 << 10
        w.reserveCapacity(piece + 4096)
        w.beginObject()
        w.member("reportVersion", LintReport.reportVersion)
        w.key("tool")
        w.beginObject()
        w.member("name", report.toolName)
        w.member("version", report.toolVersion)
        w.endObject()
        w.key("schema")
        writeSchema(report.schema, to: &w)
        w.key("summary")
        writeSummary(report.summary, to: &w)
        w.key("files")
        w.beginArray()
        for file in report.files {
            writeFile(file, to: &w)
            if w.count >= piece { w.drain(emit) }
        }
        w.endArray()
        w.key("findings")
        w.beginArray()
        for finding in report.findings {
            writeFinding(finding, url: options.ruleURL(finding.rule), to: &w)
            if w.count >= piece { w.drain(emit) }
        }
        w.endArray()
        w.endObject()
        w.newline()
        w.drain(emit)
    }

    static func writeSchema(_ schema: SchemaChoice?, to w: inout ReportJSONWriter) {
        guard let schema else { return w.null() }
        w.beginObject()
        w.member("name", schema.name)
        w.member("reason", schema.reason)
        w.endObject()
    }

    static func writeSummary(_ s: ReportSummary, to w: inout ReportJSONWriter) {
        w.beginObject()
        w.member("files", s.files)
        w.member("bytes", s.bytes)
        w.member("lines", s.lines)
        w.member("events", s.events)
        w.member("malformed", s.malformed)
        w.member("eventsByName", sortedCounts: s.eventsByName.mapValues { $0.total })
        w.member("invalidByName", sortedCounts: s.eventsByName.mapValues { $0.invalid })
        w.member("malformedByName", sortedCounts: s.eventsByName.mapValues { $0.malformed })
        w.member("invalidEvents", s.invalidEvents)
        writeMessageCounts(commands: s.commands, replies: s.replies, errorReplies: s.errorReplies,
                           greetings: s.greetings, echoes: s.echoes, byName: s.commandsByName, to: &w)
        w.key("markers")
        writeMarkers(s.markers, to: &w)
        w.member("findingsByRule", sortedCounts: s.findingsByRule)
        w.member("errors", s.errors)
        w.member("warnings", s.warnings)
        w.member("notes", s.notes)
        w.member("unreadableFiles", s.unreadableFiles)
        w.member("firstEvent", s.firstEvent?.iso8601)
        w.member("lastEvent", s.lastEvent?.iso8601)
        w.endObject()
    }

    static func writeFile(_ f: FileSummary, to w: inout ReportJSONWriter) {
        w.beginObject()
        w.member("path", f.path)
        w.member("bytes", f.bytes)
        w.member("lines", f.lines)
        w.member("events", f.events)
        w.member("malformed", f.malformed)
        w.member("invalidEvents", f.invalidEvents)
        writeMessageCounts(commands: f.commands, replies: f.replies, errorReplies: f.errorReplies,
                           greetings: f.greetings, echoes: f.echoes, byName: f.commandsByName, to: &w)
        w.key("markers")
        writeMarkers(f.markers, to: &w)
        w.member("dialects", sortedCounts: f.dialects)
        w.member("errors", f.errors)
        w.member("warnings", f.warnings)
        w.member("notes", f.notes)
        w.key("schema")
        writeSchema(f.schema, to: &w)
        w.key("versions")
        w.beginArray()
        for v in f.versions { writeVersion(v, to: &w) }
        w.endArray()
        w.member("readError", f.readError)
        w.endObject()
    }

    /// Commands, replies, error replies, greetings, echoes, then `commandsByName`
    /// (`{name: {count, errors, invalid}}`, sorted by name): the same members in the summary and
    /// in each file.
    static func writeMessageCounts(commands: Int, replies: Int, errorReplies: Int, greetings: Int, echoes: Int,
                                   byName: [String: CommandCount], to w: inout ReportJSONWriter) {
        w.member("commands", commands)
        w.member("replies", replies)
        w.member("errorReplies", errorReplies)
        w.member("greetings", greetings)
        w.member("echoes", echoes)
        w.key("commandsByName")
        w.beginObject()
        for name in byName.keys.sorted() {
            let c = byName[name]!
            w.key(name)
            w.beginObject()
            w.member("count", c.total)
            w.member("errors", c.errors)
            w.member("invalid", c.invalid)
            w.endObject()
        }
        w.endObject()
    }

    /// The five buckets every event marker ends in.
    static func writeMarkers(_ m: MarkerCounts, to w: inout ReportJSONWriter) {
        w.beginObject()
        w.member("events", m.events)
        w.member("malformed", m.malformed)
        w.member("echoes", m.echoes)
        w.member("notEvents", m.notEvents)
        w.member("unparsed", m.unparsed)
        w.endObject()
    }

    /// One stream's inferred release (`StreamVersion`).
    static func writeVersion(_ v: StreamVersion, to w: inout ReportJSONWriter) {
        w.beginObject()
        w.member("stream", v.stream)
        w.key("fits")
        w.beginArray()
        for range in v.fits { w.string(range) }
        w.endArray()
        w.member("chosen", v.chosen)
        w.member("evidence", v.evidence)
        w.member("weighed", v.weighed)
        w.member("misfits", v.misfits)
        w.endObject()
    }

    /// One finding; `url`: its rule's page, when the report links rules to their pages.
    static func writeFinding(_ f: ReportFinding, url: String?, to w: inout ReportJSONWriter) {
        w.beginObject()
        w.member("file", f.file)
        w.member("line", f.line)
        w.member("column", f.column)
        w.member("eventLine", f.eventLine)
        w.member("kind", f.kind?.rawValue)
        w.member("event", f.event)
        w.member("rule", f.rule)
        w.member("severity", f.severity.rawValue)
        w.member("message", f.message)
        w.member("pointer", f.pointer)
        w.member("stream", f.stream)
        w.member("eventHash", f.eventHash)
        if let url { w.member("url", url) }
        w.endObject()
    }
}
