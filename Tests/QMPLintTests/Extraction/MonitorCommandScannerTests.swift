import Testing
@testable import QMPLint

/// The scanner that finds session starts and device_del commands (16 bytes at a time, on byte
/// pairs): every kind is found wherever it sits, and a scan split at any offset finds exactly
/// what one scan finds.
@Suite struct MonitorCommandScannerTests {
    static let text = """
        prose with QEMU_MONITOR_IO_PROCESS and qemu_dummy _c _d QM words
        {"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 10}}, "capabilities": []}}
        {"execute": "qmp_capabilities"}
        {"return": {}}
        2024-03-01 10:22:33.065+0000: 1: info : qemuMonitorSend:861 : QEMU_MONITOR_SEND_MSG: mon=0x7f6a msg={"execute":"device_del","arguments":{"id":"vcpu4"},"id":"libvirt-346"}
        {"error": {"class": "GenericError", "desc": "no"}}
        {'execute': 'device_del', 'arguments': {'id': 'net0'}}
        {'return': {}}
        the device_del command and qmp_capabilities named in prose
        QMP_VERSION
        """

    static func scan(_ bytes: [UInt8], _ from: Int, _ to: Int) -> [MonitorCommand] {
        var out: [MonitorCommand] = []
        bytes.withUnsafeBytes { MonitorCommandScanner.scan($0, from: from, to: to, dataEnd: bytes.count, into: &out) }
        return out
    }

    @Test func findsEveryKind() {
        let found = Self.scan(Array(Self.text.utf8), 0, Self.text.utf8.count)
        let kinds = found.map { c -> String in
            switch c.kind {
            case .greeting: "greeting"
            case .capabilities: "capabilities"
            case .deviceDel(let id, let rejected): "device_del \(id) \(rejected ? "rejected" : "accepted")"
            }
        }
        #expect(kinds == ["greeting", "capabilities", "device_del vcpu4 rejected", "device_del net0 accepted", "greeting"])
        #expect(found[2].key == "mon=0x7f6a")
    }

    @Test func anySplitFindsTheSame() {
        let bytes = Array(Self.text.utf8)
        let whole = Self.scan(bytes, 0, bytes.count)
        for k in 0...bytes.count {
            let parts = Self.scan(bytes, 0, k) + Self.scan(bytes, k, bytes.count)
            #expect(parts == whole, "split at \(k)")
            if parts != whole { break }
        }
    }
}
