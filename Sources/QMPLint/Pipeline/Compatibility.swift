/// Which QEMU releases could have produced some logs: every input is checked against every
/// built-in catalog; a release is excluded by any finding that depends on the schema (an unknown
/// event, a missing or unexpected member, a wrong type or enum value, an out-of-range integer).
public enum Compatibility {
    /// Rules whose findings say "this schema does not describe that event".
    public static let schemaRules: Set<String> = [
        "unknown-event", "missing-data", "missing-member", "unexpected-member", "type-mismatch",
        "enum-value", "integer-range", "empty-data",
    ]

    public struct Verdict: Sendable {
        public var version: String
        /// The first finding that excludes this release, nil when it accepts every event.
        public var exclusion: ReportFinding?
        public var accepted: Bool { exclusion == nil }
    }

    public static func check(_ discovery: InputDiscovery.Result, jobs: Int) -> [Verdict] {
        var out: [Verdict] = []
        for v in BuiltinCatalogs.versions {
            guard let schema = try? BuiltinCatalogs.load(version: v) else { continue }
            let choice = SchemaChoice(name: "qemu-\(v)", reason: "compat")
            let provider = SchemaSelectingProvider(fixed: (schema, choice))
            let linter = Linter(jobs: jobs, selector: provider)
            let report = linter.run(discovery).report
            let first = report.findings.first { f in
                schemaRules.contains(f.rule) && (f.severity == .error || f.rule == "unexpected-member")
            }
            out.append(Verdict(version: v, exclusion: first))
        }
        return out
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
        var out = ranges.isEmpty ? "No built-in QEMU release accepts every event.\n"
            : "Compatible with QEMU " + ranges.joined(separator: ", ") + "\n"
        for v in verdicts where !v.accepted {
            let f = v.exclusion!
            out += "  not \(v.version): \(f.file):\(f.line):\(f.column): \(f.message) [\(f.rule)]\n"
        }
        return out
    }
}
