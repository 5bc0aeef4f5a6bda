/// libvirt daemon debug logs (`libvirtd.log`, `virtqemud.log`): the records that carry QEMU
/// monitor text - `QEMU_MONITOR_SEND_MSG msg=` and `IO_WRITE buf=` (commands), `RECV_EVENT
/// event=`, `RECV_REPLY reply=`, `IO_PROCESS buf=` and `Line [...]` (QEMU's text). The stream is
/// the monitor, `mon=0x...`. One message is logged by several records: the reducer counts the
/// first copy and the others as echoes (`LibvirtRecord.echoes`). The API records that log a
/// command a client passed through (`virDomainQemuMonitorCommand ... cmd=`) are copies too: the
/// command reaches QEMU as the `SEND_MSG` that follows, with libvirt's id.
public enum LibvirtMonitorDialect: Dialect {
    public static let id = DialectID.libvirtMonitor
    public static let summary = "libvirt debug log records carrying QEMU monitor text (mon=0x...)"

    /// The record head: which record, the monitor, and where the carried text starts.
    static let recordPattern =
        #"QEMU_MONITOR_(RECV_EVENT|IO_PROCESS|RECV_REPLY|SEND_MSG|IO_WRITE): mon=(0x[0-9a-fA-F]+|\(nil\)) (?:event|buf|reply|msg)=|\b(Line) \[|\b((?:virDomainQemu|qemuDomainQemu|qemuMonitorArbitrary)\w*Command\w*):\d+ : [^\n]*?\bcmd="#

    public static let samples: [DialectSample] = [
        DialectSample(
            #"2024-03-01 10:22:53.012+0000: 63211: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event={"timestamp": {"seconds": 1709288573, "microseconds": 12388}, "event": "POWERDOWN"}"#,
            ["event POWERDOWN"]),
        DialectSample(
            "2024-03-01 10:22:53.010+0000: 63211: info : qemuMonitorSend:859 : QEMU_MONITOR_SEND_MSG: mon=0x7f2ae326cada msg={\"execute\":\"query-status\",\"id\":\"libvirt-12\"}\r\n fd=-1\n2024-03-01 10:22:53.010+0000: 63210: info : qemuMonitorIOWrite:366 : QEMU_MONITOR_IO_WRITE: mon=0x7f2ae326cada buf={\"execute\":\"query-status\",\"id\":\"libvirt-12\"}\r\n len=44 ret=44 errno=0",
            ["command query-status", "command query-status"]),
        DialectSample(
            "2024-03-01 10:22:53.013+0000: 63211: info : qemuMonitorJSONIOProcessLine:235 : QEMU_MONITOR_RECV_REPLY: mon=0x7f2ae326cada reply={\"return\": [{\"name\": \"SHUTDOWN\", \"meta-type\": \"event\"}], \"id\": \"libvirt-9\"}",
            ["reply"]),
        DialectSample(
            #"2014-07-22 17:25:22.984+0000: 18571: debug : qemuMonitorIOProcess:356 : QEMU_MONITOR_IO_PROCESS: mon=0x7f733c000a40 buf={"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}"#,
            ["event STOP"]),
        DialectSample(
            #"2026-12-03 11:59:15.353+0000: 12196: debug : qemuMonitorArbitraryCommand:2819 : cmd={"execute": "query-status"}, fd=-1, reply=0x7fb668002be0, hmp=0"#,
            []),
        DialectSample(
            #"qemuMonitorJSONIOProcessLine:193 : Line [{"timestamp": {"seconds": 1406049922, "microseconds": 983916}, "event": "STOP"}]"#,
            ["event STOP"]),
    ]

    public static func read(_ r: inout UnitReader) -> Bool {
        let b = r.bytes
        let s = r.firstLineTextStart
        let e = r.firstLineEnd
        // A cheap test for the fixed record names before the pattern.
        let monitor: StaticString = "QEMU_MONITOR_", line: StaticString = "Line [", api: StaticString = "Command"
        guard ByteScan.find(UnsafeRawBufferPointer(start: monitor.utf8Start, count: 13), in: b, from: s, to: e) != nil
            || ByteScan.find(UnsafeRawBufferPointer(start: line.utf8Start, count: 6), in: b, from: s, to: e) != nil
            || ByteScan.find(UnsafeRawBufferPointer(start: api.utf8Start, count: 7), in: b, from: s, to: e) != nil,
            let m = try? r.engine.libvirt.firstMatch(in: b, from: s, to: e)
        else { return false }
        if m.groups[3] != nil {
            // An API record's copy of a client's command: not traffic.
            r.claimMarkers(r.start, r.end, .echoes)
            return true
        }
        let record: LibvirtRecord
        if let g = m.groups[0] {
            if ByteScan.matches(b, at: g.lowerBound, "RECV_EVENT", limit: g.upperBound) { record = .recvEvent }
            else if ByteScan.matches(b, at: g.lowerBound, "RECV_REPLY", limit: g.upperBound) { record = .recvReply }
            else if ByteScan.matches(b, at: g.lowerBound, "SEND_MSG", limit: g.upperBound) { record = .sendMsg }
            else if ByteScan.matches(b, at: g.lowerBound, "IO_WRITE", limit: g.upperBound) { record = .ioWrite }
            else { record = .ioProcess }
        } else {
            record = .line
        }
        var policy = UnitReader.Policy(dialect: id)
        policy.stream = m.groups[1]
        policy.record = record
        policy.payloadOnly = true
        switch record {
        case .sendMsg, .ioWrite: policy.kinds = [.command]
        case .recvEvent: policy.kinds = [.event]
        case .recvReply: policy.kinds = [.reply]
        case .ioProcess, .line: policy.kinds = [.event, .reply, .greeting]
        }
        let payload = m.range.upperBound
        // The text before the record's payload holds no QMP.
        r.claimMarkers(r.start, payload, .notEvents)
        if record == .ioWrite, payload < e, b[payload] != 0x7B {
            // The rest of a partial write: text of a command already counted.
            r.claimMarkers(payload, r.end, .echoes)
            return true
        }
        let after = r.readObjects(payload, r.end, policy)
        // Text after the carried messages (` fd=-1`, trailing garbage) is read like any other.
        var rest = UnitReader.Policy(dialect: QMPJSONDialect.id)
        rest.stream = m.groups[1]
        r.readObjects(after, r.end, rest)
        return true
    }
}
