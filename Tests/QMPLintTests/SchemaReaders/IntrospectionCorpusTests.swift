import Foundation
import Testing
@testable import QMPLint

extension SchemaReaders {
    /// libvirt's capability probes of QEMU 4.2, 7.2 and 9.1 (transcripts holding the
    /// `query-qmp-schema` reply). Event counts: 44, 52 and 53 (the 9.1 file was recorded from a
    /// 9.0.90 pre-release, which its `query-version` reply says).
    @Suite("introspection of libvirt capability transcripts",
           .enabled(if: SchemaReaderPaths.capsAvailable, "../shared/corpus/transcripts/libvirt-caps is absent"))
    struct IntrospectionCorpusTests {
        static let shutdownCauses = ["none", "host-error", "host-qmp-quit", "host-qmp-system-reset", "host-signal",
                                     "host-ui", "guest-shutdown", "guest-reset", "guest-panic", "subsystem-reset"]

        @Test(arguments: [
            ("caps_4.2.0.x86_64.replies", 44, "4.2.0", false),
            ("caps_7.2.0_x86_64.replies", 52, "7.2.0", true),
            ("caps_9.1.0_x86_64.replies", 53, "9.0.90", true),
        ])
        func loads(file: String, events: Int, version: String, hasSnapshotLoad: Bool) throws {
            let s = try IntrospectionReader.read(path: SchemaReaderPaths.caps(file))
            #expect(s.events.count == events)
            #expect(s.version == version)
            #expect(s.integerWidthsLost)
            #expect(s.origin == SchemaOrigin(kind: .introspection, path: SchemaReaderPaths.caps(file)))
            #expect(s.name == file)

            // SHUTDOWN: guest (bool) and reason (ShutdownCause, masked, named after its use).
            let members = try #require(s.dataMembers("SHUTDOWN"))
            #expect(members.map(\.name) == ["guest", "reason"])
            #expect(members.allSatisfy { !$0.optional })
            #expect(s.types[members[0].type].kind == .builtin(.bool))
            let reason = s.types[members[1].type]
            #expect(reason.name == "SHUTDOWN-data.reason")
            guard case .enumeration(let values) = reason.kind else {
                Issue.record("reason is not an enum: \(reason.kind)")
                return
            }
            let expected = Self.shutdownCauses + (hasSnapshotLoad ? ["snapshot-load"] : [])
            #expect(values.map(\.name) == expected)

            // Events without data have none; no integer is wider than `int`.
            for name in ["STOP", "RESUME", "POWERDOWN", "WAKEUP"] {
                #expect(s.event(named: name)?.data == nil, "\(name)")
            }
            for t in s.types {
                if case .builtin(let b) = t.kind { #expect([.str, .int, .number, .bool, .null, .any].contains(b)) }
                #expect(!t.name.isEmpty && !t.name.allSatisfy(\.isNumber), "masked name left: \(t.name)")
            }
        }

        @Test func deprecatedEventFeatureIsKept() throws {
            let s = try IntrospectionReader.read(path: SchemaReaderPaths.caps("caps_7.2.0_x86_64.replies"))
            #expect(s.event(named: "MEM_UNPLUG_ERROR")?.features == ["deprecated"])
            #expect(s.event(named: "DEVICE_UNPLUG_GUEST_ERROR")?.features == [])
        }

        @Test func unionVariantsAreRead() throws {
            // JOB_STATUS_CHANGE is plain; BLOCK_JOB_* data are plain too; the closure of
            // BLOCK_IO_ERROR has an enum action. Look for at least one union in the closure.
            let s = try IntrospectionReader.read(path: SchemaReaderPaths.caps("caps_9.1.0_x86_64.replies"))
            let action = try #require(s.memberType("BLOCK_IO_ERROR", "action"))
            guard case .enumeration(let values) = action.kind else {
                Issue.record("action is not an enum")
                return
            }
            #expect(values.map(\.name) == ["ignore", "report", "stop"])
        }

        /// The same build's QAPI source (7.2.0) defines every event the x86_64 build reports,
        /// with the same top-level members and optionality.
        @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.sharedPath("corpus/qapi/releases/7.2.0")),
                       "../shared/corpus/qapi is absent"))
        func agreesWithQAPISource() throws {
            let intro = try IntrospectionReader.read(path: SchemaReaderPaths.caps("caps_7.2.0_x86_64.replies"))
            let source = try QAPISchemaReader.read(path: TestPaths.sharedPath("corpus/qapi/releases/7.2.0"))
            for e in intro.events {
                guard let other = source.event(named: e.name) else {
                    Issue.record("\(e.name) is not in the 7.2.0 QAPI source")
                    continue
                }
                let a = intro.dataMembers(e.name)?.map { "\($0.name)\($0.optional ? "?" : "")" } ?? []
                let b = source.dataMembers(other.name)?.map { "\($0.name)\($0.optional ? "?" : "")" } ?? []
                #expect(a == b, "\(e.name)")
            }
        }
    }
}
