import Foundation
import Testing
@testable import QMPLint

/// The generated benchmark corpus (../shared/bench/gen_corpus.py) has an exact answer key; the
/// JSON report must agree with it (../shared/bench/check_report.py), whatever the thread count
/// and however the file is split.
@Suite(.enabled(if: TestPaths.sharedAvailable && TestPaths.pythonAvailable, "needs ../shared and python3"))
struct AnswerKeyTests {
    static func run(_ args: [String]) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try? p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(arguments: [(11, 1, 32 << 20), (12, 2, 1 << 20), (13, 2, 300_000)])
    func reportAgreesWithKey(seed: Int, jobs: Int, split: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-key-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.log").path
        let gen = Self.run([TestPaths.sharedPath("bench/gen_corpus.py"), "--seed", "\(seed)", "--size-mb", "3", "--out", corpus])
        try #require(gen.0 == 0, "gen_corpus failed: \(gen.1)")
        var s = LintSettings()
        s.paths = [corpus]
        s.format = .json
        s.output = dir.appendingPathComponent("report.json").path
        s.jobs = jobs
        s.chunkGeometry = ChunkGeometry(size: split)
        s.progress = false
        // Every rule on: the stateful rules' warnings on the generator's random event order
        // (job statuses, STOP/RESUME, rate-limited events) add no error-level finding.
        let status = LintRunner.runWritingFiles(s)
        #expect(status == .findings)
        let check = Self.run([TestPaths.sharedPath("bench/check_report.py"), corpus + ".key.json", s.output!])
        #expect(check.0 == 0, "\(check.1)")
        // Per-name counts match too.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.output!))) as! [String: Any]
        let key = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: corpus + ".key.json"))) as! [String: Any]
        let byName = (report["summary"] as! [String: Any])["eventsByName"] as! [String: Int]
        #expect(byName == key["events_by_name"] as! [String: Int])
    }
}
