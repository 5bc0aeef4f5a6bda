import Foundation

/// Findings accepted as known, so that a run reports only new ones (`--baseline`), written from a
/// run's report (`--write-baseline`).
///
/// Entries are keyed on content, never on line numbers: the file path as reported, the rule, the
/// event name, the hash of the event's text (`ReportFinding.eventHash`) and the JSON Pointer. A
/// known finding stays suppressed when log lines around it are added or removed; it comes back
/// when its event's text changes. `count` says how many identical findings an entry covers.
///
/// The file is JSON, entries sorted by file, rule, event, hash, pointer, one per line:
/// ```
/// {
///   "baselineVersion": 1,
///   "tool": "qmp-lint",
///   "entries": [
///     {"file": "a.log", "rule": "missing-member", "event": "BLOCK_JOB_COMPLETED", "eventHash": "…", "pointer": "/data", "count": 1}
///   ]
/// }
/// ```
/// `event` is null for malformed text without a name.
public struct Baseline: Sendable, Equatable {
    /// The format version this build writes and reads.
    public static let version = 1
    /// The `tool` member's value.
    public static let toolName = "qmp-lint"

    /// The identity of a finding in a baseline.
    public struct Key: Sendable, Hashable, Comparable {
        public var file: String
        public var rule: String
        public var event: String?
        public var eventHash: String
        public var pointer: String

        public init(file: String, rule: String, event: String?, eventHash: String, pointer: String) {
            self.file = file
            self.rule = rule
            self.event = event
            self.eventHash = eventHash
            self.pointer = pointer
        }

        /// The key of a reported finding.
        public init(_ finding: ReportFinding) {
            self.init(
                file: finding.file, rule: finding.rule, event: finding.event,
                eventHash: finding.eventHash, pointer: finding.pointer)
        }

        /// By file, rule, event (no name first), event hash, pointer.
        public static func < (a: Key, b: Key) -> Bool {
            if a.file != b.file { return a.file < b.file }
            if a.rule != b.rule { return a.rule < b.rule }
            if a.event != b.event {
                guard let ae = a.event else { return true }
                guard let be = b.event else { return false }
                return ae < be
            }
            if a.eventHash != b.eventHash { return a.eventHash < b.eventHash }
            return a.pointer < b.pointer
        }
    }

    /// Known findings with one key, `count` of them (at least 1).
    public struct Entry: Sendable, Equatable {
        public var key: Key
        public var count: Int
        public init(key: Key, count: Int) {
            self.key = key
            self.count = count
        }
    }

    /// Sorted by key, each key once.
    public private(set) var entries: [Entry]

    /// A baseline from entries in any order: entries with the same key are merged (counts added)
    /// and the result is sorted, so equal sets of findings give equal baselines.
    public init(entries: [Entry]) {
        var counts: [Key: Int] = [:]
        for e in entries { counts[e.key, default: 0] += e.count }
        self.entries = counts.keys.sorted().map { Entry(key: $0, count: counts[$0]!) }
    }

    /// Total number of findings covered.
    public var findingCount: Int { entries.reduce(0) { $0 + $1.count } }

    /// Every finding of `report`, as accepted.
    public static func make(from report: LintReport) -> Baseline {
        Baseline(entries: report.findings.map { Entry(key: Key($0), count: 1) })
    }

    /// The file's text: deterministic, ending with a newline.
    public func rendered() -> String {
        var out =
            "{\n  \"baselineVersion\": \(Baseline.version),\n  \"tool\": \(JSONEscaping.quoted(Baseline.toolName)),\n"
        if entries.isEmpty {
            out += "  \"entries\": []\n}\n"
            return out
        }
        out += "  \"entries\": [\n"
        for (i, e) in entries.enumerated() {
            out += "    {\"file\": "
            JSONEscaping.appendQuoted(e.key.file, to: &out)
            out += ", \"rule\": "
            JSONEscaping.appendQuoted(e.key.rule, to: &out)
            out += ", \"event\": "
            if let event = e.key.event { JSONEscaping.appendQuoted(event, to: &out) } else { out += "null" }
            out += ", \"eventHash\": "
            JSONEscaping.appendQuoted(e.key.eventHash, to: &out)
            out += ", \"pointer\": "
            JSONEscaping.appendQuoted(e.key.pointer, to: &out)
            out += ", \"count\": \(e.count)}"
            out += i == entries.count - 1 ? "\n" : ",\n"
        }
        out += "  ]\n}\n"
        return out
    }

    /// Writes `rendered()` to `path` (replacing the file atomically).
    public func write(to path: String) throws(BaselineError) {
        do {
            try Data(rendered().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BaselineError(path: path, message: "cannot write: \((error as NSError).localizedDescription)")
        }
    }
}
