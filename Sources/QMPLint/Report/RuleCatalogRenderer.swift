/// Renders the rule catalogue from the rules' own declarations: plain text for `qmp-lint rules`,
/// Markdown for the README, JSON for tools. Rules are listed in the order given.
public enum RuleCatalogRenderer {
    /// One aligned line per rule (`id  severity  description`); with `verbose`, each rule is
    /// followed by its rationale and its examples.
    public static func text(_ rules: [RuleDescription], verbose: Bool = false) -> String {
        let idWidth = rules.map { $0.id.unicodeScalars.count }.max() ?? 0
        var out = ""
        for (n, rule) in rules.enumerated() {
            let description = DisplayText.escaped(rule.description)
            if verbose && n > 0 { out += "\n" }
            let pad = String(repeating: " ", count: idWidth - rule.id.unicodeScalars.count)
            let severity = rule.severity.rawValue
            out += rule.id + pad + "  " + severity + String(repeating: " ", count: 7 - severity.count) + "  "
            out += description + "\n"
            guard verbose else { continue }
            if !rule.rationale.isEmpty { out += "    " + DisplayText.escaped(rule.rationale) + "\n" }
            for (title, examples) in [("flagged", rule.triggering), ("not flagged", rule.nonTriggering)]
            where !examples.isEmpty {
                out += "    \(title):\n"
                for example in examples {
                    for line in lines(of: example) { out += "      " + DisplayText.escaped(line) + "\n" }
                }
            }
        }
        return out
    }

    /// A table of rules, then one section per rule with its rationale and examples in fenced
    /// code blocks (fences longer than any backtick run inside).
    public static func markdown(_ rules: [RuleDescription]) -> String {
        var out = "| Rule | Default severity | Description |\n|---|---|---|\n"
        for rule in rules {
            out +=
                "| [\(rule.id)](#\(rule.id)) | \(rule.severity.rawValue) | \(MarkdownReporter.escape(rule.description)) |\n"
        }
        for rule in rules {
            out += "\n### \(rule.id)\n\n"
            out += MarkdownReporter.escape(rule.description) + " Default severity: \(rule.severity.rawValue).\n"
            if !rule.rationale.isEmpty { out += "\n" + MarkdownReporter.escape(rule.rationale) + "\n" }
            for (title, examples) in [("Flagged", rule.triggering), ("Not flagged", rule.nonTriggering)]
            where !examples.isEmpty {
                out += "\n\(title):\n\n"
                out += examples.map(fenced).joined(separator: "\n")
            }
        }
        return out
    }

    /// The page of one rule (`docs/rules/RULE.md`, `qmp-lint rules RULE --format markdown`):
    /// what it flags, its default severity, why, examples, how to configure it. Not
    /// `standalone` (SARIF's `help.markdown`): without the title and the link to the index.
    public static func page(_ rule: RuleDescription, standalone: Bool = true) -> String {
        var out = standalone ? "# \(rule.id)\n\n" : ""
        out += MarkdownReporter.escape(rule.description) + "\n\n"
        out += "Default severity: **\(rule.severity.rawValue)**.\n"
        if !rule.rationale.isEmpty { out += "\n## Why\n\n" + MarkdownReporter.escape(rule.rationale) + "\n" }
        for (title, examples) in [("Flagged", rule.triggering), ("Not flagged", rule.nonTriggering)]
        where !examples.isEmpty {
            out += "\n## \(title)\n\n"
            out += examples.map(fenced).joined(separator: "\n")
        }
        out += "\n## Configuration\n\n"
        out += "Change its severity or turn it off in `.qmp-lint.yml`:\n\n"
        out += "```yaml\nseverity: {\(rule.id): \(rule.severity == .error ? "warning" : "error")}   # error, warning, note or off\n```\n\n"
        out += "For one run: `--disable \(rule.id)`; `--enable \(rule.id)` turns it back on when the "
        out += "configuration file turns it off.\n"
        if standalone { out += "\n[All rules](../rules.md)\n" }
        return out
    }

    /// The table of rules, each id linking to `link(id)`.
    public static func index(_ rules: [RuleDescription], link: (String) -> String) -> String {
        var out = "| Rule | Default severity | Description |\n|---|---|---|\n"
        for rule in rules {
            out += "| [\(rule.id)](\(link(rule.id))) | \(rule.severity.rawValue) | \(MarkdownReporter.escape(rule.description)) |\n"
        }
        return out
    }

    /// `[{"id", "severity", "description", "rationale", "triggering", "nonTriggering"}]`.
    /// With `docs`, each object also has `url`, its page.
    public static func json(_ rules: [RuleDescription], docs: RuleDocs? = nil) -> String {
        var w = ReportJSONWriter(pretty: true)
        w.beginArray()
        for rule in rules {
            w.beginObject()
            w.member("id", rule.id)
            w.member("severity", rule.severity.rawValue)
            w.member("description", rule.description)
            w.member("rationale", rule.rationale)
            for (key, examples) in [("triggering", rule.triggering), ("nonTriggering", rule.nonTriggering)] {
                w.key(key)
                w.beginArray()
                for example in examples { w.string(example) }
                w.endArray()
            }
            if let docs { w.member("url", docs.url(for: rule.id)) }
            w.endObject()
        }
        w.endArray()
        return w.output + "\n"
    }

    static func fenced(_ code: String) -> String {
        var longest = 0
        var run = 0
        for scalar in code.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = lines(of: code).map(DisplayText.escaped).joined(separator: "\n")
        return fence + "\n" + body + "\n" + fence + "\n"
    }

    /// The lines of `text`, split at LF (a CR before it stays, and is shown as `\r`).
    static func lines(of text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0))
        }
    }
}
