import Foundation
import Testing

@testable import QMPLint

/// The JSON report's counts hold together: every event marker of each input is in one bucket of
/// its `markers` (the buckets' sum equals a count made without the extractor, `HostileMarkers`),
/// and the files' counts add up to the summary's.
@Suite struct ReportCountsTests {
    /// The repository's fixture logs, and the shared transcripts when present.
    static var inputs: [String] {
        var paths = ["cli", "examples", "streams", "real", "hostile", "schema-readers/introspection-transcript.replies"]
            .map(TestPaths.fixture)
        if TestPaths.sharedAvailable { paths.append(TestPaths.sharedPath("corpus/transcripts")) }
        return paths
    }

    /// The JSON report of `paths`, parsed by Foundation (not by the reader `merge` uses).
    static func jsonReport(_ paths: [String]) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-counts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = LintSettings()
        s.paths = paths
        s.format = .json
        s.progress = false
        s.output = dir.appendingPathComponent("r.json").path
        _ = LintRunner.runWritingFiles(s)
        let data = try Data(contentsOf: dir.appendingPathComponent("r.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func bytes(of path: String) throws -> [UInt8] {
        var source = try InputOpener.open(path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    static let buckets = ["events", "malformed", "echoes", "notEvents", "unparsed"]
    static let counts = ["events", "malformed", "invalidEvents", "commands", "replies", "errorReplies", "greetings",
                         "echoes", "errors", "warnings", "notes", "bytes", "lines"]

    static func int(_ o: [String: Any]?, _ k: String) -> Int { o?[k] as? Int ?? -1 }

    @Test func markersAddUpToTheMarkersInEachInput() throws {
        let report = try Self.jsonReport(Self.inputs)
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.count > 30)
        let cwd = FileManager.default.currentDirectoryPath
        var checked = 0
        for f in files {
            let path = try #require(f["path"] as? String)
            guard f["readError"] is NSNull else { continue }
            let markers = try #require(f["markers"] as? [String: Any], "\(path)")
            let sum = Self.buckets.reduce(0) { $0 + Self.int(markers, $1) }
            let expected = HostileMarkers.count(try Self.bytes(of: path.hasPrefix("/") ? path : cwd + "/" + path))
            #expect(sum == expected, "\(path): \(markers) add up to \(sum), the text holds \(expected) markers")
            #expect(Self.int(markers, "events") <= Self.int(f, "events"), "\(path)")
            checked += 1
        }
        #expect(checked > 30)
    }

    @Test func filesAddUpToTheSummary() throws {
        let report = try Self.jsonReport(Self.inputs)
        let summary = try #require(report["summary"] as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        for k in Self.counts {
            #expect(files.reduce(0) { $0 + Self.int($1, k) } == Self.int(summary, k), "\(k)")
        }
        let total = summary["markers"] as? [String: Any]
        for k in Self.buckets {
            #expect(files.reduce(0) { $0 + Self.int($1["markers"] as? [String: Any], k) } == Self.int(total, k), "markers \(k)")
        }
        #expect(Self.int(summary, "commands") > 100 && Self.int(summary, "replies") > 100)
        // Per command name: the files' counts add up to the summary's, and to `commands`.
        var byName: [String: [Int]] = [:]
        for f in files {
            for (name, c) in f["commandsByName"] as? [String: [String: Int]] ?? [:] {
                let sum = byName[name] ?? [0, 0, 0]
                byName[name] = [sum[0] + (c["count"] ?? 0), sum[1] + (c["errors"] ?? 0), sum[2] + (c["invalid"] ?? 0)]
            }
            let perName = (f["commandsByName"] as? [String: [String: Int]] ?? [:]).values.reduce(0) { $0 + ($1["count"] ?? 0) }
            #expect(perName == Self.int(f, "commands"), "\(f["path"] ?? "?")")
            // Each message is found in one shape; a qmp-shell object is a command and its reply.
            let shapes = (f["dialects"] as? [String: Int] ?? [:]).values.reduce(0, +)
            let events = Self.int(f, "events"), commands = Self.int(f, "commands"), greetings = Self.int(f, "greetings")
            #expect(shapes >= events + commands + greetings && shapes <= events + commands + greetings + Self.int(f, "replies"),
                    "\(f["path"] ?? "?"): \(shapes) messages by shape")
            #expect(Self.int(f, "errorReplies") <= Self.int(f, "replies"))
        }
        let reported = (summary["commandsByName"] as? [String: [String: Int]] ?? [:]).mapValues {
            [$0["count"] ?? -1, $0["errors"] ?? -1, $0["invalid"] ?? -1]
        }
        #expect(reported == byName)
    }

    /// A finding says what it is about, and a stream finding about a command says it too.
    @Test func findingsSayWhatTheyAreAbout() throws {
        let report = try Self.jsonReport(Self.inputs)
        let findings = try #require(report["findings"] as? [[String: Any]])
        var kinds: [String: Int] = [:]
        for f in findings {
            let kind = f["kind"] as? String ?? "null"
            kinds[kind, default: 0] += 1
            if f["rule"] as? String == "unparsed-event-text" { #expect(f["kind"] is NSNull) }
            if ["rejected-command", "unanswered-command", "command-before-capabilities"].contains(f["rule"] as? String) {
                #expect(kind == "command", "\(f["rule"] ?? "?") at \(f["file"] ?? "?"):\(f["line"] ?? "?")")
            }
            if f["rule"] as? String == "reply-without-command" { #expect(kind == "reply") }
        }
        #expect(kinds["event", default: 0] > 0 && kinds["command", default: 0] > 0, "\(kinds)")
    }
}
