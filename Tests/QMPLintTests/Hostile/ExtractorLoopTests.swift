import Testing
@testable import QMPLint

/// Markers the extractor once failed to move past (found by the extract fuzz target).
@Suite struct ExtractorLoopTests {
    /// A libvirt record whose payload object ends before a later marker on the same line: the
    /// scan looped for ever re-parsing the payload.
    @Test(.timeLimit(.minutes(5))) func markerAfterLibvirtPayload() {
        let r = extract("QEMU_MONITOR_IO_PROCESS: mon=0x1 buf={\"a\": 1} junk \"event\" more\n")
        #expect(r.summary.events == 0)
        #expect(r.markers.total == 1)
    }

    /// Two messages in one `buf=`: each counted once, both as libvirt records.
    @Test(.timeLimit(.minutes(5))) func twoMessagesInOneRecord() {
        let line = "2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorIOProcess:356 : QEMU_MONITOR_IO_PROCESS: mon=0x7f733c000a40 buf={\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"} {\"timestamp\": {\"seconds\": 1, \"microseconds\": 3}, \"event\": \"RESUME\"}\n"
        #expect(extractNames(line) == ["STOP", "RESUME"])
        let r = extract(line)
        #expect(r.markers.events == 2 && r.markers.total == 2)
        // A reply first, then an event.
        let mixed = "QEMU_MONITOR_IO_PROCESS: mon=0x1 buf={\"return\": {}, \"id\": \"libvirt-1\"}{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\n"
        #expect(extractNames(mixed) == ["STOP"])
    }
}
