import Foundation
import Testing

@testable import QMPLint

/// An answer-key test for commands and replies: a generator of our own writes a QMP transcript
/// (QEMU 10.2's wire format) with command and reply defects planted at known lines; the report
/// must find exactly those (rule and line), and nothing else that is an error or a warning.
@Suite struct CommandAnswerKeyTests {
    struct Planted: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var rule: String
        static func < (a: Planted, b: Planted) -> Bool { (a.line, a.rule) < (b.line, b.rule) }
        var description: String { "\(line) \(rule)" }
    }

    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// The transcript and its key. `greeting`: start with QEMU 10.2's greeting (else the release
    /// is inferred from the messages).
    static func generate(seed: UInt64, pairs: Int, greeting: Bool) -> (text: String, key: Set<Planted>) {
        var rng = Random(state: seed)
        var lines: [String] = []
        var key = Set<Planted>()
        if greeting {
            lines.append(#"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 10}, "package": ""}, "capabilities": ["oob"]}}"#)
        }
        lines.append(#"{"execute": "qmp_capabilities", "id": "c0"}"#)
        lines.append(#"{"return": {}, "id": "c0"}"#)
        for n in 1...pairs {
            let id = "\"c\(n)\""
            let command = lines.count + 1, reply = lines.count + 2
            var cmd: String, ret: String
            let defect = rng.below(10) == 0 ? rng.below(8) : -1
            switch rng.below(6) {
            case 0:
                cmd = #"{"execute": "query-status", "id": \#(id)}"#
                ret = #"{"return": {"running": true, "status": "running"}, "id": \#(id)}"#
            case 1:
                cmd = #"{"execute": "set_link", "arguments": {"name": "net0", "up": false}, "id": \#(id)}"#
                ret = #"{"return": {}, "id": \#(id)}"#
            case 2:
                cmd = #"{"execute": "qom-get", "arguments": {"path": "/machine", "property": "type"}, "id": \#(id)}"#
                ret = #"{"return": "pc-q35-10.2-machine", "id": \#(id)}"#
            case 3:
                cmd = #"{"execute": "query-name", "id": \#(id)}"#
                ret = #"{"return": {"name": "vm\#(n)"}, "id": \#(id)}"#
            case 4:
                cmd = #"{"execute": "query-kvm", "id": \#(id)}"#
                ret = #"{"return": {"enabled": true, "present": true}, "id": \#(id)}"#
            default:
                cmd = #"{"execute": "human-monitor-command", "arguments": {"command-line": "info version"}, "id": \#(id)}"#
                ret = #"{"return": "10.2.0\r\n", "id": \#(id)}"#
            }
            switch defect {
            case 0:  // a required argument missing, QEMU answered anyway (an edited capture)
                cmd = #"{"execute": "set_link", "arguments": {"name": "net0"}, "id": \#(id)}"#
                ret = #"{"return": {}, "id": \#(id)}"#
                key.insert(Planted(line: command, rule: "missing-member"))
            case 1:
                cmd = #"{"execute": "set_link", "arguments": {"name": "net0", "up": "yes"}, "id": \#(id)}"#
                ret = #"{"return": {}, "id": \#(id)}"#
                key.insert(Planted(line: command, rule: "type-mismatch"))
            case 2:
                cmd = #"{"execute": "query-name", "arguments": {"verbose": true}, "id": \#(id)}"#
                ret = #"{"return": {}, "id": \#(id)}"#
                key.insert(Planted(line: command, rule: "unexpected-member"))
            case 3:  // QEMU refused it: the transcript conforms, the client erred
                cmd = #"{"execute": "x-no-such-command", "id": \#(id)}"#
                ret = #"{"error": {"class": "CommandNotFound", "desc": "The command x-no-such-command has not been found"}, "id": \#(id)}"#
                key.insert(Planted(line: command, rule: "rejected-command"))
            case 4:
                cmd = #"{"execute": "query-kvm", "id": \#(id)}"#
                ret = #"{"return": {"enabled": true}, "id": \#(id)}"#
                key.insert(Planted(line: reply, rule: "invalid-return"))
            case 5:
                cmd = #"{"execute": "query-status", "id": \#(id)}"#
                ret = #"{"return": {"running": true, "status": "sleeping"}, "id": \#(id)}"#
                key.insert(Planted(line: reply, rule: "invalid-return"))
            case 6:
                cmd = #"{"execute": "qom-get", "arguments": {"path": "/machine", "property": "type"}, "id": \#(id)}"#
                ret = #"{"error": {"class": "BogusError", "desc": "x"}, "id": \#(id)}"#
                key.insert(Planted(line: reply, rule: "error-class"))
            case 7:
                cmd = #"{"execute": "human-monitor-command", "arguments": {"command-line": "info", "cpu-index": 99999999999999999999}, "id": \#(id)}"#
                ret = #"{"return": "", "id": \#(id)}"#
                key.insert(Planted(line: command, rule: "integer-range"))
            default:
                break
            }
            lines.append(cmd)
            lines.append(ret)
        }
        return (lines.joined(separator: "\n") + "\n", key)
    }

    static func findings(_ text: String) -> [ReportFinding] {
        Linter(jobs: 2, selector: SchemaSelectingProvider(fixed: nil)).lint(bytes: Array(text.utf8)).findings
    }

    @Test(arguments: [(UInt64(1), true), (2, true), (3, false), (4, false)])
    func plantedDefectsAreFoundExactly(seed: UInt64, greeting: Bool) {
        let (text, key) = Self.generate(seed: seed, pairs: 600, greeting: greeting)
        #expect(key.count > 30, "the generator planted defects")
        let found = Self.findings(text)
        let listed = Set(found.filter { $0.severity != .note || $0.rule == "rejected-command" }.map { Planted(line: $0.line, rule: $0.rule) })
        let missing = key.subtracting(listed).sorted(), extra = listed.subtracting(key).sorted()
        #expect(missing.isEmpty, "not found: \(missing.prefix(5))")
        #expect(extra.isEmpty, "not planted: \(extra.prefix(5)) \(found.filter { extra.contains(Planted(line: $0.line, rule: $0.rule)) }.prefix(3).map(\.message))")
    }
}

/// libvirt's capability probes (QEMU 4.2, 7.2, 9.1): every command and reply found - counted
/// here independently, object by object - and checked against the release the file states (its
/// own query-qmp-schema reply): no error-level finding.
@Suite(.enabled(if: TestPaths.sharedAvailable, "needs ../shared (corpus/transcripts/libvirt-caps)"))
struct LibvirtCapsCommandTests {
    static let files = ["caps_4.2.0.x86_64.replies", "caps_7.2.0_x86_64.replies", "caps_9.1.0_x86_64.replies"]

    /// Commands, replies and greetings by reading the file as libvirt writes it: pretty objects
    /// separated by blank lines.
    static func count(_ text: String) -> (commands: Int, replies: Int, greetings: Int) {
        var c = 0, r = 0, g = 0
        for block in text.components(separatedBy: "\n\n") where !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            guard let o = try? JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any] else { continue }
            if o["execute"] != nil || o["exec-oob"] != nil { c += 1 }
            if o["return"] != nil || o["error"] != nil { r += 1 }
            if o["QMP"] != nil { g += 1 }
        }
        return (c, r, g)
    }

    @Test(arguments: files)
    func everyCommandAndReplyFoundWithoutError(file: String) throws {
        let path = TestPaths.sharedPath("corpus/transcripts/libvirt-caps/\(file)")
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let want = Self.count(String(decoding: bytes, as: UTF8.self))
        #expect(want.commands > 50 && want.replies > 50)
        let r = Linter(jobs: 2, selector: SchemaSelectingProvider(fixed: nil)).lint(bytes: bytes, path: file)
        #expect(r.count(.command) == want.commands)
        #expect(r.count(.reply) == want.replies)
        #expect(r.count(.greeting) == want.greetings)
        #expect(r.summary.errors == 0, "\(r.findings.filter { $0.severity == .error }.prefix(3).map(\.message))")
        #expect(r.summary.schema?.reason.hasPrefix("query-qmp-schema reply") == true, "checked against its own schema")
    }
}
