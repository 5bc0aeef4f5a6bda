import ArgumentParser
import QMPLint

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule: id, default severity, description and examples.")

    @Option(name: [.customShort("f"), .long], help: "text, markdown or json.")
    var format: String = "text"

    @Flag(name: .shortAndLong, help: "text: also the rationale and examples.")
    var verbose = false

    func run() throws {
        switch format {
        case "text": Console.out(RuleCatalogRenderer.text(RuleCatalog.all, verbose: verbose))
        case "markdown": Console.out(RuleCatalogRenderer.markdown(RuleCatalog.all))
        case "json": Console.out(RuleCatalogRenderer.json(RuleCatalog.all))
        default: throw ValidationError("unknown format '\(format)' (text, markdown, json)")
        }
    }
}
