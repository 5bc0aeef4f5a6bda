/// Reads JSON reports back and merges partial reports, so a fleet's logs can be checked in
/// pieces (e.g. as the map step of a distributed job) and combined: merging the reports of
/// disjoint groups of files gives the report of all the files in one run.
public enum ReportMerging {
    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Parses a report written by `--format json`.
    public static func read(_ bytes: [UInt8], path: String) throws(ReadError) -> LintReport {
        var tape = JSONTape()
        let parsed = bytes.withUnsafeBytes { b -> Result<LintReport, ReadError> in
            if case .failure(let e) = JSONParser.parseDocument(b, options: .strict, into: &tape) {
                return .failure(ReadError(path: path, message: "not JSON at byte \(e.offset): \(e.message)"))
            }
            let r = Reader(t: tape)
            guard tape[0].kind == .object, r.int(0, "reportVersion") == LintReport.reportVersion else {
                return .failure(ReadError(path: path, message: "not a qmp-lint JSON report of version \(LintReport.reportVersion)"))
            }
            let report = r.report()
            if let problem = r.problem { return .failure(ReadError(path: path, message: problem)) }
            return .success(report)
        }
        return try parsed.get()
    }

    /// A file that two partial reports both cover: their totals would count it twice.
    public struct DuplicateFile: Error, CustomStringConvertible {
        public var file: String
        public var firstReport: String
        public var secondReport: String
        public var description: String {
            "\(file) is in both \(firstReport) and \(secondReport): partial reports must cover disjoint sets of files"
        }
    }

    /// Checks that no file is covered by two of the reports (named by `paths`, in the same order).
    /// A file listed twice by one report (named twice on its command line) is that run's business.
    public static func checkDisjoint(_ reports: [LintReport], paths: [String]) throws(DuplicateFile) {
        var owner: [String: Int] = [:]
        for (i, r) in reports.enumerated() {
            for f in r.files {
                if let j = owner[f.path], j != i {
                    throw DuplicateFile(file: f.path, firstReport: paths[j], secondReport: paths[i])
                }
                owner[f.path] = i
            }
        }
    }

    /// Checks that the totals of the reports (named by `paths`, in the same order) can be added
    /// up: a count that would pass the largest integer is an error naming the report it overflows at.
    public static func checkTotals(_ reports: [LintReport], paths: [String]) throws(ReadError) {
        var sums: [String: Int] = [:]
        for (i, r) in reports.enumerated() {
            for (key, value) in r.summary.counts {
                let (sum, overflow) = sums[key, default: 0].addingReportingOverflow(value)
                if overflow || value < 0 {
                    throw ReadError(path: paths[i], message: "summary count \(key) (\(value)) cannot be added to the other reports' (the total passes \(Int.max))")
                }
                sums[key] = sum
            }
        }
    }

    /// Combines partial reports: totals add up, files and findings are merged and sorted.
    /// The totals must fit (see `checkTotals`).
    /// The reports should cover disjoint sets of files (see `checkDisjoint`).
    public static func merge(_ reports: [LintReport]) -> LintReport {
        var s = ReportSummary()
        var files: [FileSummary] = []
        var findings: [ReportFinding] = []
        for r in reports {
            s.add(r.summary)
            files += r.files
            findings += r.findings
        }
        files.sort { $0.path < $1.path }
        findings.sort(by: ReportFinding.ordered)
        let schema = reports.first?.schema ?? SchemaChoice(name: "none", reason: "no reports")
        return LintReport(toolVersion: QMPLintVersion.current, schema: schema, summary: s, files: files, findings: findings)
    }

    final class Reader {
        let t: JSONTape
        /// The first count that is not a non-negative integer (e.g. `1e999`, `-1`, `"7"`).
        var problem: String?
        init(t: JSONTape) { self.t = t }
        func node(_ o: Int, _ k: String) -> Int? { t[o].kind == .object ? t.member(o, k) : nil }
        /// An integer member; a count that is present but not a non-negative integer that fits is
        /// recorded in `problem` (read as 0).
        func int(_ o: Int, _ k: String) -> Int? {
            guard let n = node(o, k) else { return nil }
            if let v = t.int64(n), t[n].kind == .integer, v >= 0 { return Int(v) }
            if t[n].kind != .null, problem == nil {
                problem = "\(k) is \(t.rawText(n).prefix(40)), not a count (an integer from 0 to \(Int64.max))"
            }
            return nil
        }
        func str(_ o: Int, _ k: String) -> String? {
            guard let n = node(o, k), t[n].kind == .string else { return nil }
            return t.string(n)
        }
        func time(_ o: Int, _ k: String) -> EventTime? { str(o, k).flatMap(EventTime.init(iso8601:)) }
        func choice(_ o: Int, _ k: String) -> SchemaChoice? {
            guard let n = node(o, k), t[n].kind == .object else { return nil }
            return SchemaChoice(name: str(n, "name") ?? "", reason: str(n, "reason") ?? "")
        }
        func strings(_ o: Int, _ k: String) -> [String] {
            var out: [String] = []
            guard let n = node(o, k), t[n].kind == .array else { return out }
            t.forEachElement(n) { _, e in if t[e].kind == .string { out.append(t.string(e)) } }
            return out
        }
        /// A finding's `kind`: nil when absent or null; anything but a message kind is a problem.
        func kind(_ o: Int) -> MessageKind? {
            guard let n = node(o, "kind"), t[n].kind != .null else { return nil }
            if t[n].kind == .string, let k = MessageKind(rawValue: t.string(n)) { return k }
            if problem == nil {
                problem = "kind is \(t.rawText(n).prefix(40)), not one of event, command, reply, greeting or null"
            }
            return nil
        }
        func markers(_ o: Int) -> MarkerCounts {
            var m = MarkerCounts()
            guard let n = node(o, "markers"), t[n].kind == .object else { return m }
            m.events = int(n, "events") ?? 0; m.malformed = int(n, "malformed") ?? 0; m.echoes = int(n, "echoes") ?? 0
            m.notEvents = int(n, "notEvents") ?? 0; m.unparsed = int(n, "unparsed") ?? 0
            return m
        }
        /// `commandsByName`: `{name: {count, errors, invalid}}`.
        func commandCounts(_ o: Int) -> [String: CommandCount] {
            var out: [String: CommandCount] = [:]
            guard let n = node(o, "commandsByName"), t[n].kind == .object else { return out }
            t.forEachMember(n) { key, value in
                out[t.string(key)] = CommandCount(total: int(value, "count") ?? 0, errors: int(value, "errors") ?? 0,
                                                  invalid: int(value, "invalid") ?? 0)
            }
            return out
        }
        func versions(_ o: Int) -> [StreamVersion] {
            var out: [StreamVersion] = []
            guard let n = node(o, "versions"), t[n].kind == .array else { return out }
            t.forEachElement(n) { _, v in
                out.append(StreamVersion(stream: str(v, "stream") ?? "", fits: strings(v, "fits"),
                                         chosen: str(v, "chosen") ?? "", evidence: str(v, "evidence"),
                                         weighed: int(v, "weighed") ?? 0, misfits: int(v, "misfits") ?? 0))
            }
            return out
        }
        /// The message counts the summary and each file share (`JSONReporter.writeMessageCounts`).
        func messageCounts(_ o: Int) -> (commands: Int, replies: Int, errorReplies: Int, greetings: Int, echoes: Int) {
            (int(o, "commands") ?? 0, int(o, "replies") ?? 0, int(o, "errorReplies") ?? 0, int(o, "greetings") ?? 0,
             int(o, "echoes") ?? 0)
        }
        func counts(_ o: Int, _ k: String) -> [String: Int] {
            var out: [String: Int] = [:]
            guard let n = node(o, k), t[n].kind == .object else { return out }
            t.forEachMember(n) { key, value in
                if let v = t.int64(value), t[value].kind == .integer, v >= 0 {
                    out[t.string(key)] = Int(v)
                } else {
                    out[t.string(key)] = 0
                    if problem == nil {
                        problem = "\(k) \(t.string(key)) is \(t.rawText(value).prefix(40)), not a count"
                    }
                }
            }
            return out
        }

        func report() -> LintReport {
            var s = ReportSummary()
            if let n = node(0, "summary") {
                s.files = int(n, "files") ?? 0; s.bytes = int(n, "bytes") ?? 0; s.lines = int(n, "lines") ?? 0
                s.events = int(n, "events") ?? 0; s.malformed = int(n, "malformed") ?? 0
                s.invalidEvents = int(n, "invalidEvents") ?? 0
                s.errors = int(n, "errors") ?? 0; s.warnings = int(n, "warnings") ?? 0; s.notes = int(n, "notes") ?? 0
                s.unreadableFiles = int(n, "unreadableFiles") ?? 0
                s.firstEvent = time(n, "firstEvent"); s.lastEvent = time(n, "lastEvent")
                let invalid = counts(n, "invalidByName")
                let malformed = counts(n, "malformedByName")
                for (k, v) in counts(n, "eventsByName") {
                    s.eventsByName[k] = EventCount(total: v, invalid: invalid[k] ?? 0, malformed: malformed[k] ?? 0)
                }
                s.findingsByRule = counts(n, "findingsByRule")
                (s.commands, s.replies, s.errorReplies, s.greetings, s.echoes) = messageCounts(n)
                s.commandsByName = commandCounts(n)
                s.markers = markers(n)
            }
            var files: [FileSummary] = []
            if let n = node(0, "files"), t[n].kind == .array {
                t.forEachElement(n) { _, f in
                    var fs = FileSummary(path: str(f, "path") ?? "")
                    fs.bytes = int(f, "bytes") ?? 0; fs.lines = int(f, "lines") ?? 0; fs.events = int(f, "events") ?? 0
                    fs.malformed = int(f, "malformed") ?? 0; fs.invalidEvents = int(f, "invalidEvents") ?? 0
                    fs.errors = int(f, "errors") ?? 0; fs.warnings = int(f, "warnings") ?? 0; fs.notes = int(f, "notes") ?? 0
                    fs.schema = choice(f, "schema"); fs.readError = str(f, "readError")
                    (fs.commands, fs.replies, fs.errorReplies, fs.greetings, fs.echoes) = messageCounts(f)
                    fs.commandsByName = commandCounts(f)
                    fs.markers = markers(f)
                    fs.dialects = counts(f, "dialects")
                    fs.versions = versions(f)
                    files.append(fs)
                }
            }
            var findings: [ReportFinding] = []
            if let n = node(0, "findings"), t[n].kind == .array {
                t.forEachElement(n) { _, f in
                    findings.append(ReportFinding(
                        file: str(f, "file") ?? "", line: int(f, "line") ?? 0, column: int(f, "column") ?? 0,
                        eventLine: int(f, "eventLine") ?? 0, event: str(f, "event"), rule: str(f, "rule") ?? "",
                        severity: Severity(rawValue: str(f, "severity") ?? "") ?? .error, message: str(f, "message") ?? "",
                        pointer: str(f, "pointer") ?? "", eventHash: str(f, "eventHash") ?? "", sourceLine: "",
                        stream: str(f, "stream"), kind: kind(f)))
                }
            }
            return LintReport(toolVersion: str(node(0, "tool") ?? 0, "version") ?? "",
                              schema: choice(0, "schema") ?? SchemaChoice(name: "", reason: ""),
                              summary: s, files: files, findings: findings)
        }
    }
}

extension EventTime {
    /// Parses the `YYYY-MM-DDTHH:MM:SS.ffffffZ` form reports use.
    public init?(iso8601 s: String) {
        let u = Array(s.utf8)
        guard u.count == 27, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[19] == 0x2E, u[26] == 0x5A else { return nil }
        func num(_ a: Int, _ b: Int) -> Int64? {
            var v: Int64 = 0
            for i in a..<b { guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }; v = v * 10 + Int64(u[i] - 0x30) }
            return v
        }
        guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10), let hh = num(11, 13), let mm = num(14, 16),
              let ss = num(17, 19), let us = num(20, 26) else { return nil }
        // Days from civil (H. Hinnant), inverse of `iso8601`.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        self.init(seconds: days * 86_400 + hh * 3600 + mm * 60 + ss, microseconds: us)
    }
}
