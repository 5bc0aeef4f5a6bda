import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// QEMU's text documentation of events (2.1.0: 32 events, 2.8.0: 36) and the project's
    /// seed (5 events, an edited excerpt in the same format).
    @Suite("text documentation of events",
           .enabled(if: SchemaReaderPaths.docsAvailable && SchemaReaderPaths.seedAvailable,
                    "../shared/corpus/docs or ../shared/seed is absent"))
    struct TextDocCorpusTests {
        /// Names of the sections: a line followed by a line of dashes.
        static func sectionNames(_ path: String) throws -> [String] {
            let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
            return lines.indices.dropLast().filter { i in
                !lines[i].isEmpty && lines[i + 1].count >= 3 && lines[i + 1].allSatisfy { $0 == "-" }
            }.map { lines[$0] }
        }

        @Test(arguments: [("qmp-events-2.1.0.txt", 32), ("qmp-events-2.8.0.txt", 36)])
        func everySectionIsAnEvent(file: String, count: Int) throws {
            let path = SchemaReaderPaths.doc(file)
            let s = try TextDocSchemaReader.read(path: path)
            let names = try Self.sectionNames(path)
            #expect(names.count == count)
            #expect(s.events.map(\.name) == names.sorted())
            #expect(s.origin == SchemaOrigin(kind: .textDoc, path: path))
            #expect(s.name == file)
            #expect(s.integerWidthsLost)
        }

        @Test func qemu21Members() throws {
            let s = try TextDocSchemaReader.read(path: SchemaReaderPaths.doc("qmp-events-2.1.0.txt"))
            let summary = s.summary
            #expect(summary["BALLOON_CHANGE"] == "{actual: number}")
            #expect(summary["DEVICE_DELETED"] == "{device?: str, path: str}")
            // The json-type on a continuation line; groups spread over two lines.
            #expect(summary["DEVICE_TRAY_MOVED"] == "{device: str, tray-open: bool}")
            #expect(summary["RTC_CHANGE"] == "{offset: number}")
            #expect(summary["BLOCK_JOB_COMPLETED"] == "{type: str, device: str, len: int, offset: int, speed: int, error?: str}")
            // Members without a json-type accept any value but stay required.
            #expect(summary["QUORUM_FAILURE"] == "{reference: any, sector-num: any, sectors-count: any}")
            // Sub-members of a json-object member.
            #expect(summary["VNC_DISCONNECTED"] == "{server: {host: str, service: str, family: str, auth?: str}, "
                + "client: {host: str, service: str, family: str, x509_dname?: str, sasl_username?: str}}")
            for name in ["POWERDOWN", "RESET", "RESUME", "SHUTDOWN", "STOP", "SUSPEND", "SUSPEND_DISK", "WAKEUP",
                         "SPICE_MIGRATE_COMPLETED"] {
                #expect(summary[name] == "-", "\(name)")
            }
            #expect(summary["ACPI_DEVICE_OST"] == "any")
            #expect(s.unresolvedReferences == [
                UnresolvedTypeReference(event: "ACPI_DEVICE_OST", pointer: "/data", typeName: "ACPIOSTInfo", line: 9),
            ])
        }

        @Test func qemu28Members() throws {
            let s = try TextDocSchemaReader.read(path: SchemaReaderPaths.doc("qmp-events-2.8.0.txt"))
            let summary = s.summary
            #expect(summary["BLOCK_IMAGE_CORRUPTED"] == "{device: str, node-name?: str, msg: str, offset?: int, size?: int}")
            // "Data: None." followed by member lines: the members are the data.
            #expect(summary["MIGRATION"] == "{status: any}")
            #expect(summary["MIGRATION_PASS"] == "{pass: any}")
            #expect(summary["DUMP_COMPLETED"] == "{result: any, error?: str}")
            #expect(s.unresolvedReferences.map(\.typeName) == ["ACPIOSTInfo", "DumpQueryResult", "MigrationStatus"])
            #expect(s.unresolvedReferences.map(\.pointer) == ["/data", "/data/result", "/data/status"])
        }

        @Test func seed() throws {
            let s = try TextDocSchemaReader.read(path: SchemaReaderPaths.seed)
            #expect(s.events.map(\.name) == ["ACPI_DEVICE_OST", "BALLOON_CHANGE", "GUEST_PANICKED", "QUORUM_FAILURE",
                                             "QUORUM_REPORT_BAD"])
            let quorum = try #require(s.dataMembers("QUORUM_FAILURE"))
            #expect(quorum.map(\.name) == ["reference", "sector-num", "sector-count"])
            #expect(quorum.allSatisfy { !$0.optional && s.types[$0.type].kind == .builtin(.any) })
            #expect(s.summary["QUORUM_REPORT_BAD"] == "{error?: str, node-name: any, sector-num: any, sector-count: any}")
            #expect(s.summary["GUEST_PANICKED"] == "{action: str}")
            // Unresolved: ACPI_DEVICE_OST's data is opaque and listed.
            #expect(s.summary["ACPI_DEVICE_OST"] == "any")
            #expect(s.unresolvedReferences.map(\.typeName) == ["ACPIOSTInfo"])
        }

        /// Resolved against QEMU 2.1's QAPI source, ACPI_DEVICE_OST's data is ACPIOSTInfo itself
        /// (as the document says; QEMU's own schema wraps it as `info`).
        @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.sharedPath("corpus/qapi/releases/2.1.0")),
                       "../shared/corpus/qapi is absent"))
        func seedResolvedAgainstQAPISource() throws {
            let qapi = try QAPISchemaReader.read(path: TestPaths.sharedPath("corpus/qapi/releases/2.1.0"))
            let s = try TextDocSchemaReader.read(path: SchemaReaderPaths.seed, resolvingAgainst: qapi)
            #expect(s.unresolvedReferences.isEmpty)
            let data = try #require(s.event(named: "ACPI_DEVICE_OST")?.data)
            #expect(s.types[data].name == "ACPIOSTInfo")
            #expect(s.dataMembers("ACPI_DEVICE_OST")?.map(\.name) == ["device", "slot", "slot-type", "source", "status"])
        }
    }
}
