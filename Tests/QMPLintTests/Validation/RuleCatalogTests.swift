import Testing
@testable import QMPLint

@Suite struct ValidationRuleCatalogTests {
    @Test func idsAreUniqueKebabCaseAndLookedUp() {
        let ids = RuleCatalog.all.map(\.id)
        #expect(ids.count == 25)
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
            "unplug-unconfirmed": .warning,
        ]
        #expect(Dictionary(uniqueKeysWithValues: RuleCatalog.all.map { ($0.id, $0.severity) }) == expected)
    }

    @Test func everyRuleIsDocumentedWithExamples() {
        for r in RuleCatalog.all {
            #expect(!r.description.isEmpty && !r.rationale.isEmpty, "\(r.id)")
            #expect(!r.triggering.isEmpty && !r.nonTriggering.isEmpty, "\(r.id)")
            for e in r.triggering + r.nonTriggering { #expect(!e.contains("\n"), "\(r.id): one line each") }
        }
    }

    /// The schema a rule's examples assume (see each rule's rationale).
    static func validator(for id: String) -> EventValidator {
        switch id {
        case "deprecated-member", "deprecated-value": EventValidator(schema: TestSchemas.withDeprecations)
        default: EventValidator(schema: TestSchemas.qemu)
        }
    }

    /// Rules checked event by event (the stateful rules' examples are transcripts: `StreamRuleExampleTests`).
    static let perEventIDs = RuleID.allCases.filter { !$0.isStateful }.map(\.id)

    @Test(arguments: perEventIDs)
    func triggeringExamplesFire(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id: id))
        let v = Self.validator(for: id)
        for example in rule.triggering {
            let c = check(example, v)
            if id == "malformed-json" {
                #expect(c == nil, "should not parse: \(example)")
            } else {
                let c = try #require(c, "does not parse: \(example)")
                #expect(c.rules.contains(id), "\(id) did not fire on \(example): \(c.rules)")
            }
        }
    }

    @Test(arguments: perEventIDs)
    func nonTriggeringExamplesDoNotFire(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id: id))
        let v = Self.validator(for: id)
        for example in rule.nonTriggering {
            let c = try #require(check(example, v), "does not parse: \(example)")
            #expect(!c.rules.contains(id), "\(id) fired on \(example): \(c.findings)")
            #expect(c.errors.isEmpty, "errors on a non-triggering example \(example): \(c.errors)")
        }
    }
}
