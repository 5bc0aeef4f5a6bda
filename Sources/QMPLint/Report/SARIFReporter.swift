/// SARIF 2.1.0 (`--format sarif`) for code-scanning services: one run whose driver lists the
/// rule catalogue, one result per finding, the input files as artifacts, and unreadable files
/// as tool execution notifications. Each result's `properties` say what it is about (`kind`:
/// event, command, reply, greeting, or null), and an artifact's `properties.qemuReleases` the
/// QEMU release inferred per stream of an input whose release was not stated.
///
/// Locations are relative URI references against `%SRCROOT%` (absolute paths become `file:`
/// URIs). Columns are counted in Unicode code points (`columnKind`), converted from the byte
/// columns of the report using the finding's source line; when that line cannot tell (it was
/// trimmed), the byte column is kept. `partialFingerprints["qmpLintEventHash/v1"]` is the
/// event's content hash, the rule, a hash of the JSON Pointer and an occurrence number: stable
/// across runs, moves and unrelated edits of the log.
public enum SARIFReporter: DocumentReporter {
    public static let identifier = "sarif"
    public static let description = "SARIF 2.1.0, for GitHub code scanning and other viewers"
    public static let needsSourceLines = true
    public static let fileExtension = "sarif"

    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    static let fingerprintKey = "qmpLintEventHash/v1"
    static let baseID = "%SRCROOT%"

    public static func renderDocument(_ report: LintReport, options: ReportOptions) -> String {
        let rules = ruleList(catalogue: options.rules, findings: report.findings)
        var ruleIndex: [String: Int] = [:]
        for (i, rule) in rules.enumerated() where ruleIndex[rule.id] == nil { ruleIndex[rule.id] = i }
        let groups = report.findingsByFile
        var artifactIndex: [String: Int] = [:]
        for (i, group) in groups.enumerated() { artifactIndex[group.path] = i }

        var w = ReportJSONWriter(pretty: true)
        w.beginObject()
        w.member("$schema", schemaURI)
        w.member("version", "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()

        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.member("name", report.toolName)
        w.member("version", report.toolVersion)
        if let uri = options.informationURI { w.member("informationUri", uri) }
        w.key("rules")
        w.beginArray()
        for rule in rules { writeRule(rule, url: options.ruleURL(rule.id), to: &w) }
        w.endArray()
        w.endObject()
        w.endObject()

        if let cwd = options.workingDirectory, cwd.hasPrefix("/") {
            w.key("originalUriBaseIds")
            w.beginObject()
            w.key(baseID)
            w.beginObject()
            w.member("uri", "file://" + URIText.percentEncodedPath(cwd.hasSuffix("/") ? cwd : cwd + "/"))
            w.endObject()
            w.endObject()
        }

        w.key("invocations")
        w.beginArray()
        w.beginObject()
        w.member("executionSuccessful", report.summary.unreadableFiles == 0)
        w.key("toolExecutionNotifications")
        w.beginArray()
        for group in groups {
            guard let reason = group.summary?.readError else { continue }
            w.beginObject()
            w.member("level", "error")
            w.key("message")
            w.beginObject()
            w.member("text", "cannot read \(group.path): \(reason)")
            w.endObject()
            w.key("locations")
            w.beginArray()
            w.beginObject()
            w.key("physicalLocation")
            w.beginObject()
            w.key("artifactLocation")
            writeArtifactLocation(group.path, index: artifactIndex[group.path], to: &w)
            w.endObject()
            w.endObject()
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()

        w.key("artifacts")
        w.beginArray()
        for group in groups {
            w.beginObject()
            w.key("location")
            writeArtifactLocation(group.path, index: nil, to: &w)
            if let file = group.summary, file.readError == nil { w.member("length", file.bytes) }
            if let versions = group.summary?.versions, !versions.isEmpty {
                w.key("properties")
                w.beginObject()
                w.key("qemuReleases")
                w.beginArray()
                for v in versions { JSONReporter.writeVersion(v, to: &w) }
                w.endArray()
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()

        w.member("columnKind", "unicodeCodePoints")

        w.key("results")
        w.beginArray()
        var occurrences: [String: Int] = [:]
        for group in groups {
            for finding in group.findings {
                let base = fingerprintBase(finding)
                let occurrence = occurrences[base, default: 0] + 1
                occurrences[base] = occurrence
                writeResult(
                    finding, ruleIndex: ruleIndex[finding.rule]!,
                    artifactIndex: artifactIndex[group.path]!,
                    fingerprint: "\(base):\(occurrence)", to: &w)
            }
        }
        w.endArray()

        w.endObject()
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }

    /// The catalogue in its order, then rules only findings name (sorted), described minimally.
    static func ruleList(catalogue: [RuleDescription], findings: [ReportFinding]) -> [RuleDescription] {
        var rules = catalogue
        let known = Set(catalogue.map(\.id))
        var missing: [String: Severity] = [:]
        for f in findings where !known.contains(f.rule) {
            missing[f.rule] = max(missing[f.rule] ?? f.severity, f.severity)
        }
        for id in missing.keys.sorted() {
            rules.append(
                RuleDescription(
                    id: id, severity: missing[id]!, description: id,
                    rationale: "", triggering: [], nonTriggering: []))
        }
        return rules
    }

    /// One rule: descriptions, help as text and as Markdown (its documentation page), `helpUri`
    /// when the report links rules to their pages.
    static func writeRule(_ rule: RuleDescription, url: String?, to w: inout ReportJSONWriter) {
        w.beginObject()
        w.member("id", rule.id)
        w.member("name", pascalCase(rule.id))
        w.key("shortDescription")
        w.beginObject()
        w.member("text", rule.description)
        w.endObject()
        w.key("fullDescription")
        w.beginObject()
        w.member("text", rule.rationale.isEmpty ? rule.description : rule.description + " " + rule.rationale)
        w.endObject()
        if let url { w.member("helpUri", url) }
        w.key("help")
        w.beginObject()
        w.member("text", helpText(rule))
        if !rule.rationale.isEmpty || !rule.triggering.isEmpty { w.member("markdown", RuleCatalogRenderer.page(rule, standalone: false)) }
        w.endObject()
        w.key("defaultConfiguration")
        w.beginObject()
        w.member("level", rule.severity.rawValue)
        w.endObject()
        w.endObject()
    }

    /// The rationale, then the examples, indented.
    static func helpText(_ rule: RuleDescription) -> String {
        var parts: [String] = [rule.rationale.isEmpty ? rule.description : rule.rationale]
        if !rule.triggering.isEmpty {
            parts.append("Flagged:\n" + rule.triggering.map(indented).joined(separator: "\n"))
        }
        if !rule.nonTriggering.isEmpty {
            parts.append("Not flagged:\n" + rule.nonTriggering.map(indented).joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n")
    }

    /// An example, every line indented (some hold several log records).
    private static func indented(_ example: String) -> String {
        example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    /// `missing-member` -> `MissingMember`.
    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func writeArtifactLocation(_ path: String, index: Int?, to w: inout ReportJSONWriter) {
        w.beginObject()
        if path.hasPrefix("/") {
            w.member("uri", "file://" + URIText.percentEncodedPath(path))
        } else {
            w.member("uri", URIText.percentEncodedPath(path))
            w.member("uriBaseId", baseID)
        }
        if let index { w.member("index", index) }
        w.endObject()
    }

    static func writeResult(
        _ f: ReportFinding, ruleIndex: Int, artifactIndex: Int, fingerprint: String,
        to w: inout ReportJSONWriter
    ) {
        w.beginObject()
        w.member("ruleId", f.rule)
        w.member("ruleIndex", ruleIndex)
        w.member("level", f.severity.rawValue)
        w.key("message")
        w.beginObject()
        w.member("text", f.message)
        w.endObject()
        w.key("locations")
        w.beginArray()
        w.beginObject()
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        writeArtifactLocation(f.file, index: artifactIndex, to: &w)
        if f.line >= 1 {
            w.key("region")
            w.beginObject()
            w.member("startLine", f.line)
            if f.column >= 1 { w.member("startColumn", codePointColumn(f)) }
            if !f.sourceLine.isEmpty {
                // The log is rarely in the repository: the line is what a reviewer sees.
                w.key("snippet")
                w.beginObject()
                w.member("text", f.sourceSnippet)
                w.endObject()
            }
            w.endObject()
        }
        w.endObject()
        w.endObject()
        w.endArray()
        w.key("partialFingerprints")
        w.beginObject()
        w.member(fingerprintKey, fingerprint)
        w.endObject()
        w.key("properties")
        w.beginObject()
        w.member("kind", f.kind?.rawValue)
        w.member("event", f.event)
        w.member("eventLine", f.eventLine)
        w.member("pointer", f.pointer)
        w.endObject()
        w.endObject()
    }

    /// `eventHash:rule:hash(pointer)`; results append `:N`, the occurrence number among results
    /// sharing it (as GitHub does for its own line hashes), so identical findings stay distinct.
    static func fingerprintBase(_ f: ReportFinding) -> String {
        "\(f.eventHash):\(f.rule):\(StableHash.hex(of: f.pointer))"
    }

    /// The 1-based column in code points, from the 1-based byte column and the source line
    /// (the byte column when the line kept does not start at the line's beginning).
    static func codePointColumn(_ f: ReportFinding) -> Int {
        let target = f.column - 1
        guard target > 0, f.sourceLineStart == 1, target <= f.sourceLine.utf8.count else { return f.column }
        var bytes = 0
        var scalars = 0
        for scalar in f.sourceLine.unicodeScalars {
            if bytes >= target { break }
            bytes += UTF8.width(scalar)
            scalars += 1
        }
        return bytes == target ? scalars + 1 : f.column
    }
}
