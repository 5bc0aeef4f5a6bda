/// Which QEMU releases could have produced some logs: one run reads every input once (standard
/// input too) and probes every message against every built-in release (`ReleaseProbe`, as
/// version inference does); a release fits when it describes every message of every stream.
public enum Compatibility {
    public struct Verdict: Sendable {
        public var version: String
        /// The first message this release does not describe, nil when it describes them all.
        public var exclusion: ReportFinding?
        public var accepted: Bool { exclusion == nil }
    }

    /// The verdicts, oldest release first; empty when the inputs hold no message at all.
    public static func check(_ discovery: InputDiscovery.Result, jobs: Int) -> [Verdict] {
        let provider = SchemaSelectingProvider(fixed: nil, inferAlways: true)
        let results = Linter(jobs: jobs, selector: provider).run(discovery).results
        var fits = Releases.all
        var weighed = 0
        var first: [Int: ReportFinding] = [:]
        for r in results.sorted(by: { $0.summary.path < $1.summary.path }) {
            for v in r.summary.versions {
                weighed += v.weighed
                fits = fits.intersection(v.fitsMask)
                for e in v.exclusions {
                    // The first in the first file (files in path order) stands for the release.
                    if let old = first[e.release], old.file != r.summary.path || (old.line, old.column) <= (e.line, e.column) {
                        continue
                    }
                    first[e.release] = ReportFinding(
                        file: r.summary.path, line: e.line, column: e.column, eventLine: e.line, event: nil,
                        rule: "compat", severity: .error,
                        message: "\(e.what) does not fit qemu-\(Releases.versions[e.release])'s schema",
                        pointer: "", eventHash: "", sourceLine: "")
                }
            }
        }
        guard weighed > 0 else { return [] }
        return Releases.versions.indices.map { i in
            Verdict(version: Releases.versions[i], exclusion: fits.contains(i) ? nil : first[i] ?? ReportFinding(
                file: "", line: 0, column: 0, eventLine: 0, event: nil, rule: "compat", severity: .error,
                message: "some message does not fit its schema", pointer: "", eventHash: "", sourceLine: ""))
        }
    }

    /// Runs of consecutive accepting releases, as `first-last` (or one version).
    public static func ranges(_ verdicts: [Verdict]) -> [String] {
        var out: [String] = []
        var start: String?
        var last: String?
        for v in verdicts {
            if v.accepted {
                if start == nil { start = v.version }
                last = v.version
            } else if let s = start {
                out.append(s == last! ? s : "\(s)-\(last!)"); start = nil
            }
        }
        if let s = start { out.append(s == last! ? s : "\(s)-\(last!)") }
        return out
    }

    public static func render(_ verdicts: [Verdict], json: Bool) -> String {
        let ranges = ranges(verdicts)
        if json {
            var w = JSONWriter(pretty: true)
            w.beginObject()
            if verdicts.isEmpty { w.member("note", "no QMP messages found: nothing to decide") }
            w.key("compatible"); w.beginArray(); for r in ranges { w.string(r) }; w.endArray()
            w.key("versions"); w.beginArray()
            for v in verdicts {
                w.beginObject(); w.member("version", v.version); w.member("accepted", v.accepted)
                if let f = v.exclusion {
                    w.key("exclusion"); w.beginObject()
                    w.member("file", f.file); w.member("line", f.line); w.member("column", f.column)
                    w.member("event", f.event); w.member("rule", f.rule); w.member("message", f.message)
                    w.endObject()
                }
                w.endObject()
            }
            w.endArray(); w.endObject()
            return w.text + "\n"
        }
        if verdicts.isEmpty { return "No QMP messages found: nothing to decide.\n" }
        var out = ranges.isEmpty ? "No built-in QEMU release describes every message.\n"
            : "Compatible with QEMU " + ranges.joined(separator: ", ") + "\n"
        for v in verdicts where !v.accepted {
            let f = v.exclusion!
            out += "  not \(v.version): \(f.file):\(f.line):\(f.column): \(f.message) [\(f.rule)]\n"
        }
        return out
    }
}
