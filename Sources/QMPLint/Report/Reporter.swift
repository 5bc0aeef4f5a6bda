/// A report format: one type that writes a whole `LintReport`.
///
/// Adding a format means writing one type that conforms and adding one case to `ReportFormat`.
/// Reporters are pure: the same report and options give the same bytes, with no clock, locale
/// or dictionary order involved.
///
/// `write` is the one way a report is made; `render` and `renderBytes` collect what it writes.
/// A format does not conform to `Reporter` directly but through one of its refinements, each of
/// which asks for exactly one way of producing the text, with no default to fall back on (so a
/// format that forgets it does not compile):
/// - `DocumentReporter`: builds the whole text at once (`renderDocument`);
/// - `StreamingReporter`: writes pieces as they are made (`write`), for large reports;
/// - `LiveReporter`: renders one event's findings at a time (`liveFindings`), so that a run
///   reading a pipe prints each finding as soon as it is known (`LiveOutput`).
public protocol Reporter {
    /// The name chosen with `--format`, e.g. `sarif` (the raw value of its `ReportFormat`).
    static var identifier: String { get }
    /// One line for `--help`.
    static var description: String { get }
    /// The usual file extension of the output, without the dot (`sarif`, `xml`).
    static var fileExtension: String { get }
    /// Whether the format shows individual events (`LintReport.timeline`): the run then keeps a
    /// record of each (bounded); otherwise only counts are kept.
    static var needsEvents: Bool { get }
    /// Whether the format shows the text of the line a finding is on
    /// (`ReportFinding.sourceLine`): the run keeps it only when a format asks for it.
    static var needsSourceLines: Bool { get }
    /// Hands the report to `emit` piece by piece, in order; the pieces end with a newline unless
    /// the report is empty.
    static func write(_ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void)
}

extension Reporter {
    public static var needsEvents: Bool { false }
    public static var needsSourceLines: Bool { false }

    /// The whole report as UTF-8 bytes.
    public static func renderBytes(_ report: LintReport, options: ReportOptions) -> [UInt8] {
        var bytes: [UInt8] = []
        write(report, options: options) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The whole report as text.
    public static func render(_ report: LintReport, options: ReportOptions) -> String {
        String(decoding: renderBytes(report, options: options), as: UTF8.self)
    }
}

/// A format whose text is built whole (CSV, SARIF, JUnit, GitLab, Markdown): small reports,
/// or formats that need every finding before their first byte.
public protocol DocumentReporter: Reporter {
    /// The whole report; ends with a newline unless it is empty.
    static func renderDocument(_ report: LintReport, options: ReportOptions) -> String
}

extension DocumentReporter {
    public static func write(_ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void) {
        var text = renderDocument(report, options: options)
        text.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
    }
}

/// A format made piece by piece by its own `write` (JSON, timeline, HTML): memory stays flat
/// however many findings. The protocol adds nothing but the promise; `write` has no default.
public protocol StreamingReporter: Reporter {}

/// A format that can show findings while a run is still reading (text, JSON Lines, GitHub):
/// everything it prints is made of one event's findings at a time, what it says about an input
/// once the input is read, and what it prints after the last finding.
///
/// `write` is defined from these: for each file in report order (`LintReport.findingsByFile`),
/// `liveInput` then, for each event (`ReportFinding.eventGroups`), `liveFindings`; then
/// `liveEnd`. A live run (`LiveOutput`: an input that may stay open, the format on standard
/// output) calls the same functions as findings become final, then, at the end, `liveInput` of
/// each input and `liveEnd`: its output holds the same lines, findings in the order they were
/// found. Every other run writes its report after the run (`LintFrontend`).
public protocol LiveReporter: Reporter {
    /// The findings of one event (or one malformed object), in report order; "" to show none.
    static func liveFindings(_ findings: ArraySlice<ReportFinding>, options: ReportOptions) -> String
    /// What the format says about an input once it has been read (e.g. that it could not be);
    /// "" for nothing.
    static func liveInput(_ file: FileSummary, options: ReportOptions) -> String
    /// What follows the findings: the summary, with the report's final counts.
    static func liveEnd(_ report: LintReport, options: ReportOptions) -> String
}

extension LiveReporter {
    public static func write(_ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void) {
        var out = ""
        for group in report.findingsByFile {
            if let summary = group.summary { out += liveInput(summary, options: options) }
            let findings = group.findings[...]
            for range in ReportFinding.eventGroups(findings) {
                out += liveFindings(findings[range], options: options)
                drain(&out, to: emit)
            }
        }
        out += liveEnd(report, options: options)
        drain(&out, to: emit, atLeast: 0)
    }
}

/// What a reporter may be asked besides the report itself.
public struct ReportOptions: Sendable {
    /// Use ANSI colours (text and timeline formats only).
    public var color: Bool
    /// Render only the summary: `csv` writes one row per event name, `text` and `markdown`
    /// leave out the individual findings.
    public var summaryOnly: Bool
    /// Findings only (`text`): no source excerpts and no summary; silent when all is well.
    public var quiet: Bool
    /// The rule catalogue, for formats that describe rules (SARIF's `tool.driver.rules`).
    /// Rules that findings name but the catalogue lacks get a minimal description.
    public var rules: [RuleDescription]
    /// The absolute directory report paths are relative to, e.g. `/home/me/logs`; SARIF
    /// declares it as `%SRCROOT%`. Nil leaves the base undeclared.
    public var workingDirectory: String?
    /// The tool's home page, written as SARIF `informationUri` when set.
    public var informationURI: String?
    /// How many findings `markdown` lists before "and N more".
    public var markdownFindingLimit: Int
    /// `text`: list notes one by one (`--min-severity note`); otherwise they are summarised per
    /// rule after the other findings.
    public var listNotes: Bool
    /// `text`: the terminal width source excerpts must fit (columns, 80 when unknown).
    public var width: Int
    /// The lowest severity the report shows (`--min-severity`): findings below it were left
    /// out of the report, and formats that print per-severity totals leave theirs out too.
    public var minimumSeverity: Severity
    /// Where each rule's page is, for JSON `url`, SARIF `helpUri` and the HTML report's links;
    /// nil leaves them out.
    public var ruleDocs: RuleDocs?

    public init(
        color: Bool = false, summaryOnly: Bool = false, quiet: Bool = false,
        rules: [RuleDescription] = [], workingDirectory: String? = nil,
        informationURI: String? = nil, markdownFindingLimit: Int = 50, listNotes: Bool = true,
        width: Int = 80, minimumSeverity: Severity = .note, ruleDocs: RuleDocs? = nil
    ) {
        self.color = color
        self.summaryOnly = summaryOnly
        self.quiet = quiet
        self.rules = rules
        self.workingDirectory = workingDirectory
        self.informationURI = informationURI
        self.markdownFindingLimit = markdownFindingLimit
        self.listNotes = listNotes
        self.width = width
        self.minimumSeverity = minimumSeverity
        self.ruleDocs = ruleDocs
    }

    /// The page of rule `id`: nil without `ruleDocs`, or for a rule `rules` does not describe.
    public func ruleURL(_ id: String) -> String? {
        guard let ruleDocs, rules.contains(where: { $0.id == id }) else { return nil }
        return ruleDocs.url(for: id)
    }
}

/// Every report format, in the order `--help` lists them; the first is the default. The raw
/// value is the name given to `--format`, `--report FORMAT=PATH` and the configuration file.
public enum ReportFormat: String, CaseIterable, Sendable, Hashable {
    case text, json, jsonl, csv, sarif, junit, github, gitlab, markdown, timeline, html

    /// The type that writes this format.
    public var reporter: any Reporter.Type {
        switch self {
        case .text: TextReporter.self
        case .json: JSONReporter.self
        case .jsonl: JSONLReporter.self
        case .csv: CSVReporter.self
        case .sarif: SARIFReporter.self
        case .junit: JUnitReporter.self
        case .github: GitHubActionsReporter.self
        case .gitlab: GitLabCodeQualityReporter.self
        case .markdown: MarkdownReporter.self
        case .timeline: TimelineReporter.self
        case .html: HTMLReporter.self
        }
    }

    /// "text, json, ..." for messages.
    public static var namesList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The format named `name`, or an error message naming the known ones (and the closest).
    public static func parse(_ name: String) -> Result<ReportFormat, FormatNameError> {
        if let f = ReportFormat(rawValue: name) { return .success(f) }
        return .failure(FormatNameError(name: name))
    }
}

/// A format name that is not a `ReportFormat`.
public struct FormatNameError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var description: String {
        "unknown format '\(name)'\(didYouMean(name, among: ReportFormat.allCases.map(\.rawValue))) (known: \(ReportFormat.namesList))"
    }
}

/// The list of report formats as reporter types.
public enum Reporters {
    /// Every format; the first one is the default.
    public static var all: [any Reporter.Type] { ReportFormat.allCases.map(\.reporter) }

    /// The default format (`text`).
    public static var `default`: any Reporter.Type { TextReporter.self }

    /// The format with this identifier, nil when there is none.
    public static func named(_ identifier: String) -> (any Reporter.Type)? {
        ReportFormat(rawValue: identifier)?.reporter
    }

    /// All identifiers, for error messages and completion.
    public static var identifiers: [String] { ReportFormat.allCases.map(\.rawValue) }
}
