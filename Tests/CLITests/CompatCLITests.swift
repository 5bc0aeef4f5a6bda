import Foundation
import Testing

/// `compat` over version inference: each input read once (standard input too), every message
/// (events, commands, replies) probed against every built-in release.
@Suite(.enabled(if: CLI.available, "needs the built qmp-lint (swift build)"))
struct CompatCLITests {
    static let virsh = "Fixtures/real/libvirt-9.0/virsh-event.log"

    /// Real QEMU 7.2 transcripts with commands and replies: only 7.2.0 describes them all.
    @Test func realQEMU72TranscriptsFitOnly72() throws {
        let r = try CLI.run(["compat", "Fixtures/real/qemu-7.2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Compatible with QEMU 7.2.0\n"), "\(r.stdout)")
    }

    /// Standard input gives the answer the same file gives by path (it used to be read for the
    /// first release only).
    @Test func standardInputIsReadOnce() throws {
        let byPath = try CLI.run(["compat", "--format", "json", Self.virsh])
        let text = try Data(contentsOf: CLI.root.appendingPathComponent(Self.virsh))
        let byStdin = try CLI.run(["compat", "--format", "json", "-"], stdin: text)
        let compatible = { (s: String) in
            (try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])?["compatible"] as? [String]
        }
        #expect(compatible(byPath.stdout) == ["4.2.0-8.2.0"], "\(byPath.stdout)")
        #expect(compatible(byStdin.stdout) == compatible(byPath.stdout))
    }

    /// No message at all decides nothing (it used to claim every release).
    @Test func noMessagesDecideNothing() throws {
        let r = try CLI.run(["compat", "-"], stdin: Data("just a log line\n".utf8))
        #expect(r.status == 0)
        #expect(r.stdout == "No QMP messages found: nothing to decide.\n")
        let j = try CLI.run(["compat", "--format", "json", "-"], stdin: Data())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((json["compatible"] as? [String])?.isEmpty == true)
        #expect(json["note"] as? String == "no QMP messages found: nothing to decide")
    }

    /// A release is excluded by the first message it does not describe, named with its place.
    @Test func exclusionsNameTheFirstMisfit() throws {
        let r = try CLI.run(["compat", Self.virsh])
        #expect(r.stdout.contains("not 10.2.0: \(Self.virsh):6:1: event BLOCK_IO_ERROR does not fit qemu-10.2.0's schema"), "\(r.stdout)")
    }
}
