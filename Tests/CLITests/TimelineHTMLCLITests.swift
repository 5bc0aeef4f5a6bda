import Foundation
import Testing

/// The timeline and html formats through the binary: golden files over the stream fixtures and
/// the README's example, and the HTML report as a real browser renders it.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct TimelineHTMLCLITests {
    static let updating = ProcessInfo.processInfo.environment["QMPLINT_UPDATE_GOLDEN"] == "1"
    static let inputs = ["Fixtures/streams", "Fixtures/examples/host-incident.log"]

    /// `Fixtures/report/golden/<format>-fixtures.<ext>`; `QMPLINT_UPDATE_GOLDEN=1` rewrites it.
    @Test(arguments: [("timeline", "txt"), ("html", "html")])
    func matchesGoldenFile(format: String, ext: String) throws {
        let r = try CLI.run(["--format", format, "--jobs", "1"] + Self.inputs)
        #expect(r.status == 1, "\(r.stderr)")
        let golden = CLI.root.appendingPathComponent("Fixtures/report/golden/\(format)-fixtures.\(ext)")
        if Self.updating {
            try Data(r.stdout.utf8).write(to: golden)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(r.stdout == expected, "\(golden.lastPathComponent) differs (QMPLINT_UPDATE_GOLDEN=1 to regenerate)")
    }

    /// The README's excerpt is the beginning of what the command it names prints.
    @Test func readmeExcerptIsRealOutput() throws {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- timeline-example:begin -->\n```text\n"))
        let end = try #require(
            readme.range(of: "```\n<!-- timeline-example:end -->", range: begin.upperBound..<readme.endIndex))
        let excerpt = String(readme[begin.upperBound..<end.lowerBound])
        let r = try CLI.run(["--format", "timeline", "Fixtures/streams/job-illegal-transition.log"])
        #expect(r.status == 0)  // job-transition is a warning
        #expect(r.stdout.hasPrefix(excerpt), "README timeline excerpt is not what qmp-lint prints:\n\(r.stdout)")
    }

    @Test func extraReportsAndJobsGiveTheSameBytes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-timeline-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [[Data]] = []
        for jobs in ["1", "2"] {
            let html = dir.appendingPathComponent("r\(jobs).html").path
            let timeline = dir.appendingPathComponent("r\(jobs).txt").path
            let r = try CLI.run(
                ["--jobs", jobs, "--format", "json", "--report", "html=\(html)", "--report", "timeline=\(timeline)"]
                    + Self.inputs)
            #expect(r.status == 1, "\(r.stderr)")
            outputs.append(
                [Data(r.stdout.utf8)] + [html, timeline].map { FileManager.default.contents(atPath: $0) ?? Data() })
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].allSatisfy { !$0.isEmpty })
    }
}

/// A headless Chromium, when installed (Debian: `apt-get install chromium`).
enum Chromium {
    /// The corpus the browser test renders.
    static let iotests = CLI.root.deletingLastPathComponent().appendingPathComponent(
        "shared/corpus/transcripts/qemu-iotests")

    static var path: String? {
        if let p = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs it headless on `args` with a private profile; gives up after `timeout` seconds.
    static func run(_ args: [String], profile: URL, timeout: TimeInterval = 120) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path!)
        p.arguments =
            ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--user-data-dir=\(profile.path)"] + args
        // Standard error goes to a file, standard output is read as it comes (a full pipe would stall it).
        let errFile = profile.deletingLastPathComponent().appendingPathComponent("chromium-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let errHandle = try FileHandle(forWritingTo: errFile)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = errHandle
        try p.run()
        let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        try errHandle.close()
        let errData = (try? Data(contentsOf: errFile)) ?? Data()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// The HTML report of the qemu-iotests transcripts rendered by a real browser: the events and
/// findings its DOM shows are the JSON report's, the page logs nothing to the console (no
/// script error, no blocked load: its Content-Security-Policy forbids every fetch and script),
/// and a screenshot is taken (`QMPLINT_UPDATE_SCREENSHOT=1` stores it as the README's image).
@Suite(
    .enabled(if: CLI.available, "build qmp-lint first (swift build)"),
    .enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install chromium): browser test skipped"),
    .enabled(
        if: FileManager.default.fileExists(atPath: Chromium.iotests.path),
        "../shared/corpus/transcripts/qemu-iotests is absent: browser test skipped"))
struct BrowserTests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    static func attribute(_ name: String, of tag: String, in dom: String) -> Int? {
        guard let start = dom.range(of: "<" + tag),
            let end = dom.range(of: ">", range: start.upperBound..<dom.endIndex),
            let a = dom.range(of: " \(name)=\"", range: start.upperBound..<end.lowerBound)
        else { return nil }
        return Int(dom[a.upperBound...].prefix { $0.isNumber })
    }

    @Test func domShowsWhatTheJSONReportCounts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-browser-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html")
        let json = dir.appendingPathComponent("report.json")
        // Paths relative to the corpus' folder, as a person would run it.
        let lint = try CLI.run(
            ["--format", "html", "-o", html.path, "--report", "json=\(json.path)", "qemu-iotests"],
            cwd: Chromium.iotests.deletingLastPathComponent())
        #expect(lint.status <= 1, "\(lint.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        let events = try #require(summary["events"] as? Int)
        let counted = ["errors", "warnings", "notes"].compactMap { summary[$0] as? Int }.reduce(0, +)
        let listed = try #require(report["findings"] as? [Any]).count
        #expect(events > 0 && listed > 0)

        let browser = try Chromium.run(
            ["--enable-logging=stderr", "--v=0", "--dump-dom", html.absoluteString],
            profile: dir.appendingPathComponent("profile"))
        #expect(browser.status == 0, "chromium exited \(browser.status): \(browser.stderr.suffix(2000))")
        let dom = browser.stdout
        try #require(dom.contains("</body>"), "no DOM dumped: \(browser.stderr.suffix(2000))")
        // What the page says it shows, and what it does show.
        #expect(Self.attribute("data-events", of: "body", in: dom) == events)
        #expect(Self.attribute("data-findings", of: "body", in: dom) == listed)
        let marks = dom.components(separatedBy: "<rect class=\"ev").dropFirst()
        let shown = marks.map {
            Int($0.components(separatedBy: "data-n=\"").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? 0
        }
        #expect(shown.reduce(0, +) == events, "event marks stand for \(shown.reduce(0, +)) events, JSON says \(events)")
        // Repeated findings are grouped: each list item stands for data-n findings.
        let items = dom.components(separatedBy: "<li class=\"finding ").dropFirst().map {
            Int($0.components(separatedBy: "data-n=\"").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? 0
        }
        #expect(items.reduce(0, +) == listed)
        #expect(items.count < listed, "620 filtered-timestamp notes are a handful of groups")
        #expect(listed == counted, "the corpus' findings are all listed")
        #expect(Self.count("<a href=\"#finding-", in: dom) > 0)
        // The severity filters: checkboxes the page's CSS reads (no script); notes start hidden.
        #expect(dom.contains("<input type=\"checkbox\" class=\"filter\" id=\"show-error\" checked=\"\">"))
        #expect(dom.contains("<input type=\"checkbox\" class=\"filter\" id=\"show-note\">"))
        // The page logs nothing: console messages (script errors, blocked loads) appear as CONSOLE lines.
        let console = browser.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console output: \(console)")
    }

    /// The screenshot in the README: the report of the repository's stream fixtures and example
    /// (errors, warnings, jobs, two schemas), as headless Chromium renders it
    /// (`QMPLINT_UPDATE_SCREENSHOT=1` stores it as docs/images/html-report.png).
    @Test func screenshot() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-shot-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html")
        let lint = try CLI.run(["--format", "html", "-o", html.path] + TimelineHTMLCLITests.inputs)
        #expect(lint.status == 1, "\(lint.stderr)")
        let shot = dir.appendingPathComponent("html-report.png")
        let s = try Chromium.run(
            ["--hide-scrollbars", "--window-size=1400,1100", "--screenshot=\(shot.path)", html.absoluteString],
            profile: dir.appendingPathComponent("profile"))
        #expect(s.status == 0, "\(s.stderr.suffix(2000))")
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000)
        if ProcessInfo.processInfo.environment["QMPLINT_UPDATE_SCREENSHOT"] == "1" {
            let dest = CLI.root.appendingPathComponent("docs/images/html-report.png")
            try FileManager.default.createDirectory(
                at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: dest)
            try png.write(to: dest)
        }
    }
}

/// The HTML report keeps to its size budget and its layout promises, whatever the input.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct HTMLReportCLITests {
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func items(_ html: String) -> [Int] {
        html.components(separatedBy: "<li class=\"finding ").dropFirst().map {
            Int($0.components(separatedBy: "data-n=\"").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? 0
        }
    }

    /// 21,000 findings (13.8 MB of HTML before grouping): repeated ones grouped, and past the
    /// budget the rest summarised per rule; every finding is still accounted for.
    @Test(arguments: [("repeated", 3), ("distinct", 21_000)])
    func twentyOneThousandFindingsStayUnderTwoMegabytes(kind: String, names: Int) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var log = ""
        for i in 0..<21_000 {
            log += #"{"timestamp": {"seconds": \#(1_700_000_000 + i), "microseconds": 5}, "event": "NO_SUCH_EVENT_\#(i % names)", "data": {"n": \#(i)}}"# + "\n"
        }
        let input = dir.appendingPathComponent("many.log")
        try Data(log.utf8).write(to: input)
        let html = dir.appendingPathComponent("r.html")
        let r = try CLI.run(["--format", "html", "-o", html.path, "--max-findings", "0", input.path])
        #expect(r.status == 1, "\(r.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.utf8.count < 2_000_000, "\(kind): \(page.utf8.count) bytes")
        #expect(Self.items(page).reduce(0, +) == 21_000)
        #expect(page.contains("data-findings=\"21000\""))
        // Every mark of the timeline links to an item of the list.
        let ids = Set(page.components(separatedBy: " id=\"").dropFirst().map { $0.prefix { $0 != "\"" } })
        let links = page.components(separatedBy: "<a href=\"#").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!links.isEmpty && links.allSatisfy { ids.contains($0) })
    }

    /// A long stream label is shown whole (the label column widens), not clipped.
    @Test func streamLabelsAreNotClipped() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "a-rather-long-folder-name-for-one-host/libvirtd-with-a-long-name.log"
        let input = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: input.deletingLastPathComponent(), withIntermediateDirectories: true)
        let line = "2025-06-02 08:14:03.145+0000: 4411: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: "
            + #"mon=0x7f3a1c00a2b0deadbeef event={"timestamp": {"seconds": 1748852043, "microseconds": 1}, "event": "STOP"}"#
        try Data((line + "\n").utf8).write(to: input)
        // A second file elsewhere, so that the labels keep their folders.
        try Data((line + "\n").utf8).write(to: dir.appendingPathComponent("other.log"))
        let r = try CLI.run(["--format", "html", name, "other.log"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let label = "a-rather-long-folder-name-for-one-host/libvirtd-with-a-long-name.log mon=0x7f3a1c00a2b0deadbeef"
        #expect(r.stdout.contains("<text class=\"label\" x=\"4\" y=\"47\"><title>\(label)</title>\(label)</text>"), "\(r.stdout)")
    }

    /// The schema and why it was chosen are said once, not once per file.
    @Test func schemaReasonIsShownOnce() throws {
        let r = try CLI.run(["--format", "html", "Fixtures/cli", "Fixtures/examples"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "default (newest built-in release)").count - 1 == 1)
    }

    /// One job table per stream: the jobs of each monitor apart.
    @Test func oneJobTablePerStream() throws {
        let r = try CLI.run(["--format", "html", "Fixtures/streams/job-illegal-transition.log"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "<table class=\"jobs\">").count - 1 == 2)
        #expect(r.stdout.contains("<h3 class=\"stream-jobs\">Fixtures/streams/job-illegal-transition.log mon=0x7f3a1c00a2b0</h3>"))
        #expect(r.stdout.contains("<td>created → running → pending → concluded</td>"))
    }

    /// --min-severity note starts the page with notes shown; by default they start hidden.
    @Test func notesStartHiddenUnlessAsked() throws {
        let input = "Fixtures/json/iotests-filtered-values.out"
        let hidden = try CLI.run(["--format", "html", input])
        #expect(hidden.stdout.contains("<input type=\"checkbox\" class=\"filter\" id=\"show-note\">"))
        let shown = try CLI.run(["--format", "html", "--min-severity", "note", input])
        #expect(shown.stdout.contains("<input type=\"checkbox\" class=\"filter\" id=\"show-note\" checked>"))
    }
}
