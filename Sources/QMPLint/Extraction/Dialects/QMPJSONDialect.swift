/// QMP as JSON anywhere in a unit: QEMU's wire output (`-qmp stdio`, socket captures; one or
/// several objects per line, after any prefix such as `<- `), pretty multi-line objects at any
/// indentation (`-qmp-pretty`, documentation style, `json.dumps(indent=...)`, qemu.qmp `<--`
/// blocks, libvirt `.replies` files), behind a repeated log prefix (journald), QEMU test-suite
/// output with filtered values (`TIMESTAMP`, `"SECS"`, `QMP_VERSION`), Python dict repr as
/// qmp-shell prints it, and `qmp-shell -l` logs (a command and its reply merged in one object).
/// The catch-all: it reads every unit no other dialect took.
public enum QMPJSONDialect: Dialect {
    public static let id = DialectID.qmpJSON
    public static let summary = "QMP JSON objects: wire, pretty (any indentation or log prefix), test output, Python repr"

    public static let samples: [DialectSample] = [
        DialectSample(
            "{\"timestamp\": {\"seconds\": 1461880188, \"microseconds\": 107251}, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-signal\"}}\r",
            ["event SHUTDOWN"]),
        DialectSample(
            #"<- {"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}{"event": "RESUME", "timestamp": {"seconds": 1, "microseconds": 3}}"#,
            ["event STOP", "event RESUME"]),
        DialectSample(
            #"{"execute": "blockdev-add", "arguments": {"driver": "blkdebug", "inject-error": [{"event": "read_aio"}]}}"#,
            ["command blockdev-add"]),
        DialectSample(
            "{ \"event\": \"BALLOON_CHANGE\",\n    \"data\": { \"actual\": 944766976 },\n    \"timestamp\": { \"seconds\": 1267020223, \"microseconds\": 435656 } }",
            ["event BALLOON_CHANGE"]),
        DialectSample("{\n\"timestamp\": {\n\"seconds\": 1,\n\"microseconds\": 2\n},\n\"event\": \"STOP\"\n}", ["event STOP"]),
        DialectSample(
            "Jan 01 12:00:00 host qemu-kvm[4242]: {\nJan 01 12:00:00 host qemu-kvm[4242]:     \"event\": \"STOP\",\nJan 01 12:00:01 host qemu-kvm[4242]:     \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}\nJan 01 12:00:01 host qemu-kvm[4242]: }",
            ["event STOP"]),
        DialectSample("{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\n\r{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 3}}\n\r",
                      ["event STOP", "event RESUME"]),
        DialectSample(
            #"{"timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "event": "JOB_STATUS_CHANGE", "data": {"status": "created", "id": "disk"}}"#,
            ["event JOB_STATUS_CHANGE"]),
        DialectSample("{\n    QMP_VERSION\n}", ["greeting"]),
        DialectSample("{'timestamp': {'seconds': 1, 'microseconds': 2}, 'event': 'SHUTDOWN', 'data': {'guest': False, 'reason': 'host-qmp-quit'}}",
                      ["event SHUTDOWN"]),
        DialectSample(
            #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}"#,
            ["greeting"]),
        DialectSample("{\n  \"execute\": \"query-version\",\n  \"id\": \"libvirt-2\"\n}\n\n{\n  \"return\": {},\n  \"id\": \"libvirt-2\"\n}",
                      ["command query-version", "reply"]),
        DialectSample(#"{"execute": "query-status", "return": {"status": "running", "running": true}}"#, ["command query-status"]),
    ]

    public static func read(_ r: inout UnitReader) -> Bool {
        var from = r.start
        // QEMU's test suite filters the greeting line to a bare `QMP_VERSION`.
        let s = r.firstLineTextStart, e = r.firstLineEnd
        if let word = ByteScan.find(UnsafeRawBufferPointer(start: placeholder.utf8Start, count: 11), in: r.bytes, from: s, to: e),
           MonitorText.onlySpace(r.bytes, s, word), MonitorText.onlySpace(r.bytes, word + 11, e) {
            r.engine.tape.reset(bytes: r.bytes)
            if case .success(let end) = JSONParser.parseValue(r.bytes, from: word, limit: word + 11,
                                                               options: r.engine.options.json, into: &r.engine.tape) {
                r.took(word, end, UnitReader.Policy(dialect: id))
                from = end
            }
        }
        r.readObjects(from, r.end, UnitReader.Policy(dialect: id))
        return true
    }

    static let placeholder: StaticString = "QMP_VERSION"
}

enum MonitorText {
    /// Only spaces and tabs in `b[from..<to]`.
    static func onlySpace(_ b: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            if b[i] != 0x20 && b[i] != 0x09 { return false }
            i += 1
        }
        return true
    }
}
