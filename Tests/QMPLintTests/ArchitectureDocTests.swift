import Foundation
import Testing

@testable import QMPLint

/// `docs/architecture.md` claims only what these tests check: every file it names exists, each
/// rule, dialect and report format is one file listed once in its registry, and the library
/// holds no terminal code.
@Suite struct ArchitectureDocTests {
    static let root = TestPaths.repoRoot
    static let doc = root.appendingPathComponent("docs/architecture.md")
    static let library = root.appendingPathComponent("Sources/QMPLint")

    static func swiftFiles(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: library.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.map { String($0.dropLast(6)) }.sorted()
    }

    /// Paths in the page: full ones (`Sources/...`, `Tests/...`, `Fixtures/...`, `docs/...`)
    /// from the repository root; the picture's short ones (`Pipeline/Linter.swift`) from
    /// `Sources/QMPLint/`. Templates (`<Name>`) and globs are not paths.
    @Test func everyPathItNamesExists() throws {
        let text = try String(contentsOf: Self.doc, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"[A-Za-z][A-Za-z0-9_-]*(?:/[A-Za-z0-9_.+-]+)+/?"#)
        var checked = 0
        for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let path = String(text[Range(m.range, in: text)!])
            let end = m.range.location + m.range.length
            let next = end < (text as NSString).length ? (text as NSString).substring(with: NSRange(location: end, length: 1)) : ""
            if next == "<" || next == "*" || path.hasPrefix("http") { continue }
            guard path.hasSuffix(".swift") || path.hasSuffix("/") || path.hasSuffix(".md")
                || ["Sources", "Tests", "Fixtures", "docs"].contains(where: { path.hasPrefix($0 + "/") })
            else { continue }
            let fromRoot = Self.root.appendingPathComponent(path).path
            let fromLibrary = Self.library.appendingPathComponent(path).path
            let exists = FileManager.default.fileExists(atPath: fromRoot) || FileManager.default.fileExists(atPath: fromLibrary)
                || path.hasPrefix("../shared")
            #expect(exists, "docs/architecture.md names \(path), which does not exist")
            checked += 1
        }
        #expect(checked > 40)
    }

    /// A rule is one file under `Validation/Rules/`, its type named after the file, listed once.
    @Test func eachRuleIsOneFileListedOnce() {
        let listed = RuleRegistry.all.map { String(describing: $0) }
        #expect(Set(listed).count == listed.count)
        #expect(Self.swiftFiles("Validation/Rules") == listed.sorted())
    }

    /// A dialect is one file under `Extraction/Dialects/`, listed once, with its own id.
    @Test func eachDialectIsOneFileListedOnce() {
        let listed = Dialects.all.map { String(describing: $0) }
        #expect(Self.swiftFiles("Extraction/Dialects") == listed.sorted())
        #expect(Set(Dialects.all.map { $0.id }) == Set(DialectID.allCases))
        for d in DialectID.allCases { #expect(DialectID.allCases[d.index] == d) }
    }

    /// A report format is one reporter type with a file of its name under `Report/`.
    @Test func eachFormatIsOneReporterFile() {
        let files = Set(Self.swiftFiles("Report"))
        let reporters = ReportFormat.allCases.map { String(describing: $0.reporter) }
        #expect(Set(reporters).count == reporters.count)
        for r in reporters { #expect(files.contains(r), "no Report/\(r).swift") }
    }

    /// The library never touches the terminal: no isatty, exit, standard output or error.
    @Test func theLibraryHoldsNoTerminalCode() throws {
        let banned = ["isatty(", " exit(", "FileHandle.standardOutput", "FileHandle.standardError",
                      "STDOUT_FILENO", "STDERR_FILENO", " print(", "fputs("]
        let enumerator = FileManager.default.enumerator(atPath: Self.library.path)!
        var files = 0
        while let f = enumerator.nextObject() as? String {
            guard f.hasSuffix(".swift") else { continue }
            files += 1
            let text = try String(contentsOf: Self.library.appendingPathComponent(f), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for b in banned { #expect(!line.contains(b), "Sources/QMPLint/\(f): \(line)") }
            }
        }
        #expect(files > 100)
    }
}
