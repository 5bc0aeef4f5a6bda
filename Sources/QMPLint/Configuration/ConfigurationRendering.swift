extension QMPLintConfiguration {
    /// The configuration as YAML, keys in `keys` order, rules and severities sorted, lists in
    /// file order; keys the file does not set are left out. Loading the text gives back an equal
    /// configuration (except `baseDirectory`).
    public func render() -> String {
        var out = YAMLWriter()
        if let schema { out.scalar("schema", schema) }
        if let qemuVersion { out.scalar("qemu-version", qemuVersion) }
        if let format { out.scalar("format", format.rawValue) }
        if let reports { out.reports(reports.map { ($0.format.rawValue, $0.path) }) }
        if !disabledRules.isEmpty { out.list("disabled-rules", disabledRules.sorted()) }
        if !severity.isEmpty { out.map("severity", severity.mapValues(\.rawValue)) }
        if let include { out.list("include", include) }
        if let exclude { out.list("exclude", exclude) }
        if let minSeverity { out.plain("min-severity", minSeverity.rawValue) }
        if let failOn { out.plain("fail-on", failOn.rawValue) }
        if let strict { out.plain("strict", strict ? "true" : "false") }
        if let jobs { out.plain("jobs", String(jobs)) }
        if let color { out.plain("color", color.rawValue) }
        if let baseline { out.scalar("baseline", baseline) }
        return out.text
    }

    /// The effective configuration of a run (defaults, then the file, then flags, already merged
    /// into `settings`) as YAML, for `qmp-lint config`. Every key is shown in `keys` order;
    /// a setting with no value is shown as a comment saying what happens instead, so the text is
    /// itself a valid configuration file. `jobs` 0 (one per core) is shown that way too.
    public static func render(effective settings: LintSettings) -> String {
        var out = YAMLWriter()
        if let schema = settings.schemaPath {
            out.scalar("schema", schema)
        } else {
            out.comment("schema: (none)")
        }
        if let version = settings.qemuVersion {
            out.scalar("qemu-version", version)
        } else {
            out.comment(settings.schemaPath == nil ? "qemu-version: (newest built-in)" : "qemu-version: (none)")
        }
        out.scalar("format", settings.format.rawValue)
        out.reports(settings.reports.map { ($0.format.rawValue, $0.path) })
        out.list("disabled-rules", settings.effectiveDisabledRules.sorted())
        out.map("severity", settings.severities.mapValues(\.rawValue))
        out.list("include", settings.include)
        out.list("exclude", settings.exclude)
        if let minimum = settings.minSeverity {
            out.plain("min-severity", minimum.rawValue)
        } else {
            out.comment("min-severity: (every finding; text summarises notes)")
        }
        out.plain("fail-on", settings.failOn.rawValue)
        if settings.jobs > 0 { out.plain("jobs", String(settings.jobs)) } else { out.comment("jobs: (one per core)") }
        out.plain("color", settings.color.rawValue)
        if let baseline = settings.baseline {
            out.scalar("baseline", baseline)
        } else {
            out.comment("baseline: (none)")
        }
        return out.text
    }
}

/// Writes block-style YAML with scalars quoted only when they must be.
struct YAMLWriter {
    var text = ""

    mutating func comment(_ s: String) { text += "# \(s)\n" }
    mutating func plain(_ key: String, _ value: String) { text += "\(key): \(value)\n" }
    mutating func scalar(_ key: String, _ value: String) { text += "\(key): \(Self.quoted(value))\n" }

    mutating func list(_ key: String, _ values: [String]) {
        if values.isEmpty {
            text += "\(key): []\n"
            return
        }
        text += "\(key):\n"
        for v in values { text += "  - \(Self.quoted(v))\n" }
    }

    /// A mapping of sorted keys to plain values (rule levels: `off` stays a word).
    mutating func map(_ key: String, _ values: [String: String]) {
        if values.isEmpty {
            text += "\(key): {}\n"
            return
        }
        text += "\(key):\n"
        for k in values.keys.sorted() { text += "  \(Self.quoted(k)): \(values[k]!)\n" }
    }

    mutating func reports(_ reports: [(format: String, path: String)]) {
        if reports.isEmpty {
            text += "reports: []\n"
            return
        }
        text += "reports:\n"
        for r in reports { text += "  - format: \(Self.quoted(r.format))\n    path: \(Self.quoted(r.path))\n" }
    }

    /// `s` as a YAML scalar that reads back as the same string: plain for a simple word
    /// (`isPlainWord`), double-quoted otherwise (`"8.2"`, `"*.log"`, `"./schema"`).
    static func quoted(_ s: String) -> String {
        if isPlainWord(s) { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7f {
                    let hex = String(c.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    /// Words like `missing-member`, `qemu-8.2.0`, `sarif`, `logs/out.sarif` that hold digits but
    /// start with a letter or `/`: YAML cannot read those as numbers, dates or booleans.
    static func isPlainWord(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first,
            (first >= "a" && first <= "z") || (first >= "A" && first <= "Z") || first == "/"
        else { return false }
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"]
        return !reserved.contains(s.lowercased())
            && s.unicodeScalars.allSatisfy { c in
                (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
                    || "._/-+".unicodeScalars.contains(c)
            }
    }
}
