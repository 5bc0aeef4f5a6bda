import Foundation
import Testing
@testable import QMPLint

/// README's rule table and docs/rules.md are generated from the rule declarations; this test
/// keeps them in step (`QMPLINT_UPDATE_DOCS=1` rewrites them).
@Suite struct DocsInSyncTests {
    static let readme = TestPaths.repoRoot.appendingPathComponent("README.md")
    static let rulesDoc = TestPaths.repoRoot.appendingPathComponent("docs/rules.md")
    static var update: Bool { ProcessInfo.processInfo.environment["QMPLINT_UPDATE_DOCS"] == "1" }

    static func table() -> String {
        let full = RuleCatalogRenderer.markdown(RuleCatalog.all)
        let lines = full.split(separator: "\n", omittingEmptySubsequences: false)
        let table = lines.prefix { !$0.hasPrefix("###") }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return table.replacingOccurrences(of: "](#", with: "](docs/rules.md#")
    }

    @Test func rulesDocMatchesTheCatalogue() throws {
        let want = "# qmp-lint rules\n\nGenerated from the rule declarations (`qmp-lint rules --format markdown`).\n\n"
            + RuleCatalogRenderer.markdown(RuleCatalog.all)
        if Self.update { try want.write(to: Self.rulesDoc, atomically: true, encoding: .utf8); return }
        #expect(try String(contentsOf: Self.rulesDoc, encoding: .utf8) == want)
    }

    @Test func readmeRuleTableMatchesTheCatalogue() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let begin = "<!-- rules:begin -->\n", end = "<!-- rules:end -->"
        guard let a = text.range(of: begin), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else {
            Issue.record("README lacks the rule table markers"); return
        }
        let current = String(text[a.upperBound..<b.lowerBound])
        if Self.update {
            try (String(text[..<a.upperBound]) + Self.table() + "\n" + String(text[b.lowerBound...])).write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == Self.table() + "\n")
    }
}
