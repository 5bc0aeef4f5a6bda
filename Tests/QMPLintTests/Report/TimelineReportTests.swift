import Foundation
import Testing

@testable import QMPLint

/// Runs the pipeline for the formats that show events.
enum TimelineRun {
    /// A scratch folder, removed by the caller.
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "qmp-lint-timeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The report of `paths` as the pipeline assembles it.
    static func report(
        _ paths: [String], jobs: Int, split: Int = 8 << 20, budget: EventBudget? = EventBudget()
    ) -> LintReport {
        var linter = Linter(jobs: jobs, selector: SchemaSelectingProvider(fixed: nil))
        linter.eventBudget = budget
        linter.geometry = ChunkGeometry(size: split)
        return linter.run(InputDiscovery().discover(paths)).report
    }

    /// The bytes of each `format` written by one `LintRunner` run.
    static func rendered(
        _ paths: [String], formats: [String], jobs: Int, split: Int = 8 << 20, cap: Int = EventTimeline.defaultCap
    ) throws -> [String: [UInt8]] {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = LintSettings()
        s.paths = paths
        s.format = ReportFormat(rawValue: formats[0])!
        s.output = dir.appendingPathComponent("0").path
        s.reports = formats.dropFirst().enumerated().map {
            (ReportFormat(rawValue: $0.element)!, dir.appendingPathComponent("\($0.offset + 1)").path)
        }
        s.jobs = jobs
        s.chunkGeometry = ChunkGeometry(size: split)
        s.maxTimelineEvents = cap
        s.progress = false
        s.quiet = true
        _ = LintRunner.runWritingFiles(s)
        var out: [String: [UInt8]] = [:]
        for (i, f) in formats.enumerated() {
            out[f] = Array(try Data(contentsOf: dir.appendingPathComponent("\(i)")))
        }
        return out
    }

    /// A log of about `blocks` x 8 events over two libvirt monitors, a virsh domain and a raw
    /// QMP session, with a timestamp regression, a bad job transition and a malformed event in
    /// each block.
    static func mixedLog(blocks: Int) -> String {
        var text = ""
        for b in 0..<blocks {
            let s = 1_748_852_000 + b * 10
            let job = "job\(b)"
            let lv =
                "2025-06-02 08:14:00.001+0000: 4411: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT:"
            text +=
                "\(lv) mon=0x7f3a1c00a2b0 event={\"timestamp\": {\"seconds\": \(s), \"microseconds\": 1}, \"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"status\": \"created\", \"id\": \"\(job)\"}}\n"
            text +=
                "\(lv) mon=0x7f3a1c00c940 event={\"timestamp\": {\"seconds\": \(s + 1), \"microseconds\": 2}, \"event\": \"STOP\"}\n"
            text +=
                "\(lv) mon=0x7f3a1c00a2b0 event={\"timestamp\": {\"seconds\": \(s + 2), \"microseconds\": 3}, \"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"status\": \"concluded\", \"id\": \"\(job)\"}}\n"
            text += "event RESUME at \(s + 3).000004 for domain 'vm1': <null>\n"
            text +=
                "{\"timestamp\": {\"seconds\": \(s + 4), \"microseconds\": 5}, \"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 1, \"qom-path\": \"/machine/rtc\"}}\n"
            text +=
                "{\"timestamp\": {\"seconds\": \(s + 3), \"microseconds\": 6}, \"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 2, \"qom-path\": \"/machine/rtc\"}}\n"
            text += "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": tru\n"
            text +=
                "\(lv) mon=0x7f3a1c00c940 event={\"timestamp\": {\"seconds\": \(s + 5), \"microseconds\": 7}, \"event\": \"RESUME\"}\n"
            text += "some unrelated log line \(b)\n"
        }
        return text
    }
}

@Suite struct TimelineRecordingTests {
    @Test func countsOnlyUnlessAFormatShowsEvents() throws {
        let path = TestPaths.fixture("examples/host-incident.log")
        let plain = TimelineRun.report([path], jobs: 1, budget: nil)
        #expect(plain.timeline == nil)
        let recorded = try #require(TimelineRun.report([path], jobs: 1).timeline)
        #expect(recorded.events.count == plain.summary.events)
        #expect(recorded.omitted == 0)
        #expect(recorded.events.map(\.line) == [1, 2, 3, 4, 5, 6, 7])
        #expect(recorded.events[5].name == "GUEST_PANICKED" && recorded.events[5].time == nil)
        #expect(recorded.events[4].stream == "domain web-01")
        #expect(recorded.events[0].stream == "mon=0x7f3a1c00a2b0")
        #expect(Reporters.all.filter { $0.needsEvents }.map { $0.identifier } == ["timeline", "html"])
    }

    @Test func splitRangesRecordWhatOneRangeRecords() throws {
        let dir = try TimelineRun.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mixed.log").path
        try Data(TimelineRun.mixedLog(blocks: 500).utf8).write(to: URL(fileURLWithPath: path))
        let whole = TimelineRun.report([path], jobs: 1)
        let split = TimelineRun.report([path], jobs: 4, split: 64 << 10)
        #expect(whole.timeline?.events.count == whole.summary.events)
        #expect(whole.timeline == split.timeline)
        #expect(whole.findings == split.findings)
        // Streams are named across the cuts as in one piece.
        let streams = Set(whole.timeline?.events.compactMap(\.stream) ?? [])
        #expect(streams == ["mon=0x7f3a1c00a2b0", "mon=0x7f3a1c00c940", "domain vm1", "session 1"])
    }

    @Test(arguments: [1, 2, 4])
    func theCapKeepsTheFirstEventsInRunOrder(jobs: Int) throws {
        let dir = try TimelineRun.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["a.log", "b.log"] {
            try Data(TimelineRun.mixedLog(blocks: 400).utf8).write(to: dir.appendingPathComponent(name))
        }
        let all = try #require(TimelineRun.report([dir.path], jobs: 1).timeline)
        let capped = try #require(
            TimelineRun.report([dir.path], jobs: jobs, split: 32 << 10, budget: EventBudget(cap: 2000)).timeline)
        #expect(capped.events.count == 2000)
        #expect(capped.omitted == all.events.count - 2000)
        #expect(capped.events == Array(all.events.prefix(2000)))
    }

    @Test func dataSummaryIsShortAndInTextOrder() {
        func summary(_ json: String) -> String? {
            var tape = JSONTape()
            let bytes = Array(json.utf8)
            return bytes.withUnsafeBytes { b -> String? in
                guard case .success = JSONParser.parseDocument(b, into: &tape) else { return "not JSON" }
                return EventDataSummary.make(0, tape)  // node 0 is the root
            }
        }
        #expect(
            summary(#"{"status": "running", "id": "job 0", "n": -3, "ok": true, "o": {"a": 1}, "l": [1, 2], "e": ""}"#)
                == #"status=running id="job 0" n=-3 ok=true o={…} l=[2] e="""#)
        #expect(summary("{}") == nil)
        #expect(summary("[1]") == nil)
        let long = String(repeating: "x", count: 100)
        #expect(summary(#"{"k": "\#(long)"}"#) == "k=" + String(repeating: "x", count: 39) + "…")
        let many = (0..<50).map { #""m\#($0)": \#($0)"# }.joined(separator: ", ")
        let cut = summary("{" + many + "}") ?? ""
        #expect(cut.hasPrefix("m0=0 m1=1 ") && cut.hasSuffix("…") && cut.count == EventDataSummary.totalLimit + 1)
    }

    @Test func budgetStopsOnlyWhatCannotBeKept() {
        let budget = EventBudget(cap: 10)
        #expect(budget.mayRecord(item: 1, recorded: 0))
        budget.finish(item: 2, recorded: 10)  // a later item does not limit an earlier one
        #expect(budget.mayRecord(item: 1, recorded: 9))
        #expect(!budget.mayRecord(item: 1, recorded: 10))
        budget.finish(item: 0, recorded: 7)
        #expect(budget.mayRecord(item: 1, recorded: 2))
        #expect(!budget.mayRecord(item: 1, recorded: 3))
        budget.finish(item: 1, recorded: 1)  // items 0-2 done: 18 recorded before item 3
        #expect(!budget.mayRecord(item: 3, recorded: 0))
        // Finished out of order: only the items before count.
        let b = EventBudget(cap: 10)
        b.finish(item: 0, recorded: 4)
        b.finish(item: 2, recorded: 5)
        b.finish(item: 5, recorded: 9)
        #expect(b.mayRecord(item: 1, recorded: 5))
        #expect(!b.mayRecord(item: 1, recorded: 6))
        #expect(b.mayRecord(item: 3, recorded: 0))
        #expect(!b.mayRecord(item: 3, recorded: 1))
        #expect(!b.mayRecord(item: 6, recorded: 0))
    }
}

@Suite struct TimelineFormatTests {
    /// Log text made to break out of HTML and terminals: markup in a virsh domain name, an
    /// event name with markup, an OSC title sequence, BEL and a right-to-left override, a
    /// terminal escape before an event, quotes and ampersands in members, a malformed event.
    static let hostileLog =
        "event STOP at 1698405797.422823 for domain '<script>alert(\"x\")</script>\u{1B}[2J': <null>\n"
        + "{\"timestamp\": {\"seconds\": 1698405798, \"microseconds\": 5}, \"event\": "
        + "\"<img src=x onerror=alert(1)>\\u001b]0;t\\u0007\\u202e'\\\"\", \"data\": {\"a\": \"\\u001b[31m\"}}\n"
        + "\u{1B}[31m{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1698405799, \"microseconds\": 1}, "
        + "\"data\": {\"x&y\": \"'q'\"}}\u{7F}\u{9B}\n"
        + "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": tru\n"

    static func hostileOutputs() throws -> [String: String] {
        let dir = try TimelineRun.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("<b>\"hostile\" & 'log'.log").path
        try Data(hostileLog.utf8).write(to: URL(fileURLWithPath: path))
        let out = try TimelineRun.rendered([path], formats: ["html", "timeline"], jobs: 1)
        return out.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    @Test func htmlEscapesEverythingFromLogs() throws {
        let html = try #require(try Self.hostileOutputs()["html"])
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>\"hostile"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\x1b[2J"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;\\x1b]0;t\\x07\\u{202e}&#39;&quot;"))
        #expect(html.contains("&lt;b&gt;&quot;hostile&quot; &amp; &#39;log&#39;.log"))
        #expect(html.contains("x&amp;y"))
        // No raw control, separator or reordering character: only the page's own newlines.
        #expect(
            !html.unicodeScalars.contains {
                ($0.value < 0x20 && $0 != "\n") || DisplayText.needsEscape($0) && $0 != "\n"
            })
        // Every tag is one of the page's own.
        let tags = Set(
            html.split(separator: "<").dropFirst().map {
                $0.prefix { $0.isLetter || $0.isNumber || $0 == "/" || $0 == "!" }
            })
        let own: Set<Substring> = [
            "!DOCTYPE", "html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style", "body", "/body",
            "h1", "/h1", "h2", "/h2", "p", "/p", "b", "/b", "span", "/span", "time", "/time", "section", "/section",
            "svg", "/svg", "line", "text", "/text", "g", "/g", "rect", "/rect", "a", "/a", "table", "/table", "thead",
            "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "ol", "/ol", "li", "/li", "pre", "/pre",
            "main", "/main", "input", "label", "/label", "mark", "/mark", "details", "/details", "summary", "/summary",
            "div", "/div", "h3", "/h3", "ul", "/ul",
        ]
        #expect(tags.subtracting(own).isEmpty, "unexpected tags: \(tags.subtracting(own))")
        #expect(html.contains("<body data-events=\"3\" data-events-shown=\"3\" data-findings=\"3\""))
    }

    @Test func timelineEscapesLikeTheTextFormat() throws {
        let text = try #require(try Self.hostileOutputs()["timeline"])
        #expect(!text.unicodeScalars.contains { $0 != "\n" && DisplayText.needsEscape($0) })
        #expect(text.contains(": domain <script>alert(\"x\")</script>\\x1b[2J (1 event, 0 findings)"))
        #expect(text.contains("<img src=x onerror=alert(1)>\\x1b]0;t\\x07\\u{202e}'\""))
        #expect(text.contains("SHUTDOWN (malformed text)"))
    }

    @Test(arguments: [2, 4])
    func sameBytesWhateverTheJobs(jobs: Int) throws {
        let dir = try TimelineRun.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(TimelineRun.mixedLog(blocks: 500).utf8).write(to: dir.appendingPathComponent("big.log"))
        try Data(TimelineRun.mixedLog(blocks: 20).utf8).write(to: dir.appendingPathComponent("small.log"))
        let formats = ["timeline", "html", "json"]
        let one = try TimelineRun.rendered([dir.path], formats: formats, jobs: 1)
        let many = try TimelineRun.rendered([dir.path], formats: formats, jobs: jobs, split: 48 << 10)
        for f in formats { #expect(one[f] == many[f], "\(f) differs between --jobs 1 and --jobs \(jobs)") }
        // And when the cap cuts the big file short.
        let cappedOne = try TimelineRun.rendered([dir.path], formats: ["timeline", "html"], jobs: 1, cap: 1000)
        let cappedMany = try TimelineRun.rendered(
            [dir.path], formats: ["timeline", "html"], jobs: jobs, split: 48 << 10, cap: 1000)
        #expect(cappedOne == cappedMany)
        let text = String(decoding: cappedOne["timeline"] ?? [], as: UTF8.self)
        #expect(text.contains("further events not shown: at most 1000 are recorded"))
    }

    @Test func everyFindingMarkLinksToAListedFinding() {
        let html = HTMLReporter.render(ReportFixtures.report, options: ReportFixtures.options)
        let ids = Set(html.components(separatedBy: "id=\"finding-").dropFirst().map { $0.prefix { $0.isNumber } })
        let links = html.components(separatedBy: "href=\"#finding-").dropFirst().map { $0.prefix { $0.isNumber } }
        // Each list item stands for `data-n` findings (repeated ones are grouped).
        let items = html.components(separatedBy: "<li class=\"finding ").dropFirst().compactMap {
            Int($0.components(separatedBy: "data-n=\"").dropFirst().first?.prefix { $0.isNumber } ?? "")
        }
        #expect(items.reduce(0, +) == ReportFixtures.report.findings.count)
        #expect(ids.count == items.count)
        #expect(!links.isEmpty)
        #expect(links.allSatisfy { ids.contains($0) })
        let marks = html.components(separatedBy: "<rect class=\"ev").dropFirst()
        let shown = marks.compactMap {
            Int($0.components(separatedBy: "data-n=\"").dropFirst().first?.prefix { $0.isNumber } ?? "")
        }
        #expect(shown.reduce(0, +) == 12)
    }
}
