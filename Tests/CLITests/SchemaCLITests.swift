import Foundation
import Testing

/// `qmp-lint schema ...` through the built binary: the outputs equal the golden files the
/// library tests check (Fixtures/schema-presentation), and the catalog generator reproduces the
/// committed catalogs.
@Suite(.enabled(if: CLI.available, "build qmp-lint first (swift build)"))
struct SchemaCLITests {
    static let golden = CLI.root.appendingPathComponent("Fixtures/schema-presentation")
    static let fixture = "Fixtures/schema-readers/qapi-commands", oldFixture = "Fixtures/schema-readers/qapi-commands-old"

    static func expected(_ file: String) throws -> String {
        try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)
    }

    @Test(arguments: [
        (["schema", "commands", "--schema", fixture], "commands.txt"),
        (["schema", "commands", "--schema", fixture, "--format", "json"], "commands.json"),
        (["schema", "commands", "--qemu-version", "10.2"], "commands-qemu-10.2.0.txt"),
        (["schema", "show", "fixture-add", "--schema", fixture], "show-fixture-add.txt"),
        (["schema", "show", "lamp-query", "--schema", fixture, "-f", "json"], "show-lamp-query.json"),
        (["schema", "diff", oldFixture, fixture], "diff.txt"),
        (["schema", "diff", oldFixture, fixture, "--format", "json"], "diff.json"),
        (["schema", "diff", "8.2", "10.2"], "diff-qemu-8.2.0-qemu-10.2.0.txt"),
    ])
    func outputEqualsGolden(args: [String], file: String) throws {
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try Self.expected(file)), "\(args.joined(separator: " ")) differs from \(file)")
    }

    @Test func showUnknownNameFails() throws {
        let r = try CLI.run(["schema", "show", "no-such-thing"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("has no event or command no-such-thing"))
    }

    @Test func exportCatalogsNeedsOutput() throws {
        #expect(try CLI.run(["schema", "export", "--catalogs", "Fixtures"]).status == 64)
        #expect(try CLI.run(["schema", "export", "--output", "/tmp"]).status == 64)
        let r = try CLI.run(["schema", "export", "--catalogs", "Fixtures/cli", "--output", NSTemporaryDirectory()])
        #expect(r.status == 1 && r.stderr.contains("no release folders"))
    }

    /// The command the catalog headers name writes exactly the committed files.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent("../shared/corpus/qapi/releases").path),
                   "needs ../shared"))
    func exportCatalogsReproducesTheCommittedFiles() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-lint-catalogs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["schema", "export", "--catalogs", "../shared/corpus/qapi/releases", "--output", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let committedDir = CLI.root.appendingPathComponent("Sources/QMPLint/Schema/Catalogs")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(written == (try FileManager.default.contentsOfDirectory(atPath: committedDir.path).sorted()))
        for name in written {
            #expect(try Data(contentsOf: out.appendingPathComponent(name)) == Data(contentsOf: committedDir.appendingPathComponent(name)), "\(name)")
        }
    }
}
