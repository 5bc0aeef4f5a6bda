import Testing
@testable import QMPLint

@Suite struct ExtractorTests {
    @Test func severalObjectsPerLineAndPrefixes() {
        let text = """
        <- {"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 0}} {"event": "RESUME", "timestamp": {"seconds": 2, "microseconds": 0}}
        garbage {not json} {"event": "RESET", "timestamp": {"seconds": 3, "microseconds": 0}}

        """
        #expect(extractNames(text) == ["STOP", "RESUME", "RESET"])
    }

    @Test func crlfLines() {
        let text = "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n{\"return\": {}}\r\n"
        let r = extract(text)
        #expect(r.summary.events == 1)
        #expect(r.summary.lines == 2)
    }

    @Test func nestedEventObjectsAreNotEvents() {
        let text = """
        {"execute": "blockdev-add", "arguments": {"driver": "blkdebug", "inject-error": [{"event": "read_aio"}], "set-state": [{"event": "flush_to_disk"}]}}
        {"return": [{"name": "SHUTDOWN", "meta-type": "event"}]}

        """
        let r = extract(text)
        #expect(r.summary.events == 0)
        #expect(r.summary.malformed == 0)
        #expect(r.markers[.notEvents] == 3)
    }

    @Test func multiLineCommandWithNestedEventsIsNotAnEvent() {
        let text = """
        { 'execute': 'blockdev-add',
              'arguments': { 'driver': 'blkdebug',
                             'set-state': [{ 'event': 'read_aio', 'state': 1 }] } }
        {"return": {}}

        """
        let r = extract(text)
        #expect(r.summary.events == 0)
        #expect(r.summary.malformed == 0)
    }

    @Test func stringsContainingEventText() {
        let text = #"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "BLOCK_IO_ERROR", "data": {"reason": "nbd reply {\"event\": \"STOP\", \"data\": {}} unexpected }{"}}"# + "\n"
        let r = extract(text)
        #expect(r.summary.events == 1)
        #expect(r.eventsByName["BLOCK_IO_ERROR"]?.total == 1)
    }

    @Test func truncatedEventIsMalformedAndNextLineStillFound() {
        let text = """
        {"timestamp": {"seconds": 1, "microseconds": 2}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "d", "le
        {"timestamp": {"seconds": 1, "microseconds": 3}, "event": "STOP"}

        """
        let r = extract(text)
        #expect(r.summary.malformed == 1)
        #expect(r.summary.events == 1)
        #expect(r.findings.first?.rule == "malformed-json")
        #expect(r.findings.first?.event == "BLOCK_JOB_COMPLETED")
        #expect(r.findings.first?.line == 1)
    }

    /// A logger broke the record before a member (vdsm issue 395): the member's line continues
    /// the object, so the event is read whole.
    @Test func libvirtEventBrokenBeforeAMemberIsReadWhole() {
        let text = """
        4114448: info : qemuMonitorJSONIOProcessLine:205 : QEMU_MONITOR_RECV_EVENT: mon=0x7f1a9c0082f0 event={"timestamp": {"seconds": 1688026018, "microseconds": 64056}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "x", "len": 1, "offset": 1, "speed": 0, "type": "commit",\u{20}
        "error": "No space left on device"}}

        """
        let r = extract(text)
        #expect(r.summary.malformed == 0)
        #expect(r.summary.events == 1)
    }

    @Test func libvirtEchoesCountOnce() {
        let text = """
        2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorIOProcess:356 : QEMU_MONITOR_IO_PROCESS: mon=0x7f733c000a40 buf={"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}\r
        \u{20}
        2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorJSONIOProcessLine:157 : Line [{"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}]
        2014-07-22 17:25:22.984+0000: 18571: info : qemuMonitorJSONIOProcessLine:172 : QEMU_MONITOR_RECV_EVENT: mon=0x7f733c000a40 event={"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}

        """
        let r = extract(text)
        #expect(r.summary.events == 1)
        #expect(r.markers[.echoes] == 2)
    }

    @Test func virshForms() {
        let text = """
        event STOP at 1698405797.422823 for domain 'default_vmi-ephemeral': <null>
        event BALLOON_CHANGE at 1709288600.595545 for domain db-primary: {"actual":3897556992}
        2024-03-01 10:22:53.012+0000: event RESUME for domain vm1: <null>
        event SHUTDOWN at 1709288601.018544 for domain vm1: {
          "guest": false,
          "reason": "host-qmp-quit"
        }
        event RESET at -1.000000 for domain vm1: {"guest":true,"reason":"guest-reset"}
        event loop interrupted
        events received: 5

        """
        #expect(extractNames(text) == ["STOP", "BALLOON_CHANGE", "RESUME", "SHUTDOWN", "RESET"])
    }

    @Test func virshTruncatedDetailsAreMalformed() {
        let r = extract("event MIGRATION at 1709288600.595545 for domain vm1: {\"status\":\"act\n")
        #expect(r.summary.malformed == 1)
        #expect(r.findings.first?.event == "MIGRATION")
    }

    @Test func prettyStyles() {
        let text = """
        Events seen:
        { "event": "BALLOON_CHANGE",
            "data": { "actual": 944766976 },
            "timestamp": { "seconds": 1267020223, "microseconds": 435656 } }
        (QEMU) query-status
        {
            "timestamp": {
                "seconds": 1709288573,
                "microseconds": 12388
            },
            "event": "STOP"
        }
        <-- {
          "event": "RESUME",
          "timestamp": {
            "seconds": 1,
            "microseconds": 2
          }
        }
        {
            QMP_VERSION
        }

        """
        #expect(extractNames(text) == ["BALLOON_CHANGE", "STOP", "RESUME"])
    }

    @Test func prettyEventCutByNextRecord() {
        let text = """
        {
            "event": "STOP",
            "timestamp": {
        {"timestamp": {"seconds": 1, "microseconds": 3}, "event": "RESUME"}

        """
        let r = extract(text)
        #expect(r.summary.malformed == 1)
        #expect(r.summary.events == 1)
    }

    @Test func placeholdersAndPythonRepr() {
        let text = """
        {"timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "event": "BLOCK_JOB_COMPLETED", "data": {"device": "src", "len": LEN, "offset": 0, "speed": 0, "type": "mirror"}}
        {'event': 'STOP', 'timestamp': {'seconds': 1, 'microseconds': 2}, 'data': {'x': True, 'y': None}}

        """
        #expect(extractNames(text) == ["BLOCK_JOB_COMPLETED", "STOP"])
    }

    @Test func proseMentionsAreNotEvents() {
        let r = extract("virEventGLibHandleUpdate:165 : Update handle data=0x1 watch=2 fd=3 events=5\nqemuMonitorEmitEvent:1 : mon=0x1 event=STOP\n")
        #expect(r.summary.events == 0)
        #expect(r.summary.malformed == 0)
    }

    /// Objects and lines straddling buffer refills are found exactly once, whatever the buffer size.
    @Test(arguments: [256, 300, 1000, 4096])
    func bufferBoundaries(size: Int) {
        var text = ""
        var want: [String] = []
        for i in 0..<200 {
            switch i % 4 {
            case 0: text += "{\"timestamp\": {\"seconds\": \(i), \"microseconds\": 0}, \"event\": \"E\(i)\"}\n"
            case 1: text += "{\n    \"event\": \"E\(i)\",\n    \"timestamp\": {\n        \"seconds\": \(i),\n        \"microseconds\": 0\n    }\n}\n"
            case 2: text += "event E\(i) at \(i).000000 for domain vm: <null>\n"
            default: text += "noise line \(i) with some padding to move things around .........\n"
            }
            if i % 4 != 3 { want.append("E\(i)") }
        }
        #expect(extractNames(text, geometry: ChunkGeometry(size: size, lookahead: 4 * size)) == want)
        #expect(extract(text, geometry: ChunkGeometry(size: size)).summary.lines == text.filter { $0 == "\n" }.count)
    }
}
