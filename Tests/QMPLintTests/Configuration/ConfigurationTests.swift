import Foundation
import Testing

@testable import QMPLint

/// Rule ids the configuration tests check against (the CLI passes the real catalogue).
let testRules: Set<String> = ["missing-member", "extra-member", "bad-type", "unknown-event", "deprecated-event"]
let testFormats = Set(ReportFormat.allCases.map(\.rawValue))

func loadFixture(_ name: String) throws(ConfigurationError) -> QMPLintConfiguration {
    try QMPLintConfiguration.load(
        path: TestPaths.fixture("config/" + name), knownRules: testRules)
}

func parseError(_ yaml: String) -> String? {
    do {
        _ = try QMPLintConfiguration.parse(
            yaml: yaml, path: ".qmp-lint.yml", knownRules: testRules)
        return nil
    } catch {
        return error.description
    }
}

@Suite struct ConfigurationLoadingTests {
    @Test func fullFileSetsEveryKey() throws {
        let c = try loadFixture("full.qmp-lint.yml")
        #expect(c.schema == "schemas/qapi")
        #expect(c.qemuVersion == nil)
        #expect(c.format == .sarif)
        #expect(
            c.reports == [
                .init(format: .junit, path: "out/junit.xml"), .init(format: .json, path: "out/report.json"),
            ])
        #expect(c.disabledRules == ["unknown-event", "deprecated-event"])
        #expect(c.severity == ["missing-member": .warning, "extra-member": .off, "bad-type": .note])
        #expect(c.include == ["*.log", "*.log.gz"])
        #expect(c.exclude == ["old/*"])
        #expect(c.strict == true)
        #expect(c.jobs == 4)
        #expect(c.color == .never)
        #expect(c.baseline == "qmp-lint.baseline.json")
        #expect(c.baseDirectory == TestPaths.fixture("config"))
    }

    @Test func qemuVersionKeepsItsText() throws {
        let c = try loadFixture("qemu-version.qmp-lint.yml")
        #expect(c.qemuVersion == "8.10")
    }

    @Test(arguments: ["empty.qmp-lint.yml", "comments-only.qmp-lint.yml"])
    func emptyFileIsAnEmptyConfiguration(_ name: String) throws {
        let c = try loadFixture(name)
        #expect(c.isEmpty)
        #expect(c.render() == "")
    }

    @Test func nullValuesLeaveKeysUnset() throws {
        let c = try QMPLintConfiguration.parse(yaml: "format:\njobs: ~\ninclude: null\n", path: "c.yml")
        #expect(c.isEmpty)
    }

    @Test func unknownKeyNamesFileLineAndColumnWithSuggestion() {
        let path = TestPaths.fixture("config/unknown-key.qmp-lint.yml")
        #expect(
            throws: ConfigurationError(
                path: path, line: 5, column: 1, message: "unknown key 'severty' (did you mean 'severity'?)")
        ) {
            try loadFixture("unknown-key.qmp-lint.yml")
        }
        #expect(
            parseError("format: text\nbaseline: b.json\nreports:\n  - format: json\n    paht: r.json\n")
                == ".qmp-lint.yml:5:5: unknown key 'paht' in a report (did you mean 'path'?)")
        #expect(parseError("zzzzzz: 1\n") == ".qmp-lint.yml:1:1: unknown key 'zzzzzz'")
    }

    @Test func syntaxErrorHasAPosition() {
        let path = TestPaths.fixture("config/syntax-error.qmp-lint.yml")
        do {
            _ = try loadFixture("syntax-error.qmp-lint.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == path)
            #expect(error.line == 5)
            #expect(error.column == 1)
            #expect(error.message.hasPrefix("invalid YAML: "))
            #expect(error.description.hasPrefix(path + ":5:1: invalid YAML: "))
        }
        #expect(parseError("a: [1, 2\n") != nil)
        #expect(parseError("format: text\n  jobs: 2\n")?.hasPrefix(".qmp-lint.yml:2:7: invalid YAML: ") == true)
    }

    /// Bad values, each with the exact message a user sees.
    @Test(arguments: [
        ("jobs: 0\n", ".qmp-lint.yml:1:7: 'jobs' must be at least 1, got 0"),
        ("jobs: -3\n", ".qmp-lint.yml:1:7: 'jobs' must be at least 1, got -3"),
        ("jobs: many\n", ".qmp-lint.yml:1:7: 'jobs' must be a whole number of at least 1, got 'many'"),
        ("jobs: \"4\"\n", ".qmp-lint.yml:1:7: 'jobs' must be a whole number of at least 1, got '4'"),
        ("jobs: [4]\n", ".qmp-lint.yml:1:7: 'jobs' must be a whole number of at least 1, got a list"),
        ("strict: yes\n", ".qmp-lint.yml:1:9: 'strict' must be true or false, got 'yes'"),
        ("strict: \"true\"\n", ".qmp-lint.yml:1:9: 'strict' must be true or false, not a string"),
        ("color: sometimes\n", ".qmp-lint.yml:1:8: unknown color 'sometimes' (expected auto, always, never)"),
        (
            "color: allways\n",
            ".qmp-lint.yml:1:8: unknown color 'allways' (did you mean 'always'?) (expected auto, always, never)"
        ),
        (
            "severity:\n  bad-type: fatal\n",
            ".qmp-lint.yml:2:13: unknown severity 'fatal' for 'bad-type' (expected error, warning, note, off)"
        ),
        (
            "severity:\n  bad-type: [error]\n",
            ".qmp-lint.yml:2:13: unknown severity a list for 'bad-type' (expected error, warning, note, off)"
        ),
        (
            "severity:\n  missing-membr: error\n",
            ".qmp-lint.yml:2:3: unknown rule 'missing-membr' (did you mean 'missing-member'?)"
        ),
        ("severity: error\n", ".qmp-lint.yml:1:11: 'severity' must be a mapping, not a string"),
        ("disabled-rules:\n  - bad-type\n  - no-such-rule\n", ".qmp-lint.yml:3:5: unknown rule 'no-such-rule'"),
        ("disabled-rules: bad-type\n", ".qmp-lint.yml:1:17: 'disabled-rules' must be a list of strings, not a string"),
        (
            "include:\n  - a: b\n",
            ".qmp-lint.yml:2:5: 'include' must be a list of strings, not a list holding a mapping"
        ),
        ("exclude: 3\n", ".qmp-lint.yml:1:10: 'exclude' must be a list of strings, not a number"),
        (
            "format: sarf\n",
            ".qmp-lint.yml:1:9: unknown format 'sarf' (did you mean 'sarif'?) (known: \(ReportFormat.namesList))"
        ),
        ("format: [json]\n", ".qmp-lint.yml:1:9: 'format' must be a string, not a list"),
        (
            "reports:\n  - json\n",
            ".qmp-lint.yml:2:5: 'reports' items must be FORMAT=PATH strings or {format, path} mappings, got 'json'"
        ),
        (
            "reports:\n  - =out.json\n",
            ".qmp-lint.yml:2:5: 'reports' items must be FORMAT=PATH strings or {format, path} mappings, got '=out.json'"
        ),
        ("reports:\n  - format: json\n", ".qmp-lint.yml:2:5: a report needs both 'format' and 'path'"),
        ("reports: json=out.json\n", ".qmp-lint.yml:1:10: 'reports' must be a list, not a string"),
        (
            "qemu-version: eight\n",
            ".qmp-lint.yml:1:15: 'qemu-version': 'eight' is not a QEMU version: give X.Y or X.Y.Z, e.g. 8.2 (see qmp-lint schema list)"
        ),
        (
            "qemu-version: 8\n",
            ".qmp-lint.yml:1:15: 'qemu-version': '8' names a major version only: give X.Y or X.Y.Z, e.g. 8.0; built-in releases of QEMU 8: 8.2.0"
        ),
        (
            "qemu-version: \"1.0\"\n",
            ".qmp-lint.yml:1:15: 'qemu-version': no built-in schema is as old as QEMU 1.0 (the oldest is 2.1.0)"
        ),
        ("min-severity: info\n", ".qmp-lint.yml:1:15: unknown min-severity 'info' (expected note, warning, error)"),
        ("fail-on: warnings\n", ".qmp-lint.yml:1:10: unknown fail-on 'warnings' (did you mean 'warning'?) (expected error, warning, never)"),
        ("strict: true\nfail-on: never\n", ".qmp-lint.yml:2:1: 'strict' and 'fail-on' exclude each other ('strict: true' is 'fail-on: warning')"),
        ("schema: a\nqemu-version: \"8.2\"\n", ".qmp-lint.yml:2:1: 'schema' and 'qemu-version' exclude each other"),
        ("schema: \"\"\n", ".qmp-lint.yml:1:9: 'schema' must not be empty"),
        ("format: text\nformat: json\n", ".qmp-lint.yml:2:1: duplicate key 'format' (first at 1:1)"),
        ("- format\n", ".qmp-lint.yml:1:1: the configuration must be a mapping, not a list"),
        ("just text\n", ".qmp-lint.yml:1:1: the configuration must be a mapping, not a string"),
    ])
    func badValueIsReportedAtItsNode(_ yaml: String, _ expected: String) {
        #expect(parseError(yaml) == expected)
    }

    @Test func emptyKnownRulesSkipTheRuleCheckButFormatsAreAlwaysChecked() throws {
        let c = try QMPLintConfiguration.parse(yaml: "disabled-rules: [anything]\n", path: "c.yml")
        #expect(c.disabledRules == ["anything"])
        #expect(throws: ConfigurationError.self) { try QMPLintConfiguration.parse(yaml: "format: future\n", path: "c.yml") }
    }

    @Test func unreadableFileIsAnError() {
        #expect(
            throws: ConfigurationError(
                path: "/nonexistent/.qmp-lint.yml", message: "cannot read: No such file or directory")
        ) {
            try QMPLintConfiguration.load(path: "/nonexistent/.qmp-lint.yml")
        }
    }
}

@Suite struct ConfigurationDiscoveryTests {
    /// A fresh temporary directory tree, removed by the caller.
    func makeTree() throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("qmp-lint-config-\(UUID().uuidString)").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("a/b/c"), withIntermediateDirectories: true)
        return root
    }

    @Test func findsTheNearestFileUpward() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let deep = root.appendingPathComponent("a/b/c").path
        try "format: json\n".write(
            toFile: root.appendingPathComponent(".qmp-lint.yml").path, atomically: true, encoding: .utf8)
        #expect(QMPLintConfiguration.discover(from: deep) == root.appendingPathComponent(".qmp-lint.yml").path)

        // A nearer .yaml wins over a farther .yml; in one folder .yml wins over .yaml.
        try "format: csv\n".write(
            toFile: root.appendingPathComponent("a/.qmp-lint.yaml").path, atomically: true, encoding: .utf8)
        #expect(QMPLintConfiguration.discover(from: deep) == root.appendingPathComponent("a/.qmp-lint.yaml").path)
        try "format: csv\n".write(
            toFile: root.appendingPathComponent("a/.qmp-lint.yml").path, atomically: true, encoding: .utf8)
        #expect(
            QMPLintConfiguration.discover(from: root.appendingPathComponent("a").path) == root.path + "/a/.qmp-lint.yml"
        )

        // A directory with the file's name is not a configuration file.
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("a/b/.qmp-lint.yml"), withIntermediateDirectories: true)
        #expect(QMPLintConfiguration.discover(from: deep) == root.appendingPathComponent("a/.qmp-lint.yml").path)
    }

    @Test func fileInTheStartingDirectoryKeepsItsGivenSpelling() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        try "".write(toFile: root.appendingPathComponent("a/b/.qmp-lint.yml").path, atomically: true, encoding: .utf8)
        #expect(QMPLintConfiguration.discover(from: root.path + "/a/b/") == root.path + "/a/b/.qmp-lint.yml")
        #expect(QMPLintConfiguration.discover(from: root.path + "/a/b/c/../") == root.path + "/a/b/c/../.qmp-lint.yml")
    }

    @Test func noFileAnywhereGivesNil() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        // Only meaningful when no ancestor of the temporary directory holds one.
        let deep = root.appendingPathComponent("a/b/c").path
        var ancestor = root.deletingLastPathComponent()
        var ancestorHasOne = false
        while true {
            if QMPLintConfiguration.fileNames.contains(where: {
                FileManager.default.fileExists(atPath: ancestor.appendingPathComponent($0).path)
            }) {
                ancestorHasOne = true
            }
            if ancestor.path == "/" { break }
            ancestor = ancestor.deletingLastPathComponent()
        }
        if !ancestorHasOne { #expect(QMPLintConfiguration.discover(from: deep) == nil) }
    }

    @Test func loadedRelativePathsResolveAgainstTheFilesFolder() throws {
        var c = try loadFixture("full.qmp-lint.yml")
        var s = LintSettings()
        c.apply(to: &s, explicit: [])
        let dir = TestPaths.fixture("config")
        #expect(s.schemaPath == dir + "/schemas/qapi")
        #expect(s.reports.map(\.path) == [dir + "/out/junit.xml", dir + "/out/report.json"])
        #expect(s.baseline == dir + "/qmp-lint.baseline.json")
        #expect(s.include == ["*.log", "*.log.gz"])  // globs are matched as on the command line
        c.baseDirectory = ""
        c.schema = "/abs/schema"
        c.apply(to: &s, explicit: [])
        #expect(s.schemaPath == "/abs/schema")
        #expect(s.baseline == "qmp-lint.baseline.json")
    }
}

@Suite struct ConfigurationMergeTests {
    func fileConfiguration() throws -> QMPLintConfiguration {
        var c = try loadFixture("full.qmp-lint.yml")
        c.baseDirectory = ""
        return c
    }

    @Test func fileFillsWhatTheCommandLineLeftUnset() throws {
        var s = LintSettings()
        try fileConfiguration().apply(to: &s, explicit: [])
        #expect(s.schemaPath == "schemas/qapi")
        #expect(s.format == .sarif)
        #expect(s.reports.map { "\($0.format)=\($0.path)" } == ["junit=out/junit.xml", "json=out/report.json"])
        #expect(s.disabledRules == ["unknown-event", "deprecated-event", "extra-member"])
        #expect(s.severities == ["missing-member": .warning, "bad-type": .note])
        #expect(s.include == ["*.log", "*.log.gz"])
        #expect(s.exclude == ["old/*"])
        #expect(s.strict)
        #expect(s.jobs == 4)
        #expect(s.color == .never)
        #expect(s.baseline == "qmp-lint.baseline.json")
    }

    @Test func commandLineFlagsWin() throws {
        var s = LintSettings()
        s.qemuVersion = "9.0"
        s.format = .json
        s.reports = [(format: .csv, path: "x.csv")]
        s.include = ["*.txt"]
        s.exclude = []
        s.strict = false
        s.jobs = 1
        s.color = .always
        s.baseline = "cli.json"
        s.disabledRules = ["bad-type"]
        s.severities = ["extra-member": .error]
        let explicit: ExplicitFlags = [
            .qemuVersion, .format, .reports, .include, .exclude, .strict, .jobs, .color, .baseline,
        ]
        try fileConfiguration().apply(to: &s, explicit: explicit)
        #expect(s.schemaPath == nil)
        #expect(s.qemuVersion == "9.0")
        #expect(s.format == .json)
        #expect(s.reports.map { "\($0.format)=\($0.path)" } == ["csv=x.csv"])
        #expect(s.include == ["*.txt"])
        #expect(s.exclude == [])
        #expect(!s.strict)
        #expect(s.jobs == 1)
        #expect(s.color == .always)
        #expect(s.baseline == "cli.json")
        // --disable adds to the file's rules; a severity given on the command line beats the file's `off`.
        #expect(s.disabledRules == ["bad-type", "unknown-event", "deprecated-event"])
        #expect(s.severities == ["extra-member": .error, "missing-member": .warning, "bad-type": .note])
    }

    @Test func schemaFlagOverridesTheFilesQemuVersion() throws {
        var c = QMPLintConfiguration()
        c.qemuVersion = "8.2"
        var s = LintSettings()
        s.schemaPath = "cli-schema.json"
        c.apply(to: &s, explicit: [.schema])
        #expect(s.schemaPath == "cli-schema.json")
        #expect(s.qemuVersion == nil)
        var t = LintSettings()
        c.apply(to: &t, explicit: [])
        #expect(t.qemuVersion == "8.2")
        #expect(t.schemaPath == nil)
    }

    @Test func emptyConfigurationChangesNothing() {
        var s = LintSettings()
        s.format = .csv
        s.jobs = 3
        QMPLintConfiguration().apply(to: &s, explicit: [])
        #expect(s.format == .csv)
        #expect(s.jobs == 3)
        #expect(s.disabledRules.isEmpty)
    }
}

@Suite struct ConfigurationRenderingTests {
    @Test func renderIsDeterministicAndReadsBack() throws {
        var c = try loadFixture("full.qmp-lint.yml")
        c.baseDirectory = ""
        let text = c.render()
        #expect(
            text == """
                schema: schemas/qapi
                format: sarif
                reports:
                  - format: junit
                    path: out/junit.xml
                  - format: json
                    path: out/report.json
                disabled-rules:
                  - deprecated-event
                  - unknown-event
                severity:
                  bad-type: note
                  extra-member: off
                  missing-member: warning
                include:
                  - "*.log"
                  - "*.log.gz"
                exclude:
                  - "old/*"
                strict: true
                jobs: 4
                color: never
                baseline: qmp-lint.baseline.json

                """)
        var back = try QMPLintConfiguration.parse(
            yaml: text, path: "rendered", knownRules: testRules)
        back.disabledRules = c.disabledRules  // rendered sorted; the set is the same
        back.source = c.source
        #expect(back == c)
        #expect(Set(try QMPLintConfiguration.parse(yaml: text, path: "r").disabledRules) == Set(c.disabledRules))
    }

    @Test(arguments: [
        "8.2", "true", "off", "~", "*.log", "./x", "a b", "say \"hi\"", "tab\there", "über.log", "-x", "1e3", "null",
    ])
    func awkwardStringsSurviveTheRoundTrip(_ value: String) throws {
        var c = QMPLintConfiguration()
        c.include = [value]
        c.baseline = value
        let back = try QMPLintConfiguration.parse(yaml: c.render(), path: "r")
        #expect(back.include == [value])
        #expect(back.baseline == c.baseline)
    }

    @Test func qemuVersionRendersQuoted() throws {
        var c = QMPLintConfiguration()
        c.qemuVersion = "8.10"
        #expect(c.render() == "qemu-version: \"8.10\"\n")
        #expect(try QMPLintConfiguration.parse(yaml: c.render(), path: "r").qemuVersion == "8.10")
    }

    @Test func effectiveConfigurationShowsEveryKey() throws {
        let defaults = QMPLintConfiguration.render(effective: LintSettings())
        #expect(
            defaults == """
                # schema: (none)
                # qemu-version: (newest built-in)
                format: text
                reports: []
                disabled-rules: []
                severity: {}
                include: []
                exclude: []
                # min-severity: (every finding; text summarises notes)
                fail-on: error
                # jobs: (one per core)
                color: auto
                # baseline: (none)

                """)
        // It is itself a valid configuration file.
        let c = try QMPLintConfiguration.parse(yaml: defaults, path: "r")
        var s = LintSettings()
        c.apply(to: &s, explicit: [])
        #expect(QMPLintConfiguration.render(effective: s) == defaults)

        // Defaults + file + flags, merged.
        var merged = LintSettings()
        merged.jobs = 2
        var file = try loadFixture("full.qmp-lint.yml")
        file.baseDirectory = ""
        file.apply(to: &merged, explicit: [.jobs])
        let text = QMPLintConfiguration.render(effective: merged)
        #expect(text.contains("jobs: 2\n"))
        #expect(text.contains("disabled-rules:\n  - deprecated-event\n  - extra-member\n  - unknown-event\n"))
        #expect(text.contains("severity:\n  bad-type: note\n  missing-member: warning\n"))
        #expect(text.hasPrefix("schema: schemas/qapi\n# qemu-version: (none)\n"))
        let reread = try QMPLintConfiguration.parse(
            yaml: text, path: "r", knownRules: testRules)
        var again = LintSettings()
        reread.apply(to: &again, explicit: [])
        #expect(QMPLintConfiguration.render(effective: again) == text)
    }

    @Test func didYouMeanOnlySuggestsCloseNames() {
        #expect(didYouMean("severty", among: QMPLintConfiguration.keys) == " (did you mean 'severity'?)")
        #expect(didYouMean("jbos", among: QMPLintConfiguration.keys) == " (did you mean 'jobs'?)")
        #expect(didYouMean("xyz", among: QMPLintConfiguration.keys) == "")
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("paht", "path") == 1)
    }
}
