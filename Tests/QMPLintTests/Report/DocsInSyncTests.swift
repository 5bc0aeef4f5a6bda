import Foundation
import Testing

@testable import QMPLint

/// README's rule table, docs/rules.md and the page of each rule (docs/rules/RULE.md) are
/// generated from the rule declarations (`RuleCatalog.all`); this test keeps them in step
/// (`QMPLINT_UPDATE_DOCS=1` rewrites them, adding pages for new rules and removing the pages of
/// rules that are gone).
@Suite struct DocsInSyncTests {
    static let readme = TestPaths.repoRoot.appendingPathComponent("README.md")
    static let rulesDoc = TestPaths.repoRoot.appendingPathComponent("docs/rules.md")
    static let pages = TestPaths.repoRoot.appendingPathComponent(RuleDocs.folder)
    static var update: Bool { ProcessInfo.processInfo.environment["QMPLINT_UPDATE_DOCS"] == "1" }

    static func table() -> String {
        RuleCatalogRenderer.index(RuleCatalog.all) { "docs/rules/\($0).md" }.trimmingCharacters(in: .newlines)
    }

    @Test func rulesDocMatchesTheCatalogue() throws {
        let want =
            "# qmp-lint rules\n\nGenerated from the rule declarations (`qmp-lint rules`); each rule has its "
            + "own page, also printed by `qmp-lint rules RULE --format markdown`.\n\n"
            + RuleCatalogRenderer.index(RuleCatalog.all) { "rules/\($0).md" }
        if Self.update {
            try want.write(to: Self.rulesDoc, atomically: true, encoding: .utf8)
            return
        }
        #expect(try String(contentsOf: Self.rulesDoc, encoding: .utf8) == want)
    }

    /// One page per rule, named by its id, and no page for a rule that does not exist.
    @Test func everyRuleHasItsPage() throws {
        let fm = FileManager.default
        if Self.update { try fm.createDirectory(at: Self.pages, withIntermediateDirectories: true) }
        let existing = Set((try? fm.contentsOfDirectory(atPath: Self.pages.path)) ?? [])
        let wanted = Set(RuleCatalog.all.map { "\($0.id).md" })
        for rule in RuleCatalog.all {
            let url = Self.pages.appendingPathComponent("\(rule.id).md")
            let page = RuleCatalogRenderer.page(rule)
            if Self.update {
                try page.write(to: url, atomically: true, encoding: .utf8)
            } else {
                #expect(
                    (try? String(contentsOf: url, encoding: .utf8)) == page,
                    "\(url.lastPathComponent) is stale or missing (QMPLINT_UPDATE_DOCS=1)")
            }
        }
        for stale in existing.subtracting(wanted) {
            if Self.update {
                try fm.removeItem(at: Self.pages.appendingPathComponent(stale))
            } else {
                Issue.record("\(RuleDocs.folder)/\(stale) names no rule (QMPLINT_UPDATE_DOCS=1 removes it)")
            }
        }
    }

    /// The links reports print point at these pages.
    @Test func ruleURLsNameThePages() {
        for rule in RuleCatalog.all {
            #expect(RuleDocs.standard.url(for: rule.id).hasSuffix("/\(RuleDocs.folder)/\(rule.id).md"))
        }
    }

    @Test func readmeRuleTableMatchesTheCatalogue() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let begin = "<!-- rules:begin -->\n"
        let end = "<!-- rules:end -->"
        guard let a = text.range(of: begin), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else {
            Issue.record("README lacks the rule table markers")
            return
        }
        let current = String(text[a.upperBound..<b.lowerBound])
        if Self.update {
            try (String(text[..<a.upperBound]) + Self.table() + "\n" + String(text[b.lowerBound...])).write(
                to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == Self.table() + "\n")
    }
}
