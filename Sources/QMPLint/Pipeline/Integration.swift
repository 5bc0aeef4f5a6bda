import Foundation

// Temporary glue until the schema, validation and report stages land.

enum SchemaResolution {
    static func resolve(_ settings: LintSettings) throws -> (Schema, SchemaChoice) {
        (Schema(name: "none", origin: SchemaOrigin(kind: .builtin), types: [], events: []),
         SchemaChoice(name: "none", reason: "no schema yet"))
    }
}

struct CheckerFactory: CheckerProvider {
    let schema: Schema
    let choice: SchemaChoice
    let settings: LintSettings
    func checker(path: String, head: UnsafeRawBufferPointer) -> (NamingChecker, SchemaChoice) { (NamingChecker(), choice) }
}

struct NamingChecker: EventChecker {
    mutating func check(_ event: ExtractedEvent, tape: JSONTape, findings: inout [RawFinding]) -> String? {
        switch event.envelope {
        case .json(let root): return tape.member(root, "event").map { tape.string($0) }
        case .record(let name, _, _, _): return name
        }
    }
}

/// Renders a report in a named format with the run's settings.
enum ReportRendering {
    static var formatNames: [String] { Reporters.identifiers }
    static func render(_ report: LintReport, format: String, settings: LintSettings, color: Bool) -> String {
        guard let reporter = Reporters.named(format) else { return "" }
        let options = ReportOptions(color: color, summaryOnly: settings.summaryOnly, quiet: settings.quiet,
                                    rules: RuleCatalog.all, workingDirectory: FileManager.default.currentDirectoryPath)
        return reporter.render(report, options: options)
    }
}
