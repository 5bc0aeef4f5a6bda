import ArgumentParser
import QMPLint

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule (id, default severity, description), or show one rule in full.")

    enum Format: String, CaseIterable, ExpressibleByArgument { case text, markdown, json }

    @Argument(help: "A rule to show in full: rationale, examples, its page.", completion: .list(RuleCatalog.ids))
    var rule: String?

    @Option(name: [.customShort("f"), .long], help: "Output format.")
    var format: Format = .text

    @Flag(name: .shortAndLong, help: "text: also the rationale and examples of every rule.")
    var verbose = false

    func run() throws {
        guard let id = rule else {
            switch format {
            case .text: try Terminal.show(RuleCatalogRenderer.text(RuleCatalog.all, verbose: verbose))
            case .markdown: try Terminal.show(RuleCatalogRenderer.markdown(RuleCatalog.all))
            case .json: try Terminal.show(RuleCatalogRenderer.json(RuleCatalog.all))
            }
            return
        }
        guard let description = RuleCatalog.rule(id: id) else {
            Terminal.error("unknown rule '\(id)'\(RuleCatalog.suggestion(for: id)) (qmp-lint rules lists them)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let url = RuleDocs.standard.url(for: id)
        switch format {
        case .text: try Terminal.show(RuleCatalogRenderer.text([description], verbose: true) + "    page: \(url)\n")
        case .markdown: try Terminal.show(RuleCatalogRenderer.page(description))
        case .json: try Terminal.show(RuleCatalogRenderer.json([description], docs: .standard))
        }
    }
}
