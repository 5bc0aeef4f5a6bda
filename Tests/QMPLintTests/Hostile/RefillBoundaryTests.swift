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
