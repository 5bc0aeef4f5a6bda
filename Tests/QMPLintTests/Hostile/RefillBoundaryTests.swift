import Testing
@testable import QMPLint

/// Objects that span a buffer refill: what is found must not depend on where the buffer ends.
@Suite struct RefillBoundaryTests {
    /// A pretty command whose nested `{"event": ...}` (blkdebug) lies further from its first line
    /// than the history kept across a refill: still part of the command, not an event.
    @Test func nestedEventFarIntoPrettyCommand() {
        var text = "{\"execute\": \"blockdev-add\",\n    \"arguments\": {\n"
        for i in 0..<40 { text += "        \"pad\(i)\": \"\(String(repeating: "x", count: 60))\",\n" }
        text += "        \"inject-error\": [{\"event\": \"read_aio\"}],\n        \"driver\": \"blkdebug\"\n    }}\n"
        text += "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\n"
        let whole = extract(text)
        #expect(whole.summary.events == 1)
        #expect(whole.markers[.nonEvent] == 1)
        for buffer in [256, 512, 1024, 2048] {
            let r = extract(text, bufferSize: buffer, history: 64)
            #expect(r.summary.events == 1, "buffer \(buffer)")
            #expect(r.markers == whole.markers, "buffer \(buffer)")
            #expect(r.summary.readError == nil)
        }
    }

    /// A long run of indented lines (no object) is not held back: memory stays at the buffer.
    @Test func indentedProseDoesNotGrowTheBuffer() {
        var text = ""
        for i in 0..<5000 { text += "    indented line \(i) with an \"event\" word\n" }
        let r = extract(text, bufferSize: 4096, history: 256)
        #expect(r.summary.readError == nil)
        #expect(r.markers.values.reduce(0, +) == 5000)
        #expect(r.summary.lines == 5000)
    }
}

extension RefillBoundaryTests {
    /// A record longer than the largest buffer, continued on the next line: examined in part,
    /// reported, and the run ends (it once looped for ever keeping the record's first line).
    @Test(.timeLimit(.minutes(1))) func overlongRecordWithContinuation() {
        let line = "4114448: info : qemuMonitorJSONIOProcessLine:205 : QEMU_MONITOR_RECV_EVENT: mon=0x7f1a9c0082f0 event={\"timestamp\": {\"seconds\": 1688026018, \"microseconds\": 64056}, \"event\": \"BLOCK_JOB_COMPLETED\", \"data\": {\"device\": \"commit-sdb-libvirt-2-format\", \"len\": 73747988480, \"offset\": 7143424, \"speed\": 0, \"type\": \"commit\", \n\"error\": \"No space left on device\"}}\n"
        var options = FileLinter<FixedProvider<NameOnlyChecker>>.Options()
        options.bufferSize = 64
        options.maxBuffer = 256
        options.history = 128
        var linter = FileLinter(provider: FixedProvider { NameOnlyChecker() }, options: options)
        var source: any ByteSource = MemorySource(line)
        let r = linter.lint(&source, displayPath: "t")
        #expect(r.summary.readError?.contains("longer than") == true)
        #expect(r.summary.bytes == line.utf8.count)
        #expect(r.summary.lines == 2)
    }
}

extension RefillBoundaryTests {
    /// Look-back history as large as the largest buffer: an unterminated line that fills the
    /// buffer once lines before it were handled must not leave it full for ever (fuzz timeout).
    @Test(.timeLimit(.minutes(1))) func historyAsLargeAsTheBuffer() {
        let head = "x': <null\n"
        let tail = "event UME at 3397396811646.162458 for domain 'vmi-ephemeral': <null>\n"
        let text = head + String(repeating: "event UME at 1.0 for domai ", count: 6) + "\n" + tail
        let bytes = Array(text.utf8)
        let whole = lintBytes(bytes)
        for history in [128, 256] {
            let r = lintBytes(bytes, bufferSize: 64, maxBuffer: 128, history: history)
            #expect(r.summary.bytes == bytes.count, "history \(history)")
            #expect(r.summary.lines == whole.summary.lines, "history \(history)")
            #expect(r.markers.values.reduce(0, +) == whole.markers.values.reduce(0, +), "history \(history)")
        }
    }
}
