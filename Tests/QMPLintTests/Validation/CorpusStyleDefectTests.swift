import Testing
@testable import QMPLint

/// Events shaped like the benchmark corpus's defects (bench/gen_corpus.py): each carries exactly
/// one defect and must give exactly one error, of the defect's rule (warnings are allowed).
@Suite struct ValidationCorpusStyleDefectTests {
    static let t = #""timestamp": {"seconds": 1709288573, "microseconds": 12388}, "#

    static let defects: [(kind: String, line: String)] = [
        ("unknown-event", "{\(t)\"event\": \"GUEST_REBOOTED\"}"),
        ("unknown-event", "{\(t)\"event\": \"DISK_FULL\", \"data\": {\"device\": \"drive-virtio-disk0\", \"reason\": \"No space left on device\"}}"),
        ("unknown-event", "{\(t)\"event\": \"Stop\", \"data\": {\"status\": \"done\"}}"),
        ("unknown-event", "{\(t)\"event\": \"shutdown\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}"),
        ("missing-member", "{\(t)\"event\": \"BALLOON_CHANGE\", \"data\": {}}"),
        ("missing-member", "{\(t)\"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"status\": \"running\"}}"),
        ("missing-member", "{\(t)\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": {\"device\": \"dimm2\", \"slot\": \"2\", \"source\": 1, \"status\": 0}}}"),
        ("missing-member", "{\(t)\"event\": \"GUEST_PANICKED\", \"data\": {\"action\": \"pause\", \"info\": {\"type\": \"hyper-v\", \"arg1\": 1, \"arg2\": 2, \"arg4\": 4, \"arg5\": 5}}}"),
        ("missing-member", "{\(t)\"event\": \"BLOCK_IO_ERROR\", \"data\": {\"device\": \"\", \"operation\": \"write\", \"action\": \"stop\", \"reason\": \"x\"}}"),
        ("type-mismatch", "{\(t)\"event\": \"SHUTDOWN\", \"data\": {\"guest\": 1, \"reason\": \"guest-shutdown\"}}"),
        ("type-mismatch", "{\(t)\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": null}}"),
        ("type-mismatch", "{\(t)\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": 6}}"),
        ("type-mismatch", "{\(t)\"event\": \"BALLOON_CHANGE\", \"data\": {\"actual\": 1073741824.5}}"),
        ("type-mismatch", "{\(t)\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 78.25, \"qom-path\": \"/machine/unattached/device[9]\"}}"),
        ("type-mismatch", "{\(t)\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 78, \"qom-path\": [\"rtc\"]}}"),
        ("type-mismatch", "{\(t)\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": \"dimm1\"}}"),
        ("type-mismatch", "{\(t)\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": {\"slot\": 3, \"slot-type\": \"DIMM\", \"source\": 1, \"status\": 0}}}"),
        ("type-mismatch", "{\(t)\"event\": \"DEVICE_DELETED\", \"data\": {\"path\": {\"path\": \"/machine/peripheral/net1\"}}}"),
        ("type-mismatch", "{\(t)\"event\": \"BLOCK_IO_ERROR\", \"data\": {\"qom-path\": \"/q\", \"device\": {\"msg\": \"x\"}, \"operation\": \"read\", \"action\": \"stop\", \"reason\": \"x\"}}"),
        ("type-mismatch", "{\(t)\"event\": \"BLOCK_JOB_COMPLETED\", \"data\": {\"type\": \"mirror\", \"device\": \"j\", \"len\": \"10737418240\", \"offset\": 0, \"speed\": 0}}"),
        ("type-mismatch", "{\(t)\"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"id\": \"j\", \"status\": [\"running\"]}}"),
        ("type-mismatch", "{\(t)\"event\": \"MIGRATION\", \"data\": {\"status\": {\"status\": \"active\"}}}"),
        ("type-mismatch", "{\(t)\"event\": \"GUEST_PANICKED\", \"data\": {\"action\": \"pause\", \"info\": {\"type\": \"s390\", \"core\": 1, \"psw-mask\": \"0xffff\", \"psw-addr\": 0, \"reason\": \"unknown\"}}}"),
        ("type-mismatch", "{\(t)\"event\": \"QUORUM_REPORT_BAD\", \"data\": {\"type\": 2, \"node-name\": \"node0\", \"sector-num\": 0, \"sectors-count\": 1}}"),
        ("enum-value", "{\(t)\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"Guest-Shutdown\"}}"),
        ("enum-value", "{\(t)\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": {\"slot\": \"1\", \"slot-type\": \"PCI\", \"source\": 1, \"status\": 0}}}"),
        ("enum-value", "{\(t)\"event\": \"BLOCK_IO_ERROR\", \"data\": {\"qom-path\": \"/q\", \"device\": \"\", \"operation\": \"flush\", \"action\": \"stop\", \"reason\": \"x\"}}"),
        ("enum-value", "{\(t)\"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"id\": \"j\", \"status\": \"finished\"}}"),
        ("enum-value", "{\(t)\"event\": \"MIGRATION\", \"data\": {\"status\": \"Active\"}}"),
        ("missing-timestamp", "{\"event\": \"STOP\"}"),
        ("missing-timestamp", "{\"event\": \"MIGRATION\", \"data\": {\"status\": \"active\"}}"),
    ]

    @Test(arguments: defects.indices)
    func exactlyOneErrorOfTheDefectsRule(i: Int) throws {
        let (kind, line) = Self.defects[i]
        let c = try #require(check(line, MessageValidator(schema: TestSchemas.qemu)), "does not parse: \(line)")
        #expect(c.errors.map(\.rule) == [kind], "\(line): \(c.findings)")
        #expect(c.event.hasError)
    }

    @Test func malformedJSONIsAParseError() {
        let cut = "{\(Self.t)\"event\": \"BLOCK_JOB_READY\", \"data\": {\"type\": \"mirror\", \"device\": \"copy-v"
        #expect(check(cut, MessageValidator(schema: TestSchemas.qemu)) == nil)
    }
}
