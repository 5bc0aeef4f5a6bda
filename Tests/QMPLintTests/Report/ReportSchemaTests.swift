import Foundation
import Testing

@testable import QMPLint

/// Reports checked against published schemas with python3 (`jsonschema`, `xmlschema`); each
/// test is skipped when its validator or schema is missing.
@Suite struct ReportSchemaTests {
    static let reports: [(String, LintReport)] = [
        ("full", ReportFixtures.report), ("clean", ReportFixtures.cleanReport), ("empty", ReportFixtures.emptyReport),
        ("kinds", ReportFixtures.kindsReport),
    ]

    static let reportSchema = ReportPaths.fixtures.appendingPathComponent("report.schema.json").path
    static let sarifSchema = ReportPaths.sharedSchemas.appendingPathComponent("sarif-schema-2.1.0.json").path
    static let junitSchema = ReportPaths.sharedSchemas.appendingPathComponent("junit-10.xsd").path

    /// Validates argv[2] (a JSON document, or with `lines`, every line of a JSON Lines file:
    /// findings, then a summary) against argv[1].
    static let jsonValidator = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1], encoding='utf-8'))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        def check(sub, doc):
            s = dict(schema) if sub is None else {'$ref': '#/definitions/' + sub, 'definitions': schema['definitions']}
            errors = sorted(cls(s, format_checker=jsonschema.FormatChecker()).iter_errors(doc), key=str)
            for e in errors[:5]: print(list(e.absolute_path), e.message)
            return not errors
        text = open(sys.argv[2], encoding='utf-8').read()
        if len(sys.argv) > 3 and sys.argv[3] == 'lines':
            lines = text.split('\\n')
            assert lines[-1] == '', 'no final newline'
            lines = [json.loads(l) for l in lines[:-1]]
            ok = all(check('finding', l) for l in lines[:-1])
            ok = ok and list(lines[-1].keys()) == ['summary'] and check('summary', lines[-1]['summary'])
        else:
            ok = check(None, json.loads(text))
        sys.exit(0 if ok else 1)
        """

    static func validateJSON(_ text: String, schema: String, lines: Bool = false) throws -> (Int32, String) {
        let path = try Python.temporaryFile(text, name: lines ? "report.jsonl" : "report.json")
        return Python.run(jsonValidator, [schema, path] + (lines ? ["lines"] : []))
    }

    @Test(
        .enabled(if: Python.hasJSONSchema, "python3 jsonschema is not installed"),
        arguments: reports.map(\.0))
    func jsonReportMatchesItsSchema(_ which: String) throws {
        let report = Self.reports.first { $0.0 == which }!.1
        let (status, output) = try Self.validateJSON(
            JSONReporter.render(report, options: ReportFixtures.options), schema: Self.reportSchema)
        #expect(status == 0, "\(output)")
    }

    @Test(
        .enabled(if: Python.hasJSONSchema, "python3 jsonschema is not installed"),
        arguments: reports.map(\.0))
    func jsonLinesMatchTheSchema(_ which: String) throws {
        let report = Self.reports.first { $0.0 == which }!.1
        let (status, output) = try Self.validateJSON(
            JSONLReporter.render(report, options: ReportFixtures.options), schema: Self.reportSchema, lines: true)
        #expect(status == 0, "\(output)")
    }

    @Test(
        .enabled(if: Python.hasJSONSchema, "python3 jsonschema is not installed"),
        .enabled(if: FileManager.default.fileExists(atPath: sarifSchema), "../shared/corpus/schemas is absent"),
        arguments: reports.map(\.0))
    func sarifIsValid(_ which: String) throws {
        let report = Self.reports.first { $0.0 == which }!.1
        for options in [ReportFixtures.options, ReportOptions()] {
            let (status, output) = try Self.validateJSON(
                SARIFReporter.render(report, options: options), schema: Self.sarifSchema)
            #expect(status == 0, "\(output)")
        }
    }

    @Test(
        .enabled(if: Python.hasXMLSchema, "python3 xmlschema is not installed (pip install xmlschema)"),
        .enabled(if: FileManager.default.fileExists(atPath: junitSchema), "../shared/corpus/schemas is absent"),
        arguments: reports.map(\.0))
    func junitIsValid(_ which: String) throws {
        let report = Self.reports.first { $0.0 == which }!.1
        let path = try Python.temporaryFile(
            JUnitReporter.render(report, options: ReportFixtures.options), name: "junit.xml")
        let (status, output) = Python.run(
            "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])", [Self.junitSchema, path])
        #expect(status == 0, "\(output)")
    }

    @Test func junitReplacesCharactersXMLForbids() {
        var report = ReportFixtures.cleanReport
        report.findings = [
            ReportFinding(
                file: "clean.log", line: 1, column: 1, eventLine: 1, event: "STOP\u{0}", rule: "x", severity: .error,
                message: "a\u{1}b\u{FFFF}c\u{1B}", pointer: "", eventHash: "", sourceLine: "\u{8}")
        ]
        let xml = JUnitReporter.render(report, options: ReportOptions())
        #expect(!xml.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0xFFFF })
        #expect(xml.contains("a\\x01b\\u{ffff}c\\x1b"))
    }
}
