/// One log shape in which QMP events are found: its PCRE2 pattern(s), sample lines that prove
/// them (each a test), and what a match means. The extractor recognises every dialect on every
/// line, several per file, without a flag. See `EventExtractor` for how they combine.
public struct Dialect: Sendable {
    public enum ID: String, Sendable, CaseIterable {
        /// One JSON object per line as QEMU writes it (`-qmp stdio`, socket captures), CRLF or LF,
        /// one or several objects per line, after any prefix (`<- `, `-> `, a logger's).
        case qmpWire = "qmp-wire"
        /// libvirt daemon debug records carrying QEMU's text (`QEMU_MONITOR_RECV_EVENT`, ...).
        case libvirtMonitor = "libvirt-monitor"
        /// `virsh qemu-monitor-event` lines (`--timestamp`, `--pretty` variants).
        case virshEvent = "virsh-event"
        /// Pretty multi-line objects: QEMU `-qmp-pretty`, documentation style, json.dumps(indent),
        /// qemu.qmp `<-- ` blocks, virsh `--pretty` details.
        case prettyJSON = "pretty-json"
        /// QEMU test-suite output with placeholders (`TIMESTAMP`, `"SECS"`, `QMP_VERSION`).
        case qemuTestOutput = "qemu-iotests"
        /// Python dict repr as printed by qmp-shell (`{'event': 'STOP', ...}`, True/False/None).
        case pythonRepr = "python-repr"
    }

    public var id: ID
    public var summary: String
    /// The PCRE2 patterns that recognise the dialect's lines (documentation and tests use them;
    /// the extractor compiles them once).
    public var patterns: [String]
    /// Sample lines (a whole record or multi-line block each) and how many events each holds.
    public var samples: [(text: String, events: Int)]
}

extension Dialect {
    /// libvirt record header: the message that carries QEMU's text, and where that text starts.
    static let libvirtRecordPattern =
        #"QEMU_MONITOR_(RECV_EVENT|IO_PROCESS|RECV_REPLY|SEND_MSG|IO_WRITE): mon=(0x[0-9a-fA-F]+|\(nil\)) (?:event|buf|reply|msg)=|\b(Line) \["#
    /// virsh qemu-monitor-event line (matched anchored at a line start): optional `--timestamp` clock, name, QEMU time, domain, details.
    static let virshPattern =
        #"(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}): )?event (\S+) (?:at (-?\d+)\.(\d+) )?for domain ('[^']*'|"[^"]*"|\S+): "#
    /// An event's name inside text that could not be parsed.
    static let eventNamePattern = #"["']event["']\s*:\s*["']([^"'\\\r\n]{1,200})["']"#

    /// Every dialect, in the order the extractor tries them on a line.
    public static let all: [Dialect] = [
        Dialect(
            id: .libvirtMonitor,
            summary: "libvirt debug log records that carry QEMU's monitor text",
            patterns: [libvirtRecordPattern],
            samples: [
                (#"2024-03-01 10:22:53.012+0000: 63211: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event={"timestamp": {"seconds": 1709288573, "microseconds": 12388}, "event": "POWERDOWN"}"#, 1),
                (#"2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorIOProcess:356 : QEMU_MONITOR_IO_PROCESS: mon=0x7f733c000a40 buf={"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}"#, 1),
                ("2024-03-01 10:22:53.013+0000: 63211: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=0x7f2ae326cada reply={\"return\": [{\"name\": \"SHUTDOWN\", \"meta-type\": \"event\"}], \"id\": \"libvirt-9\"}", 0),
                (#"qemuMonitorJSONIOProcessLine:193 : Line [{"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}]"#, 1),
            ]),
        Dialect(
            id: .virshEvent,
            summary: "virsh qemu-monitor-event output (plain, --timestamp, --pretty)",
            patterns: [virshPattern],
            samples: [
                (#"event BALLOON_CHANGE at 1709288600.595545 for domain db-primary: {"actual":3897556992}"#, 1),
                ("event STOP at 1698405797.422823 for domain 'default_vmi-ephemeral': <null>", 1),
                ("2024-03-01 10:22:53.012+0000: event RESUME for domain vm1: <null>", 1),
                ("event SHUTDOWN at 1709288601.018544 for domain vm1: {\n  \"guest\": false,\n  \"reason\": \"host-qmp-quit\"\n}", 1),
            ]),
        Dialect(
            id: .qmpWire,
            summary: "raw QMP: one or several JSON objects per line, after any prefix",
            patterns: [#"\{\s*"event"\s*:"#],
            samples: [
                ("{\"timestamp\": {\"seconds\": 1461880188, \"microseconds\": 107251}, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-signal\"}}\r", 1),
                (#"<- {"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}{"event": "RESUME", "timestamp": {"seconds": 1, "microseconds": 3}}"#, 2),
                (#"{"execute": "blockdev-add", "arguments": {"driver": "blkdebug", "inject-error": [{"event": "read_aio"}]}}"#, 0),
            ]),
        Dialect(
            id: .prettyJSON,
            summary: "multi-line objects: -qmp-pretty, documentation style, json.dumps(indent), qemu.qmp blocks",
            patterns: [#"^(?:<-- |<- )?\{\s*$"#, #"^\{ "event": "#],
            samples: [
                ("{ \"event\": \"BALLOON_CHANGE\",\n    \"data\": { \"actual\": 944766976 },\n    \"timestamp\": { \"seconds\": 1267020223, \"microseconds\": 435656 } }", 1),
                ("{\n    \"timestamp\": {\n        \"seconds\": 1709288573,\n        \"microseconds\": 12388\n    },\n    \"event\": \"STOP\"\n}", 1),
                ("<-- {\n  \"event\": \"RESUME\",\n  \"timestamp\": {\n    \"seconds\": 1,\n    \"microseconds\": 2\n  }\n}", 1),
            ]),
        Dialect(
            id: .qemuTestOutput,
            summary: "QEMU iotests output: filtered values (TIMESTAMP, \"SECS\", QMP_VERSION) instead of numbers",
            patterns: [#"\b[A-Z][A-Z0-9_]+\b|\(filtered\)"#],
            samples: [
                (#"{"timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "event": "JOB_STATUS_CHANGE", "data": {"status": "created", "id": "disk"}}"#, 1),
                (#"{"data": {"status": "setup"}, "event": "MIGRATION", "timestamp": {"microseconds": "USECS", "seconds": "SECS"}}"#, 1),
                ("{\n    QMP_VERSION\n}", 0),
            ]),
        Dialect(
            id: .pythonRepr,
            summary: "Python dict repr (qmp-shell): single quotes, True/False/None",
            patterns: [#"\{\s*'event'\s*:"#],
            samples: [
                ("{'event': 'STOP', 'timestamp': {'seconds': 1, 'microseconds': 2}}", 1),
                ("{'timestamp': {'seconds': 1, 'microseconds': 2}, 'event': 'SHUTDOWN', 'data': {'guest': False, 'reason': 'host-qmp-quit'}}", 1),
            ]),
    ]
}
