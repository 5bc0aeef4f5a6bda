/// JUnit XML (`--format junit`) for CI test views, valid against the Jenkins xUnit
/// `junit-10.xsd`: one `<testsuite>` per input file, one `<testcase>` per finding.
///
/// Error-level findings are `<failure>`s. Warnings and notes are passing test cases whose
/// `<system-out>` carries the message: visible in the detail view without failing a build that
/// the exit status would pass. An unreadable file is one test case with an `<error>`. A file
/// without findings gets one passing test case, so every input shows up. Test-case names are
/// `line L: EVENT [rule] /pointer` (EVENT: the event's or command's name; for a reply, the command
/// it answers), numbered `(2)`, `(3)`... when they would repeat.
public enum JUnitReporter: DocumentReporter {
    public static let identifier = "junit"
    public static let description = "JUnit XML: a test suite per file, a test case per finding"
    public static let needsSourceLines = true
    public static let fileExtension = "xml"

    public static func renderDocument(_ report: LintReport, options: ReportOptions) -> String {
        let groups = report.findingsByFile
        var body = ""
        var totalTests = 0
        var totalFailures = 0
        var totalErrors = 0
        for group in groups {
            var cases = ""
            var tests = 0
            var failures = 0
            var errors = 0
            let classname = group.path
            if let reason = group.summary?.readError {
                tests += 1
                errors += 1
                cases += "    <testcase name=\"read file\" classname=\(XMLText.attribute(classname))>\n"
                cases += "      <error type=\"unreadable-file\" message=\(XMLText.attribute(reason))>"
                cases += XMLText.text(reason) + "</error>\n"
                cases += "    </testcase>\n"
            }
            var usedNames: [String: Int] = [:]
            for f in group.findings {
                tests += 1
                var name = "line \(f.line): \(f.event ?? unnamed(f.kind)) [\(f.rule)]"
                if !f.pointer.isEmpty { name += " " + f.pointer }
                let seen = usedNames[name, default: 0] + 1
                usedNames[name] = seen
                if seen > 1 { name += " (\(seen))" }
                let detail =
                    "\(f.file):\(f.line):\(f.column): \(f.severity.rawValue): \(f.message) [\(f.rule)]"
                    + (f.sourceLine.isEmpty ? "" : "\n" + f.sourceSnippet)
                cases += "    <testcase name=\(XMLText.attribute(name)) classname=\(XMLText.attribute(classname))>\n"
                if f.severity == .error {
                    failures += 1
                    cases += "      <failure type=\(XMLText.attribute(f.rule)) message=\(XMLText.attribute(f.message))>"
                    cases += XMLText.text(detail) + "</failure>\n"
                } else {
                    cases += "      <system-out>" + XMLText.text(detail) + "</system-out>\n"
                }
                cases += "    </testcase>\n"
            }
            if tests == 0 {
                tests = 1
                let events = group.summary?.events ?? 0
                cases += "    <testcase name=\(XMLText.attribute("all \(counted(events, "event")) valid"))"
                cases += " classname=\(XMLText.attribute(classname))/>\n"
            }
            body += "  <testsuite name=\(XMLText.attribute(group.path)) tests=\"\(tests)\""
            body += " failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\""
            body += " file=\(XMLText.attribute(group.path))>\n"
            body += cases
            body += "  </testsuite>\n"
            totalTests += tests
            totalFailures += failures
            totalErrors += errors
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\(XMLText.attribute(report.toolName)) tests=\"\(totalTests)\""
        out += " failures=\"\(totalFailures)\" errors=\"\(totalErrors)\""
        if body.isEmpty { return out + "/>\n" }
        return out + ">\n" + body + "</testsuites>\n"
    }

    /// What a test case is named after when its finding names no event or command.
    static func unnamed(_ kind: MessageKind?) -> String {
        switch kind {
        case .command: "(unnamed command)"
        case .reply: "(reply)"
        case .greeting: "(greeting)"
        case .event, nil: "(unnamed event)"
        }
    }
}

/// XML 1.0 escaping for reports.
enum XMLText {
    /// Character data: `&`, `<`, `>` as entities; characters XML 1.0 forbids (C0 controls other
    /// than tab, LF, CR; U+FFFE, U+FFFF) replaced by visible escapes such as `\x1b`; DEL, C1
    /// controls and bidirectional controls (U+202A-U+202E, U+2066-U+2069) as character references
    /// (`&#x9b;`), so a viewer never acts on them.
    static func text(_ s: String) -> String { escape(s, inAttribute: false) }

    /// A double-quoted attribute value, quotes included; tab, LF and CR become character
    /// references so that attribute-value normalisation keeps them.
    static func attribute(_ s: String) -> String { "\"" + escape(s, inAttribute: true) + "\"" }

    private static func escape(_ s: String, inAttribute: Bool) -> String {
        let plain = s.utf8.allSatisfy { byte in
            byte >= 0x20 && byte != 0x26 && byte != 0x3C && byte != 0x3E && byte != 0x22 && byte != 0x7F
                && byte != 0xC2 && byte != 0xE2 && byte != 0xEF
        }
        // 0xC2 leads C1 controls, 0xE2 bidirectional controls, 0xEF U+FFFE/U+FFFF; other bytes
        // are never escaped.
        if plain { return s }
        var out = ""
        appendReplacing(s, to: &out) { scalar in
            switch scalar.value {
            case 0x26: return "&amp;"
            case 0x3C: return "&lt;"
            case 0x3E: return "&gt;"
            case 0x22 where inAttribute: return "&quot;"
            case 0x09 where inAttribute: return "&#9;"
            case 0x0A where inAttribute: return "&#10;"
            case 0x0D: return "&#13;"  // also in text: a bare CR would be read as LF
            case 0x00..<0x09, 0x0B, 0x0C, 0x0E..<0x20: return DisplayText.visibleEscape(scalar)
            case 0xFFFE, 0xFFFF: return "\\u{" + String(scalar.value, radix: 16) + "}"
            case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return "&#x" + String(scalar.value, radix: 16) + ";"
            default: return nil
            }
        }
        return out
    }
}
