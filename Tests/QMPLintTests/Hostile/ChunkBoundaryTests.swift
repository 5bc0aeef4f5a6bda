import Testing
@testable import QMPLint

/// Objects near chunk cuts: what is found must not depend on where the chunks end.
@Suite struct ChunkBoundaryTests {
    /// A pretty command whose nested `{"event": ...}` (blkdebug) lies far from its first line:
    /// still part of the command whatever the chunk size, not an event.
    @Test func nestedEventFarIntoPrettyCommand() {
        var text = "{\"execute\": \"blockdev-add\",\n    \"arguments\": {\n"
        for i in 0..<40 { text += "        \"pad\(i)\": \"\(String(repeating: "x", count: 60))\",\n" }
        text += "        \"inject-error\": [{\"event\": \"read_aio\"}],\n        \"driver\": \"blkdebug\"\n    }}\n"
        text += "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\n"
        let whole = extract(text)
        #expect(whole.summary.events == 1)
        #expect(whole.markers.notEvents == 1)
        for size in [64, 256, 512, 1024, 2048] {
            let r = extract(text, geometry: ChunkGeometry(size: size, lookahead: 1 << 16))
            #expect(r.summary.events == 1, "chunk \(size)")
            #expect(r.markers == whole.markers, "chunk \(size)")
            #expect(r.summary.readError == nil)
        }
    }

    /// A long run of indented lines (no object): read in pieces of the lookahead, every marker
    /// counted once.
    @Test func indentedProseIsReadInPieces() {
        var text = ""
        for i in 0..<5000 { text += "    indented line \(i) with an \"event\" word\n" }
        let r = extract(text, geometry: ChunkGeometry(size: 4096, lookahead: 8192))
        #expect(r.summary.readError == nil)
        #expect(r.markers.total == 5000)
        #expect(r.summary.lines == 5000)
    }

    /// A line longer than the longest line read whole: cut where the limit falls, read in
    /// pieces, counted fully, and said (a notice, not a read error).
    @Test(.timeLimit(.minutes(5))) func overlongLine() {
        let line = "4114448: info : qemuMonitorJSONIOProcessLine:205 : QEMU_MONITOR_RECV_EVENT: mon=0x7f1a9c0082f0 event={\"timestamp\": {\"seconds\": 1688026018, \"microseconds\": 64056}, \"event\": \"BLOCK_JOB_COMPLETED\", \"data\": {\"device\": \"commit-sdb-libvirt-2-format\", \"len\": 73747988480, \"offset\": 7143424, \"speed\": 0, \"type\": \"commit\", \n\"error\": \"No space left on device\"}}\n"
        let r = extract(line, geometry: ChunkGeometry(size: 64, lookahead: 128, maxLine: 128))
        #expect(r.summary.readError == nil)
        #expect(r.summary.notices.contains { $0.message.contains("longer than") })
        #expect(r.summary.bytes == line.utf8.count)
        #expect(r.summary.lines == 2)
    }

    /// Any chunk size finds what one reading finds (a fuzz input that once hung the refill).
    @Test(.timeLimit(.minutes(5))) func tinyChunks() {
        let head = "x': <null\n"
        let tail = "event UME at 3397396811646.162458 for domain 'vmi-ephemeral': <null>\n"
        let text = head + String(repeating: "event UME at 1.0 for domai ", count: 6) + "\n" + tail
        let bytes = Array(text.utf8)
        let whole = lintBytes(bytes)
        for size in [1, 7, 64, 128] {
            let r = lintBytes(bytes, geometry: ChunkGeometry(size: size, lookahead: 64, maxLine: 128))
            #expect(r.summary.bytes == bytes.count, "chunk \(size)")
            #expect(r.summary.lines == whole.summary.lines, "chunk \(size)")
            #expect(r.markers.total == whole.markers.total, "chunk \(size)")
        }
    }
}
