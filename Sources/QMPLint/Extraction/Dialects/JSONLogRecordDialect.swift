#if canImport(Glibc)
import Glibc
#endif

/// JSON-lines loggers (KubeVirt's virt-launcher, log shippers): each line is a JSON record
/// whose string members (`"msg"`) carry a libvirt record or QMP, escaped:
/// `{"component":"virt-launcher","msg":"QEMU_MONITOR_RECV_EVENT: mon=0x... event={\"timestamp\": ...}"}`.
/// The strings are decoded and read as units of their own (so libvirt's records inside them
/// are read by `LibvirtMonitorDialect`); findings point at the escaped text in the line.
public enum JSONLogRecordDialect: Dialect {
    public static let id = DialectID.jsonLogRecord
    public static let summary = "JSON log records carrying escaped QMP or libvirt records in a string"

    public static let samples: [DialectSample] = [
        DialectSample(
            #"{"component":"virt-launcher","level":"info","msg":"QEMU_MONITOR_RECV_EVENT: mon=0x7f2ae326cada event={\"timestamp\": {\"seconds\": 1709288573, \"microseconds\": 12388}, \"event\": \"POWERDOWN\"}","subcomponent":"libvirt","timestamp":"2024-03-01T10:22:53.012345Z"}"#,
            ["event POWERDOWN"]),
        DialectSample(
            #"{"level":"debug","msg":"QEMU_MONITOR_IO_WRITE: mon=0x7f2ae326cada buf={\"execute\":\"query-status\",\"id\":\"libvirt-12\"}\r","ts":1}"#,
            ["command query-status"]),
        DialectSample(#"{"level":"info","msg":"domain started","ts":1}"#, []),
    ]

    public static func read(_ r: inout UnitReader) -> Bool {
        let b = r.bytes
        let s = r.firstLineTextStart
        let e = r.firstLineEnd
        let escaped: StaticString = "\\\""
        guard s < e, b[s] == 0x7B,
              ByteScan.find(UnsafeRawBufferPointer(start: escaped.utf8Start, count: 2), in: b, from: s, to: e) != nil
        else { return false }
        r.engine.tape.reset(bytes: b)
        guard case .success(let end) = JSONParser.parseValue(b, from: s, limit: r.end, options: r.engine.options.json,
                                                            into: &r.engine.tape),
              UnitReader.kind(of: r.engine.tape) == nil
        else { return false }
        let strings = carriers(r.engine.tape).map { (r.engine.tape[$0].start, r.engine.tape[$0].end,
                                                      r.engine.tape[$0].flags & JSONNode.singleQuoted != 0) }
        guard !strings.isEmpty else { return false }
        for (start, stop, single) in strings {
            r.claimMarkers(r.start, start, .notEvents)
            r.readDecoded(stringAt: start, end: stop, singleQuoted: single)
        }
        r.claimMarkers(r.start, end, .notEvents)
        r.readObjects(end, r.end, UnitReader.Policy(dialect: QMPJSONDialect.id))
        return true
    }

    /// Tape indices of the top-level string members of a record that carry QMP text: escaped
    /// quotes and a brace.
    static func carriers(_ tape: JSONTape) -> [Int] {
        var out: [Int] = []
        let root = tape[0]
        guard root.kind == .object else { return out }
        var k = 1
        for _ in 0..<Int(root.count) {
            let v = k + 1
            let n = tape[v]
            if n.kind == .string, n.flags & JSONNode.hasEscapes != 0 {
                let raw = tape.rawBytes(v)
                if memchr(raw.baseAddress!, 0x7B, raw.count) != nil {
                    let q: StaticString = "\\\""
                    if ByteScan.find(UnsafeRawBufferPointer(start: q.utf8Start, count: 2), in: raw, from: 0, to: raw.count) != nil {
                        out.append(v)
                    }
                }
            }
            k = Int(tape[v].next)
        }
        return out
    }
}
