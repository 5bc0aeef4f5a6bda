import ArgumentParser
import Foundation
import QMPLint

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Inspect QMP schemas: built-in catalogs, events, commands, one of them, differences.",
        subcommands: [List.self, Events.self, Commands.self, Show.self, Diff.self, Export.self])

    enum OutputFormat: String, CaseIterable, ExpressibleByArgument { case text, json }

    struct Source: ParsableArguments {
        @Option(help: ArgumentHelp("A QAPI source file or folder, a query-qmp-schema reply, or text documentation.", valueName: "PATH"))
        var schema: String?
        @Option(
            name: .customLong("qemu-version"), help: ArgumentHelp("A built-in release (nearest not newer).", valueName: "X.Y[.Z]"),
            completion: .list(BuiltinCatalogs.versions))
        var qemuVersion: String?

        func load() throws -> Schema {
            var s = LintSettings()
            s.schemaPath = schema
            s.qemuVersion = qemuVersion
            do { return try SchemaResolution.resolve(s).0 } catch {
                Terminal.error("\(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The built-in catalogs (QEMU releases).")
        @Option(name: [.customShort("f"), .long], help: "Output format.") var format = OutputFormat.text
        func run() throws { try Terminal.show(SchemaPresentation.list(json: format == .json)) }
    }

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every event of a schema with its members.")
        @OptionGroup var source: Source
        @Option(name: [.customShort("f"), .long], help: "Output format.") var format = OutputFormat.text
        func run() throws { try Terminal.show(SchemaPresentation.events(try source.load(), json: format == .json)) }
    }

    struct Commands: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every command of a schema with its arguments and return type.")
        @OptionGroup var source: Source
        @Option(name: [.customShort("f"), .long], help: "Output format.") var format = OutputFormat.text
        func run() throws { try Terminal.show(SchemaPresentation.commands(try source.load(), json: format == .json)) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One event or command: members, types, optionality, since when; a command's return type and allow-oob.")
        @Argument(help: "Event or command name.") var event: String
        @OptionGroup var source: Source
        @Option(name: [.customShort("f"), .long], help: "Output format.") var format = OutputFormat.text
        func run() throws {
            let schema = try source.load()
            guard let text = SchemaPresentation.show(event, in: schema, json: format == .json) else {
                Terminal.error("\(schema.name) has no event or command \(event)")
                throw ExitCode(1)
            }
            try Terminal.show(text)
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What changed between two schemas (each a release like 8.2 or a schema path).")
        @Argument(help: "Old schema: a QEMU version or a path.") var old: String
        @Argument(help: "New schema: a QEMU version or a path.") var new: String
        @Option(name: [.customShort("f"), .long], help: "Output format.") var format = OutputFormat.text
        func run() throws {
            func load(_ s: String) throws -> Schema {
                var settings = LintSettings()
                if FileManager.default.fileExists(atPath: s) { settings.schemaPath = s } else { settings.qemuVersion = s }
                do { return try SchemaResolution.resolve(settings).0 } catch {
                    Terminal.error("\(error)")
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
            }
            try Terminal.show(SchemaPresentation.diff(try load(old), try load(new), json: format == .json))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the compact catalog of a schema; with --catalogs, regenerate the built-in catalogs.",
            discussion: """
                The built-in catalogs are made with
                  \(SchemaCatalogGenerator.command)
                which writes one Swift source per release folder (named X.Y.Z) plus the index.
                """)
        @OptionGroup var source: Source
        @Option(help: ArgumentHelp("A folder of QAPI source trees, one per release (X.Y.Z).", valueName: "DIR"))
        var catalogs: String?
        @Option(help: ArgumentHelp("Where --catalogs writes the Swift sources.", valueName: "DIR"))
        var output: String?

        func run() throws {
            guard let catalogs else {
                if output != nil { throw ValidationError("--output goes with --catalogs") }
                try Terminal.show(SchemaCatalogCodec.encode(try source.load()))
                return
            }
            guard let output else { throw ValidationError("--catalogs needs --output DIR") }
            guard source.schema == nil, source.qemuVersion == nil else {
                throw ValidationError("--catalogs excludes --schema and --qemu-version")
            }
            do {
                for f in try SchemaCatalogGenerator.files(releasesDir: catalogs) {
                    try f.contents.write(toFile: output + "/" + f.name, atomically: true, encoding: .utf8)
                }
            } catch {
                Terminal.error("\(error)")
                throw ExitCode(1)
            }
        }
    }
}
