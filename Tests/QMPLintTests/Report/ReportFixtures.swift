import Foundation

@testable import QMPLint

/// Hand-built reports every format is rendered from, with the awkward content real logs bring:
/// commas, quotes, newlines, `|`, `<script>`, terminal escapes, non-ASCII, a path with a space,
/// an unreadable file, a finding without an event name, duplicate findings.
enum ReportFixtures {
    /// 1-based byte column of the first occurrence of `needle` in `line`.
    static func column(of needle: String, in line: String) -> Int {
        let bytes = Array(line.utf8)
        let pattern = Array(needle.utf8)
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
            return start + 1
        }
        fatalError("\(needle) not in \(line)")
    }

    static let vmLine2 =
        "\u{1B}]0;pwned\u{07}2024-03-01 10:22:53.012+0000: 63211: info : "
        + "qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: dom=vm-été mon=0x7f2a\tevent="
        + "{\"timestamp\": {\"seconds\": 1709288573, \"microseconds\": 12388}, \"event\": \"QUORUM_FAILURE\", "
        + "\"data\": {\"reference\": \"nodé-日本\", \"sector-num\": 0}}"
    static let vmLine9 =
        "{\"timestamp\": {\"seconds\": 1709288590, \"microseconds\": 5}, \"event\": \"DEVICE_DELETED\", "
        + "\"data\": {\"id\": \"a\", \"id\": \"b\", \"id\": \"c\", \"path\": \"/machine/peripheral/a\"}}\r"
    static let vmLine12 = "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": tru"
    static let vmLine30 =
        "{\"event\": \"weird|<b>`x`\", \"timestamp\": {\"seconds\": 1709288601, \"microseconds\": 18544}}"
    static let bLine3 =
        "event BLOCK_IO_ERROR at 1709288600.595545 for domain db-primary: "
        + "{\"device\":\"\",\"operation\":\"write\",\"action\":\"report\"}"
    static let bLine7 = "event DEVICE_DELETED at 1709288600.700000 for domain db-primary: {\"path\":\"/machine/x\"}"

    static let deviceDeletedHash = StableHash.hex(of: vmLine9)

    /// Every finding is about an event (`kind`).
    static var findings: [ReportFinding] {
        [
            ReportFinding(
                file: "logs/b,2.log", line: 3, column: column(of: "{", in: bLine3), eventLine: 3,
                event: "BLOCK_IO_ERROR", rule: "missing-member", severity: .error,
                message: "member 'qom-path' is required by BLOCK_IO_ERROR since 9.2",
                pointer: "/data/qom-path", eventHash: StableHash.hex(of: bLine3), sourceLine: bLine3),
            ReportFinding(
                file: "logs/b,2.log", line: 7, column: column(of: "{", in: bLine7), eventLine: 7,
                event: "DEVICE_DELETED", rule: "deprecated-member", severity: .warning,
                message: "member \"path\" <script>alert(1)</script> is deprecated,\nsince 8.0 | see docs",
                pointer: "/data/path", eventHash: StableHash.hex(of: bLine7), sourceLine: bLine7),
            ReportFinding(
                file: "logs/vm one.log", line: 2, column: column(of: "{\"reference", in: vmLine2), eventLine: 2,
                event: "QUORUM_FAILURE", rule: "missing-member", severity: .error,
                message: "member 'sectors-count' is missing", pointer: "/data/sectors-count",
                eventHash: StableHash.hex(of: vmLine2), sourceLine: vmLine2, stream: "mon=0x7f2a"),
            ReportFinding(
                file: "logs/vm one.log", line: 9, column: column(of: "\"id\": \"b", in: vmLine9), eventLine: 9,
                event: "DEVICE_DELETED", rule: "duplicate-key", severity: .error,
                message: "duplicate key \"id\" (first at column 80)", pointer: "/data/id",
                eventHash: deviceDeletedHash, sourceLine: vmLine9),
            ReportFinding(
                file: "logs/vm one.log", line: 9, column: column(of: "\"id\": \"c", in: vmLine9), eventLine: 9,
                event: "DEVICE_DELETED", rule: "duplicate-key", severity: .error,
                message: "duplicate key \"id\" (first at column 80)", pointer: "/data/id",
                eventHash: deviceDeletedHash, sourceLine: vmLine9),
            ReportFinding(
                file: "logs/vm one.log", line: 12, column: vmLine12.utf8.count + 1, eventLine: 12,
                event: nil, rule: "malformed-json", severity: .error,
                message: "text ends inside an object", pointer: "",
                eventHash: StableHash.hex(of: vmLine12), sourceLine: vmLine12),
            ReportFinding(
                file: "logs/vm one.log", line: 15, column: 3, eventLine: 15,
                event: "RTC_CHANGE", rule: "timestamp-order", severity: .note,
                message: "timestamp goes back 2.5 s from the previous event (line 9)", pointer: "/timestamp",
                eventHash: "0123456789abcdef", sourceLine: "{\"event\": \"RTC_CHANGE\"…"),
            ReportFinding(
                file: "logs/vm one.log", line: 20, column: 500, eventLine: 18,
                event: "GUEST_PANICKED", rule: "unknown-member", severity: .warning,
                message: "unknown member 'ext\u{2028}ra' in GuestPanicInformation 🙂",
                pointer: "/data/info/ext~1ra", eventHash: "fedcba9876543210",
                sourceLine: "    \"info\": {\"type\": \"hyper-v\", \"ext/ra\": 1, …"),
            ReportFinding(
                file: "logs/vm one.log", line: 30, column: column(of: "\"weird", in: vmLine30), eventLine: 30,
                event: "weird|<b>`x`", rule: "unknown-event", severity: .error,
                message: "unknown event 'weird|<b>`x`' (not in qemu-10.2.0)", pointer: "/event",
                eventHash: StableHash.hex(of: vmLine30), sourceLine: vmLine30),
            ReportFinding(
                file: "logs/vm one.log", line: 31, column: 1, eventLine: 31,
                event: "STOP", rule: "missing-timestamp", severity: .error,
                message: "no timestamp; the log line held \"\u{1B}[2J\u{9B}31m\u{202E}\"", pointer: "",
                eventHash: "00000000000000aa", sourceLine: ""),
        ].map { f in
            var f = f
            f.kind = .event
            return f
        }
    }

    static let defaultSchema = SchemaChoice(name: "qemu-10.2.0", reason: "default (newest built-in)")

    static var files: [FileSummary] {
        var clean = FileSummary(path: "clean.log")
        clean.bytes = 512
        clean.lines = 6
        clean.events = 3
        clean.schema = defaultSchema
        clean.markers.events = 3
        clean.dialects = ["qmp-json": 3]
        clean.firstEvent = EventTime(seconds: 1_709_288_570, microseconds: 1)
        clean.lastEvent = EventTime(seconds: 1_709_288_575, microseconds: 999999)

        var b = FileSummary(path: "logs/b,2.log")
        b.bytes = 300
        b.lines = 8
        b.events = 2
        b.invalidEvents = 1
        b.errors = 1
        b.warnings = 1
        b.markers.events = 2
        b.dialects = ["virsh-event": 2]
        b.schema = SchemaChoice(name: "qemu-8.2.0", reason: "--qemu-version 8.2 \"pinned\", by user")
        b.firstEvent = EventTime(seconds: 1_709_288_600, microseconds: 595545)
        b.lastEvent = EventTime(seconds: 1_709_288_600, microseconds: 700000)

        var vm = FileSummary(path: "logs/vm one.log")
        vm.bytes = 4096
        vm.lines = 31
        vm.events = 7
        vm.malformed = 1
        vm.invalidEvents = 4
        vm.errors = 6
        vm.warnings = 1
        vm.notes = 1
        vm.commands = 5
        vm.replies = 5
        vm.errorReplies = 2
        vm.echoes = 2
        vm.commandsByName = commandsByName
        vm.markers = markers
        vm.dialects = ["libvirt-monitor": 12, "qmp-json": 5]
        vm.schema = defaultSchema
        vm.versions = [
            StreamVersion(
                stream: "mon=0x7f2a", fits: ["7.2.0-8.2.0"], chosen: "8.2.0", evidence: nil, weighed: 14, misfits: 0),
            StreamVersion(stream: "mon=0x7f2b\u{1B}[31m<i>\"x\"", fits: [], chosen: "10.2.0",
                          evidence: "QMP greeting: QEMU 10.2.0 (line 17)", weighed: 2, misfits: 1),
        ]
        vm.firstEvent = EventTime(seconds: 1_709_288_573, microseconds: 12388)
        vm.lastEvent = EventTime(seconds: 1_709_288_601, microseconds: 18544)

        var missing = FileSummary(path: "missing.log")
        missing.readError = "open: No such file or directory (errno 2)"
        return [clean, b, vm, missing]
    }

    /// The commands of `logs/vm one.log` (the only file with commands), names from logs included.
    static let commandsByName: [String: CommandCount] = [
        "device_del": CommandCount(total: 2, errors: 1, invalid: 0),
        "qmp_capabilities": CommandCount(total: 1),
        "query-status": CommandCount(total: 1),
        "x|<i>`cmd`,\"q\"": CommandCount(total: 1, errors: 1, invalid: 1),
    ]

    /// Where the event markers of `logs/vm one.log` ended.
    static var markers: MarkerCounts {
        var m = MarkerCounts()
        m.events = 7
        m.malformed = 1
        m.echoes = 2
        m.notEvents = 3
        return m
    }

    /// The report every golden file is rendered from.
    static var report: LintReport {
        var s = ReportSummary()
        s.files = 4
        s.bytes = 4908
        s.lines = 45
        s.events = 12
        s.malformed = 1
        s.invalidEvents = 5
        s.commands = 5
        s.replies = 5
        s.errorReplies = 2
        s.echoes = 2
        s.commandsByName = commandsByName
        s.markers = markers
        s.markers.events = 12
        s.eventsByName = [
            "SHUTDOWN": EventCount(total: 2, invalid: 0),
            "BLOCK_IO_ERROR": EventCount(total: 1, invalid: 1),
            "DEVICE_DELETED": EventCount(total: 2, invalid: 1),
            "QUORUM_FAILURE": EventCount(total: 1, invalid: 1),
            "RTC_CHANGE": EventCount(total: 2, invalid: 0),
            "GUEST_PANICKED": EventCount(total: 1, invalid: 0),
            "STOP": EventCount(total: 2, invalid: 1),
            "weird|<b>`x`": EventCount(total: 1, invalid: 1),
        ]
        s.findingsByRule = [
            "missing-member": 2, "deprecated-member": 1, "duplicate-key": 2, "malformed-json": 1,
            "timestamp-order": 1, "unknown-member": 1, "unknown-event": 1, "missing-timestamp": 1,
        ]
        s.errors = 7
        s.warnings = 2
        s.notes = 1
        s.unreadableFiles = 1
        s.firstEvent = EventTime(seconds: 1_709_288_570, microseconds: 1)
        s.lastEvent = EventTime(seconds: 1_709_288_601, microseconds: 18544)
        var report = LintReport(
            toolVersion: "0.1.0-test", schema: defaultSchema, summary: s, files: files,
            findings: findings.sorted(by: ReportFinding.ordered))
        report.timeline = timeline
        return report
    }

    /// One record per event of `report` (12), as a run asking for a timeline format keeps them:
    /// files in report order, text order within each; streams as the findings name them.
    static var timeline: EventTimeline {
        func t(_ s: Int64, _ u: Int64) -> EventTime { EventTime(seconds: s, microseconds: u) }
        let vm = "logs/vm one.log"
        let events = [
            ReportEvent(file: "clean.log", line: 1, name: "STOP", time: t(1_709_288_570, 1), stream: "session 1"),
            ReportEvent(file: "clean.log", line: 3, name: "SHUTDOWN", time: t(1_709_288_572, 500), stream: "session 1"),
            ReportEvent(file: "clean.log", line: 6, name: "SHUTDOWN", time: t(1_709_288_575, 999999), stream: "session 2"),
            ReportEvent(file: "logs/b,2.log", line: 3, name: "BLOCK_IO_ERROR", time: t(1_709_288_600, 595545), stream: "domain db-primary"),
            ReportEvent(file: "logs/b,2.log", line: 7, name: "DEVICE_DELETED", time: t(1_709_288_600, 700000), stream: "domain db-primary"),
            ReportEvent(file: vm, line: 2, name: "QUORUM_FAILURE", time: t(1_709_288_573, 12388), stream: "mon=0x7f2a"),
            ReportEvent(file: vm, line: 9, name: "DEVICE_DELETED", time: t(1_709_288_590, 5), stream: "mon=0x7f2a",
                data: "id=a id=b id=c path=/machine/peripheral/a"),
            ReportEvent(file: vm, line: 15, name: "RTC_CHANGE", time: t(1_709_288_587, 500000), stream: "mon=0x7f2a"),
            ReportEvent(file: vm, line: 18, name: "GUEST_PANICKED", time: t(1_709_288_595, 0), stream: "mon=0x7f2b\u{1B}[31m<i>\"x\"",
                data: "action=pause info={…} note=\"<i>'&\u{1B}[1m\u{202E}\""),
            ReportEvent(file: vm, line: 25, name: "RTC_CHANGE", time: nil, stream: "mon=0x7f2a"),
            ReportEvent(file: vm, line: 30, name: "weird|<b>`x`", time: t(1_709_288_601, 18544), stream: "mon=0x7f2a"),
            ReportEvent(file: vm, line: 31, name: "STOP", time: nil, stream: "mon=0x7f2a"),
        ]
        return EventTimeline(events: events, omitted: 0)
    }

    /// A run over one clean file.
    static var cleanReport: LintReport {
        var s = ReportSummary()
        var f = FileSummary(path: "clean.log")
        f.bytes = 512
        f.lines = 6
        f.events = 3
        f.schema = defaultSchema
        f.markers.events = 3
        f.dialects = ["qmp-json": 3]
        s.files = 1
        s.bytes = 512
        s.lines = 6
        s.events = 3
        s.markers.events = 3
        s.eventsByName = ["SHUTDOWN": EventCount(total: 2), "STOP": EventCount(total: 1)]
        return LintReport(toolVersion: "0.1.0-test", schema: defaultSchema, summary: s, files: [f], findings: [])
    }

    /// The clean run with one finding of each kind but events: a command, a reply, a greeting,
    /// and text that is no message.
    static var kindsReport: LintReport {
        var report = cleanReport
        let kinds: [(MessageKind?, String?, String)] = [
            (.command, "device_del", "unexpected-member"), (.reply, "query-status", "missing-member"),
            (.greeting, nil, "unknown-member"), (nil, nil, "unparsed-event-text"),
        ]
        report.findings = kinds.enumerated().map { i, k in
            ReportFinding(file: "clean.log", line: i + 1, column: 1, eventLine: i + 1, event: k.1, rule: k.2,
                          severity: .warning, message: "about a \(k.0?.rawValue ?? "text")", pointer: "",
                          eventHash: "00000000000000a\(i)", sourceLine: "", stream: "session 1", kind: k.0)
        }
        report.summary.warnings = 4
        report.summary.findingsByRule = Dictionary(kinds.map { ($0.2, 1) }, uniquingKeysWith: +)
        report.files[0].warnings = 4
        return report
    }

    /// A run over nothing at all.
    static var emptyReport: LintReport {
        LintReport(toolVersion: "0.1.0-test", schema: defaultSchema, summary: ReportSummary(), files: [], findings: [])
    }

    /// Part of a rule catalogue; `timestamp-order`, `unknown-member` and others are left out on
    /// purpose, so reporters must cope with rules they have no description for.
    static let rules: [RuleDescription] = [
        RuleDescription(
            id: "missing-member", severity: .error, description: "A required member is absent.",
            rationale:
                "QEMU always sends required members; a missing one means the text was edited, truncated or is from another schema.",
            triggering: ["{\"event\": \"QUORUM_FAILURE\", \"data\": {\"reference\": \"x\", \"sector-num\": 0}}"],
            nonTriggering: ["{\"event\": \"STOP\"}"]),
        RuleDescription(
            id: "duplicate-key", severity: .error, description: "An object has the same key twice.",
            rationale: "QEMU never emits duplicate keys, and readers disagree on which value wins.",
            triggering: ["{\"event\": \"STOP\", \"event\": \"STOP\"}"], nonTriggering: []),
        RuleDescription(
            id: "deprecated-member", severity: .warning,
            description: "A member marked deprecated, \"special\" <features>.",
            rationale: "Deprecated members go away in a later release.", triggering: [], nonTriggering: []),
    ]

    /// Options for the golden files (fixed working directory, home page, small Markdown cap).
    static var options: ReportOptions {
        ReportOptions(
            rules: rules, workingDirectory: "/home/ci/run 1", informationURI: "https://example.invalid/qmp-lint",
            markdownFindingLimit: 6, ruleDocs: RuleDocs(base: "https://example.invalid/qmp-lint/docs/rules/"))
    }
}

/// Locations of fixtures and golden files, found from this file's path.
enum ReportPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/report")
    static let golden = fixtures.appendingPathComponent("golden")
    static let sharedSchemas = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/schemas")
}

/// Runs python3 helpers for schema validation; tests using it are skipped when it is missing.
enum Python {
    static func run(_ script: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func canImport(_ module: String) -> Bool { run("import \(module)", []).status == 0 }

    static let hasJSONSchema = canImport("jsonschema")
    static let hasXMLSchema = canImport("xmlschema")

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String, name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmplint-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
