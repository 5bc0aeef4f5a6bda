/// GitLab Code Quality (`--format gitlab`): a JSON array of issues in the CodeClimate subset
/// GitLab reads (`description`, `check_name`, `fingerprint`, `severity`, `location`).
///
/// Severities map error -> `major`, warning -> `minor`, note -> `info`. The fingerprint hashes
/// file, rule, event hash, pointer and the occurrence number among findings that share those,
/// so it is unique within a report and stable across runs. An unreadable file is one `major`
/// issue with check name `unreadable-file`.
public enum GitLabCodeQualityReporter: DocumentReporter {
    public static let identifier = "gitlab"
    public static let description = "GitLab Code Quality report (JSON)"
    public static let fileExtension = "json"

    public static func renderDocument(_ report: LintReport, options: ReportOptions) -> String {
        var w = ReportJSONWriter(pretty: true)
        var occurrences: [String: Int] = [:]
        w.beginArray()
        for group in report.findingsByFile {
            if let reason = group.summary?.readError {
                writeIssue(
                    description: "cannot read \(group.path): \(reason)", check: "unreadable-file",
                    fingerprint: StableHash.hex(ofFields: ["unreadable-file", group.path]),
                    severity: "major", path: group.path, line: 1, to: &w)
            }
            for f in group.findings {
                let key = [f.file, f.rule, f.eventHash, f.pointer]
                let keyHash = StableHash.hex(ofFields: key)
                let occurrence = occurrences[keyHash, default: 0]
                occurrences[keyHash] = occurrence + 1
                writeIssue(
                    description: f.message, check: f.rule,
                    fingerprint: StableHash.hex(ofFields: key + [String(occurrence)]),
                    severity: severity(f.severity), path: f.file, line: max(1, f.line), to: &w)
            }
        }
        w.endArray()
        return w.output + "\n"
    }

    static func severity(_ s: Severity) -> String {
        switch s {
        case .error: "major"
        case .warning: "minor"
        case .note: "info"
        }
    }

    static func writeIssue(
        description: String, check: String, fingerprint: String, severity: String,
        path: String, line: Int, to w: inout ReportJSONWriter
    ) {
        w.beginObject()
        w.member("description", description)
        w.member("check_name", check)
        w.member("fingerprint", fingerprint)
        w.member("severity", severity)
        w.key("location")
        w.beginObject()
        w.member("path", path)
        w.key("lines")
        w.beginObject()
        w.member("begin", line)
        w.endObject()
        w.endObject()
        w.endObject()
    }
}
