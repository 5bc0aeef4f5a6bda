import ArgumentParser
import QMPLint

// Values of flags, parsed (and completed) by swift-argument-parser from the library's own enums.

extension ReportFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
extension LintSettings.FailLevel: ExpressibleByArgument {}
extension LintSettings.ColorChoice: ExpressibleByArgument {}

/// `--report FORMAT=PATH`: a further report (`PATH` `-`: standard output).
struct ReportDestination: ExpressibleByArgument {
    var format: ReportFormat
    var path: String

    init?(argument: String) {
        guard let eq = argument.firstIndex(of: "="),
            let format = ReportFormat(rawValue: String(argument[..<eq]))
        else { return nil }
        let path = String(argument[argument.index(after: eq)...])
        if path.isEmpty { return nil }
        self.format = format
        self.path = path
    }

    static var defaultCompletionKind: CompletionKind { .list(ReportFormat.allCases.map { $0.rawValue + "=" }) }
}
