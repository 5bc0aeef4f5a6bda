/// Where the documentation page of each rule is: `docs/rules/RULE.md` of the project, generated
/// from the rule's declaration (`RuleCatalogRenderer.page`). Reports link findings to it: JSON
/// `url`, SARIF `helpUri`, the HTML report's rule names.
public struct RuleDocs: Sendable, Equatable {
    /// The pages as published with the project's sources.
    public static let standard = RuleDocs(base: "https://github.com/qmp-lint/qmp-lint/blob/main/docs/rules/")
    /// The folder of the pages in the repository.
    public static let folder = "docs/rules"

    /// The URL the page names are appended to (ends with `/`).
    public var base: String
    public init(base: String) { self.base = base }

    /// The page of rule `id`.
    public func url(for id: String) -> String { base + URIText.percentEncodedPath(id) + ".md" }
}

extension RuleCatalog {
    /// " (did you mean 'x'?)" for the rule id closest to `id`, or "".
    public static func suggestion(for id: String) -> String { didYouMean(id, among: ids) }
}
