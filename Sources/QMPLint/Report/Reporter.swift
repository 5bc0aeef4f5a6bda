/// A report format: one type that renders a whole `LintReport` as text.
///
/// Adding a format means writing one type that conforms and listing it in `Reporters.all`.
/// Renderers are pure: the same report and options give the same bytes, with no clock, locale
/// or dictionary order involved.
public protocol Reporter {
    /// The name chosen with `--format`, e.g. `sarif`.
    static var identifier: String { get }
    /// One line for `--help` and `qmp-lint formats`.
    static var description: String { get }
    /// The usual file extension of the output, without the dot (`sarif`, `xml`).
    static var fileExtension: String { get }
    /// Whether the format shows individual events (`LintReport.timeline`): the run then keeps a
    /// record of each (bounded); otherwise only counts are kept.
    static var needsEvents: Bool { get }
    /// Renders the whole report; the result ends with a newline unless it is empty.
    static func render(_ report: LintReport, options: ReportOptions) -> String
    /// The same as UTF-8 bytes (written to files and pipes without a String copy).
    static func renderBytes(_ report: LintReport, options: ReportOptions) -> [UInt8]
    /// The same bytes handed to `emit` piece by piece, in order (large reports are written out
    /// as they are made rather than held whole).
    static func write(_ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void)
}

extension Reporter {
    public static var needsEvents: Bool { false }

    /// The rendering as UTF-8 bytes; formats that build bytes directly override it.
    public static func renderBytes(_ report: LintReport, options: ReportOptions) -> [UInt8] {
        Array(render(report, options: options).utf8)
    }

    /// The rendering in one piece; formats that can stream override it.
    public static func write(_ report: LintReport, options: ReportOptions, to emit: (UnsafeRawBufferPointer) -> Void) {
        renderBytes(report, options: options).withUnsafeBytes(emit)
    }
}

/// A format made piece by piece by `write`: the whole rendering is what `write` emits.
public protocol StreamingReporter: Reporter {}

extension StreamingReporter {
    public static func render(_ report: LintReport, options: ReportOptions) -> String {
        String(decoding: renderBytes(report, options: options), as: UTF8.self)
    }

    public static func renderBytes(_ report: LintReport, options: ReportOptions) -> [UInt8] {
        var bytes: [UInt8] = []
        write(report, options: options) { bytes.append(contentsOf: $0) }
        return bytes
    }
}

/// What a reporter may be asked besides the report itself.
public struct ReportOptions: Sendable {
    /// Use ANSI colours (text format only).
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

    public init(
        color: Bool = false, summaryOnly: Bool = false, quiet: Bool = false,
        rules: [RuleDescription] = [], workingDirectory: String? = nil,
        informationURI: String? = nil, markdownFindingLimit: Int = 50
    ) {
        self.color = color
        self.summaryOnly = summaryOnly
        self.quiet = quiet
        self.rules = rules
        self.workingDirectory = workingDirectory
        self.informationURI = informationURI
        self.markdownFindingLimit = markdownFindingLimit
    }
}

/// The list of report formats, in the order `--help` shows them.
public enum Reporters {
    /// Every format; the first one is the default.
    public static var all: [any Reporter.Type] {
        [
            TextReporter.self,
            JSONReporter.self,
            JSONLReporter.self,
            CSVReporter.self,
            SARIFReporter.self,
            JUnitReporter.self,
            GitHubActionsReporter.self,
            GitLabCodeQualityReporter.self,
            MarkdownReporter.self,
            TimelineReporter.self,
            HTMLReporter.self,
        ]
    }

    /// The default format (`text`).
    public static var `default`: any Reporter.Type { TextReporter.self }

    /// The format with this identifier, nil when there is none.
    public static func named(_ identifier: String) -> (any Reporter.Type)? {
        all.first { $0.identifier == identifier }
    }

    /// All identifiers, for error messages and completion.
    public static var identifiers: [String] { all.map { $0.identifier } }
}
