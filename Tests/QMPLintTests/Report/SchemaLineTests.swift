import Testing

@testable import QMPLint

/// The schema line of the Markdown and HTML reports names what the files were checked against:
/// the one schema when every file used it (even when it is not the run's default), each with its
/// file count when they differ.
@Suite struct SchemaLineTests {
    static let pinned = SchemaChoice(name: "qemu-7.2.0", reason: "QMP greeting: QEMU 7.2.0 (line 1)")
    static let other = SchemaChoice(name: "qemu-8.2.0", reason: "QMP greeting: QEMU 8.2.0 (line 1)")

    static func report(_ schemas: [SchemaChoice?]) -> LintReport {
        let files = schemas.enumerated().map { i, s in
            var f = FileSummary(path: "f\(i).log")
            f.schema = s
            return f
        }
        var summary = ReportSummary()
        summary.files = files.count
        return LintReport(toolVersion: "0.1.0-test", schema: ReportFixtures.defaultSchema, summary: summary,
                          files: files, findings: [])
    }

    @Test func everyFileOnAnotherSchemaNamesThatOne() {
        let r = Self.report([Self.pinned, Self.pinned])
        let md = MarkdownReporter.render(r, options: ReportOptions())
        #expect(md.contains("Schema: qemu-7.2.0 (QMP greeting: QEMU 7.2.0 (line 1)).\n"))
        #expect(!md.contains("qemu-10.2.0 (default"))
        let html = HTMLReporter.render(r, options: ReportOptions())
        #expect(html.contains("<p>Schema: qemu-7.2.0 (QMP greeting: QEMU 7.2.0 (line 1)).</p>"))
    }

    @Test func differentSchemasAreEachNamedWithTheirFiles() {
        let r = Self.report([Self.pinned, Self.other, Self.pinned, nil])
        let md = MarkdownReporter.render(r, options: ReportOptions())
        #expect(md.contains(
            "Schemas (they differ by file): qemu-7.2.0 (QMP greeting: QEMU 7.2.0 (line 1)): 2 files; "
                + "qemu-8.2.0 (QMP greeting: QEMU 8.2.0 (line 1)): 1 file.\n"))
        let html = HTMLReporter.render(r, options: ReportOptions())
        #expect(html.contains("<li>qemu-7.2.0 (QMP greeting: QEMU 7.2.0 (line 1)): 2 files</li>"))
        #expect(html.contains("<li>qemu-8.2.0 (QMP greeting: QEMU 8.2.0 (line 1)): 1 file</li>"))
    }

    @Test func noFileNamesTheDefault() {
        let md = MarkdownReporter.render(Self.report([]), options: ReportOptions())
        #expect(md.contains("Schema: qemu-10.2.0 (default (newest built-in)).\n"))
    }
}
