import Foundation
import Testing
@testable import QMPLint

@Suite struct ValidationRuleCatalogTests {
    @Test func idsAreUniqueKebabCaseAndLookedUp() {
        let ids = RuleCatalog.all.map(\.id)
        #expect(ids.count == RuleRegistry.all.count)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(id)")
            #expect(RuleCatalog.rule(id: id)?.id == id)
        }
        #expect(RuleCatalog.rule(id: "no-such-rule") == nil)
    }

    @Test func defaultSeverities() {
        let expected: [String: Severity] = [
            "malformed-json": .error, "missing-timestamp": .error, "malformed-timestamp": .error,
            "filtered-timestamp": .note, "unexpected-envelope-member": .error, "unknown-event": .error,
            "missing-data": .error, "empty-data": .warning, "missing-member": .error,
            "unexpected-member": .warning, "type-mismatch": .error, "enum-value": .error,
            "integer-range": .error, "duplicate-key": .error, "deprecated-event": .warning,
            "deprecated-member": .warning, "deprecated-value": .warning, "unstable-member": .note,
            "conditional-event": .note, "job-transition": .warning, "block-job-status": .warning,
            "timestamp-regression": .warning, "rate-limit": .warning, "run-state": .warning,
            "unplug-unconfirmed": .warning, "unparsed-event-text": .warning,
        ]
        for r in RuleCatalog.all where expected[r.id] != nil { #expect(r.severity == expected[r.id], "\(r.id)") }
    }

    @Test func everyRuleIsDocumentedWithExamples() {
        for r in RuleCatalog.all {
            #expect(!r.description.isEmpty && !r.rationale.isEmpty, "\(r.id)")
            #expect(!r.triggering.isEmpty && !r.nonTriggering.isEmpty, "\(r.id)")
            for e in r.triggering + r.nonTriggering { #expect(!e.hasSuffix("\n") && !e.hasPrefix("\n"), "\(r.id): \(e)") }
            for e in r.triggering { #expect(e.contains("↓"), "\(r.id): a triggering example marks its findings: \(e)") }
            for e in r.nonTriggering { #expect(!e.contains("↓"), "\(r.id): \(e)") }
        }
    }

    /// Every observation kind of the schema walk is claimed by exactly one rule per message kind.
    @Test func observationsHaveOneRuleEach() {
        var owner: [String: String] = [:]
        for r in RuleRegistry.all {
            guard let m = r as? any MessageRule.Type else { continue }
            for (o, kinds) in m.claims {
                for k in kinds {
                    let key = "\(o) \(k)"
                    #expect(owner[key] == nil, "\(key) claimed by \(owner[key] ?? "") and \(m.description.id)")
                    owner[key] = m.description.id
                }
            }
        }
    }
}

/// Each rule's examples run through the whole pipeline (extraction, validation against the test
/// schema, the reducer): a triggering example gives findings of the rule exactly where its `↓`
/// marks are, a non-triggering one none (and no error).
@Suite struct RuleExampleTests {
    static let ids = RuleCatalog.ids

    /// The schema a rule's examples assume (see each rule's rationale); nil: the built-in
    /// releases, the release inferred from the messages (`version-conflict` is about that).
    static func schema(for id: String) -> Schema? {
        switch id {
        case "deprecated-member", "deprecated-value": TestSchemas.withDeprecations
        case "version-conflict": nil
        default: TestSchemas.qemu
        }
    }

    /// An example without its marks, and where the marks stood: (line, byte column), both 1-based.
    static func unmarked(_ example: String) -> (text: String, marks: [Mark]) {
        var text: [UInt8] = []
        var marks: [Mark] = []
        var line = 1, lineStart = 0
        for ch in example {
            if ch == "↓" {
                marks.append(Mark(line: line, column: text.count - lineStart + 1))
            } else {
                text += Array(String(ch).utf8)
                if ch == "\n" { line += 1; lineStart = text.count }
            }
        }
        return (String(decoding: text, as: UTF8.self), marks)
    }

    struct Mark: Comparable, CustomStringConvertible {
        var line: Int, column: Int
        static func < (a: Mark, b: Mark) -> Bool { (a.line, a.column) < (b.line, b.column) }
        var description: String { "\(line):\(column)" }
    }

    static func findings(_ text: String, schema: Schema?) -> [ReportFinding] {
        let selector = SchemaSelectingProvider(fixed: schema.map { ($0, SchemaChoice(name: $0.name, reason: "test")) })
        let linter = Linter(jobs: 1, selector: selector)
        return linter.lint(bytes: Array((text + "\n").utf8), path: "example.log").findings
    }

    /// Issue 17.4: GitHub, GitLab, CSV and `-q` show only the message, so a finding about a
    /// value names the message, the member's path and the schema release it was checked against.
    @Test(arguments: ["type-mismatch", "enum-value", "integer-range", "missing-member", "unexpected-member",
                      "deprecated-member", "deprecated-value", "deprecated-argument", "unstable-member",
                      "duplicate-key", "invalid-return"])
    func valueFindingsNameMessageMemberAndRelease(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id: id))
        for example in rule.triggering {
            let (text, _) = Self.unmarked(example)
            let schema = Self.schema(for: id)
            for f in Self.findings(text, schema: schema) where f.rule == id {
                let name = try #require(f.event, "\(id): \(f.message)")
                if ["/event", "/execute", "/exec-oob"].contains(f.pointer) {
                    // About the message as a whole (an unstable event): its name and release.
                    #expect(f.message.contains(name), "\(id): \(f.message)")
                } else {
                    #expect(f.message.hasPrefix(name + " " + f.pointer + ": "), "\(id): \(f.message)")
                }
                if let schema { #expect(f.message.contains(schema.name), "\(id): \(f.message)") }
            }
        }
    }

    @Test(arguments: ids)
    func triggeringExamplesFireWhereMarked(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id: id))
        for example in rule.triggering {
            let (text, marks) = Self.unmarked(example)
            let found = Self.findings(text, schema: Self.schema(for: id)).filter { $0.rule == id }
            let at = found.map { Mark(line: $0.line, column: $0.column) }.sorted()
            if ProcessInfo.processInfo.environment["QMPLINT_PRINT_MARKS"] == "1" {
                print("MARKS \(id) \(at) \(text)")
            }
            #expect(!found.isEmpty, "\(id) did not fire on \(text)")
            #expect(at == marks.sorted(), "\(id) on \(text): found at \(at), marked at \(marks)")
        }
    }

    @Test(arguments: ids)
    func nonTriggeringExamplesDoNotFire(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id: id))
        for example in rule.nonTriggering {
            let found = Self.findings(example, schema: Self.schema(for: id))
            #expect(!found.contains { $0.rule == id }, "\(id) fired on \(example)")
            #expect(!found.contains { $0.severity == .error }, "errors on a non-triggering example \(example): \(found)")
        }
    }
}
