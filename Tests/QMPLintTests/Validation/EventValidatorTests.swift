import Testing
@testable import QMPLint

private let ts = #""timestamp": {"seconds": 1709288573, "microseconds": 12388}"#
private func ev(_ name: String, _ data: String? = nil) -> String {
    "{\(ts), \"event\": \"\(name)\"" + (data.map { ", \"data\": \($0)" } ?? "") + "}"
}

@Suite struct ValidationMessageValidatorTests {
    let v = MessageValidator(schema: TestSchemas.qemu)

    // MARK: well-formed events

    static let wellFormed: [String] = [
        ev("SHUTDOWN", #"{"guest": true, "reason": "guest-shutdown"}"#),
        ev("POWERDOWN"), ev("STOP"), ev("RESUME"),
        ev("RESET", #"{"guest": false, "reason": "host-qmp-system-reset"}"#),
        ev("GUEST_PANICKED", #"{"action": "pause"}"#),
        ev("GUEST_PANICKED", #"{"action": "pause", "info": {"type": "hyper-v", "arg1": 4294967295, "arg2": 18446744073709551615, "arg3": 0, "arg4": 281474976710655, "arg5": 1}}"#),
        ev("GUEST_PANICKED", #"{"action": "run", "info": {"type": "s390", "core": 7, "psw-mask": 18446744073709551615, "psw-addr": 1099511627775, "reason": "disabled-wait"}}"#),
        ev("BALLOON_CHANGE", #"{"actual": 17179869184}"#),
        ev("RTC_CHANGE", #"{"offset": -43200, "qom-path": "/machine/unattached/device[9]"}"#),
        ev("ACPI_DEVICE_OST", #"{"info": {"device": "dimm3", "slot": "3", "slot-type": "DIMM", "source": 259, "status": 128}}"#),
        ev("ACPI_DEVICE_OST", #"{"info": {"slot": "3", "slot-type": "CPU", "source": 1, "status": 0}}"#),
        ev("DEVICE_DELETED", #"{"path": "/machine/peripheral-anon/device[3]"}"#),
        ev("NIC_RX_FILTER_CHANGED", #"{"name": "net0", "path": "/machine/peripheral/net0/virtio-backend"}"#),
        ev("BLOCK_IO_ERROR", #"{"qom-path": "/machine/peripheral/virtio-disk0/virtio-backend", "device": "", "node-name": "libvirt-1-format", "operation": "write", "action": "stop", "nospace": true, "reason": "nbd reply {\"event\": \"STOP\", \"data\": {}} unexpected"}"#),
        ev("BLOCK_IO_ERROR", #"{"qom-path": "/q", "device": "drive-virtio-disk0", "operation": "read", "action": "report", "reason": "B\u0142\u0105d \ud83d\udca5 C:\\images \"x\" }{"}"#),
        ev("BLOCK_JOB_COMPLETED", #"{"type": "mirror", "device": "copy-vdb-libvirt-3-format", "len": 10737418240, "offset": 1073741824, "speed": 0, "error": "Input/output error"}"#),
        ev("BLOCK_JOB_READY", #"{"type": "commit", "device": "commit-vda", "len": 42949672960, "offset": 42949672960, "speed": 104857600}"#),
        ev("QUORUM_FAILURE", #"{"reference": "quorum0", "sector-num": 2147483648, "sectors-count": 256}"#),
        ev("QUORUM_REPORT_BAD", #"{"type": "flush", "error": "Broken pipe", "node-name": "node0", "sector-num": 0, "sectors-count": 2097120}"#),
        ev("JOB_STATUS_CHANGE", #"{"id": "backup-vda", "status": "null"}"#),
        ev("MIGRATION", #"{"status": "postcopy-recover-setup"}"#),
        // QEMU documentation style and qmp-shell style
        "{ \"event\": \"BALLOON_CHANGE\",\n    \"data\": { \"actual\": 944766976 },\n    \"timestamp\": { \"seconds\": 1267020223, \"microseconds\": 435656 } }",
        "{\n    \"timestamp\": {\n        \"seconds\": 1709288573,\n        \"microseconds\": 0\n    },\n    \"event\": \"MIGRATION\",\n    \"data\": {\n        \"status\": \"active\"\n    }\n}",
        // QEMU's "clock unavailable"
        #"{"timestamp": {"seconds": -1, "microseconds": -1}, "event": "STOP"}"#,
        // escapes in names and keys
        #"{"timestamp": {"seconds": 1, "microseconds": 999999}, "event": "\u0053TOP"}"#,
        ev("BALLOON_CHANGE", #"{"act\u0075al": 1}"#),
    ]

    @Test(arguments: wellFormed)
    func wellFormedEventsHaveNoFindings(line: String) throws {
        let c = try #require(check(line, v))
        #expect(c.findings.isEmpty, "\(c.findings)")
        #expect(!c.event.hasError)
        #expect(c.event.definition != nil)
        #expect(c.event.name == v.eventNames[c.event.definition!])
    }

    @Test func eventNameIsInterned() throws {
        let c = try #require(check(ev("STOP"), v))
        #expect(c.event.name == "STOP")
        #expect(v.eventNames[c.event.definition!] == "STOP")
        let u = try #require(check(ev("GUEST_REBOOTED"), v))
        #expect(u.event.definition == nil && u.event.name == "GUEST_REBOOTED" && u.event.hasError)
    }

    // MARK: pointers and offsets

    @Test func nestedPointerAndOffset() throws {
        let line = ev("ACPI_DEVICE_OST", #"{"info": {"slot": "3", "slot-type": "Dimm", "source": 1, "status": 0}}"#)
        let c = try #require(check(line, v))
        #expect(c.rules == ["enum-value"])
        let f = try #require(c.first("enum-value"))
        #expect(f.pointer == "/data/info/slot-type")
        #expect(f.offset == offset(of: "\"Dimm\"", in: line))
        #expect(f.message.contains("did you mean \"DIMM\""))
    }

    @Test func missingMemberPointsAtContainingObject() throws {
        let line = ev("ACPI_DEVICE_OST", #"{"info": {"slot": "3", "source": 1, "status": 0}}"#)
        let c = try #require(check(line, v))
        #expect(c.rules == ["missing-member"])
        let f = try #require(c.first("missing-member"))
        #expect(f.pointer == "/data/info/slot-type")
        #expect(f.offset == offset(of: "{\"slot\"", in: line))
    }

    @Test func arrayPointersAndEscaping() throws {
        let line = ev("X_TYPES", #"{"points": [{"x": 1, "y": 2}, {"x": 1, "y": 2}, {"x": "1", "y": 2}], "ints": [1, 2, 3, 4.5], "a/b~c": "s"}"#)
        let c = try #require(check(line, v))
        #expect(c.findings.map(\.pointer) == ["/data/points/2/x", "/data/ints/3", "/data/a~1b~0c"])
        #expect(c.rules == ["type-mismatch", "type-mismatch", "type-mismatch"])
        #expect(c.findings[1].offset == offset(of: "4.5", in: line))
    }

    @Test func everyFindingNotJustTheFirst() throws {
        let line = ev("BLOCK_JOB_COMPLETED", #"{"type": "copy", "device": 3, "len": "1", "offset": 1.5, "bogus": 1}"#)
        let c = try #require(check(line, v))
        #expect(Set(c.rules) == ["enum-value", "type-mismatch", "unexpected-member", "missing-member"])
        #expect(c.findings.map(\.pointer) == ["/data/type", "/data/device", "/data/len", "/data/offset", "/data/bogus", "/data/speed"])
    }

    @Test func duplicateKeys() throws {
        let line = ev("BALLOON_CHANGE", #"{"actual": 1, "actual": 2}"#)
        let c = try #require(check(line, v))
        #expect(c.rules == ["duplicate-key"])
        #expect(c.findings[0].pointer == "/data/actual")
        #expect(c.findings[0].offset == offset(of: "\"actual\": 2", in: line))
    }

    // MARK: integers

    static let integerCases: [(String, String, Bool)] = [
        ("i8", "-128", true), ("i8", "127", true), ("i8", "-129", false), ("i8", "128", false),
        ("i16", "-32768", true), ("i16", "32767", true), ("i16", "-32769", false), ("i16", "32768", false),
        ("i32", "-2147483648", true), ("i32", "2147483647", true), ("i32", "-2147483649", false), ("i32", "2147483648", false),
        ("i64", "-9223372036854775808", true), ("i64", "9223372036854775807", true),
        ("i64", "-9223372036854775809", false), ("i64", "9223372036854775808", false),
        ("int", "-9223372036854775808", true), ("int", "9223372036854775808", false),
        ("u8", "0", true), ("u8", "255", true), ("u8", "-1", false), ("u8", "256", false), ("u8", "-0", true),
        ("u16", "65535", true), ("u16", "65536", false),
        ("u32", "4294967295", true), ("u32", "4294967296", false), ("u32", "-1", false),
        ("u64", "18446744073709551615", true), ("u64", "18446744073709551616", false), ("u64", "-1", false),
        ("u64", "99999999999999999999999999", false),
        ("sz", "18446744073709551615", true), ("sz", "18446744073709551616", false),
    ]

    @Test(arguments: integerCases)
    func exactIntegerRanges(member: String, value: String, ok: Bool) throws {
        let line = ev("X_TYPES", "{\"\(member)\": \(value)}")
        let c = try #require(check(line, v))
        #expect(c.rules == (ok ? [] : ["integer-range"]), "\(member) = \(value)")
        if !ok { #expect(c.findings[0].pointer == "/data/\(member)" && c.findings[0].offset == offset(of: value + "}", in: line)) }
    }

    @Test func nonIntegersForIntegerTypes() throws {
        for value in ["78.25", "1.0", "1e3", "\"5\"", "true", "null", "[1]", "{}"] {
            let c = try #require(check(ev("X_TYPES", "{\"u8\": \(value)}"), v))
            #expect(c.rules == ["type-mismatch"], "\(value)")
        }
        let c = try #require(check(ev("X_TYPES", #"{"u8": "5"}"#), v))
        #expect(c.findings[0].message == #"X_TYPES /data/u8: expected integer (uint8), got string "5" (test-qemu-10.2)"#)
    }

    @Test func numberNullAnyBool() throws {
        for (data, rules) in [
            (#"{"num": 1}"#, []), (#"{"num": -1.5e300}"#, []), (#"{"num": "1"}"#, ["type-mismatch"]),
            (#"{"nul": null}"#, []), (#"{"nul": 0}"#, ["type-mismatch"]),
            (#"{"any": {"x": [1, null]}}"#, []), (#"{"any": null}"#, []),
            (#"{"b": false}"#, []), (#"{"b": 0}"#, ["type-mismatch"]), (#"{"b": "false"}"#, ["type-mismatch"]),
        ] as [(String, [String])] {
            let c = try #require(check(ev("X_TYPES", data), v))
            #expect(c.rules == rules, "\(data)")
        }
    }

    // MARK: unions, alternates, arrays

    @Test func unions() throws {
        let cases: [(String, [String], [String])] = [
            // discriminator missing: missing-member, branch members are then unknown (warnings)
            (#"{"action": "pause", "info": {"core": 1, "psw-mask": 0, "psw-addr": 0, "reason": "unknown"}}"#,
             ["missing-member"], ["/data/info/type"]),
            // bad discriminator: enum-value only (as errors)
            (#"{"action": "pause", "info": {"type": "windows", "arg1": 1}}"#, ["enum-value"], ["/data/info/type"]),
            // discriminator not a string
            (#"{"action": "pause", "info": {"type": 1}}"#, ["type-mismatch"], ["/data/info/type"]),
            // branch member missing
            (#"{"action": "pause", "info": {"type": "s390", "core": 1, "psw-mask": 0, "reason": "unknown"}}"#,
             ["missing-member"], ["/data/info/psw-addr"]),
            // branch member wrong
            (#"{"action": "pause", "info": {"type": "hyper-v", "arg1": 1, "arg2": 2, "arg3": "0x3", "arg4": 4, "arg5": 5}}"#,
             ["type-mismatch"], ["/data/info/arg3"]),
            // optional branch member, other branch's member is unexpected (warning)
            (#"{"action": "pause", "info": {"type": "tdx", "error-code": 0, "message": "x", "gpa": 4096, "core": 1}}"#,
             [], []),
        ]
        for (data, errors, pointers) in cases {
            let c = try #require(check(ev("GUEST_PANICKED", data), v))
            #expect(c.errors.map(\.rule) == errors, "\(data): \(c.findings)")
            #expect(c.errors.map(\.pointer) == pointers, "\(data)")
        }
        let tdx = try #require(check(ev("GUEST_PANICKED", cases[5].0), v))
        #expect(tdx.rules == ["unexpected-member"] && tdx.findings[0].pointer == "/data/info/core")
        let noDisc = try #require(check(ev("GUEST_PANICKED", cases[0].0), v))
        #expect(noDisc.rules.filter { $0 == "unexpected-member" }.count == 4)
    }

    @Test func unionBranchThatIsAUnion() throws {
        let cases: [(String, [String], [String])] = [
            (#"{"shape": {"shape": "circle", "r": 1}}"#, [], []),
            (#"{"shape": {"shape": "poly", "kind": "quad", "a": 1, "b": 2, "name": "sq"}}"#, [], []),
            (#"{"shape": {"shape": "poly", "kind": "tri", "a": 1}}"#, [], []),
            (#"{"shape": {"shape": "poly", "kind": "quad", "a": 1}}"#, ["missing-member"], ["/data/shape/b"]),
            (#"{"shape": {"shape": "poly", "a": 1}}"#, ["missing-member"], ["/data/shape/kind"]),
            (#"{"shape": {"shape": "poly", "kind": "hex", "a": 1}}"#, ["enum-value"], ["/data/shape/kind"]),
            (#"{"shape": {"shape": "circle", "r": -1}}"#, ["integer-range"], ["/data/shape/r"]),
        ]
        for (data, rules, pointers) in cases {
            let c = try #require(check(ev("X_TYPES", data), v))
            #expect(c.errors.map(\.rule) == rules, "\(data): \(c.findings)")
            #expect(c.errors.map(\.pointer) == pointers, "\(data)")
        }
        let ok = try #require(check(ev("X_TYPES", cases[1].0), v))
        #expect(ok.findings.isEmpty)
    }

    @Test func alternates() throws {
        let cases: [(String, [String])] = [
            (#"{"ioc": 5}"#, []), (#"{"ioc": "red"}"#, []), (#"{"ioc": "pink"}"#, ["enum-value"]),
            (#"{"ioc": 1.5}"#, ["type-mismatch"]), (#"{"ioc": 99999999999999999999}"#, ["integer-range"]),
            (#"{"son": null}"#, []), (#"{"son": "x"}"#, []), (#"{"son": 5}"#, ["type-mismatch"]),
            (#"{"pon": {"x": 1, "y": 2}}"#, []), (#"{"pon": "origin"}"#, []),
            (#"{"pon": {"x": 1}}"#, ["missing-member"]), (#"{"pon": [1, 2]}"#, ["type-mismatch"]),
        ]
        for (data, rules) in cases {
            let c = try #require(check(ev("X_TYPES", data), v))
            #expect(c.rules == rules, "\(data): \(c.findings)")
        }
        let c = try #require(check(ev("X_TYPES", #"{"ioc": 1.5}"#), v))
        #expect(c.findings[0].message == "X_TYPES /data/ioc: expected one of integer (int), string (Color) (alternate IntOrColor), got number 1.5 (test-qemu-10.2)")
        let m = try #require(check(ev("X_TYPES", #"{"pon": {"x": 1}}"#), v))
        #expect(m.findings[0].pointer == "/data/pon/y")
    }

    @Test func arrays() throws {
        let cases: [(String, [String])] = [
            (#"{"ints": []}"#, []), (#"{"ints": [1, -2, 3]}"#, []), (#"{"ints": 5}"#, ["type-mismatch"]),
            (#"{"ints": [1, "2", null]}"#, ["type-mismatch", "type-mismatch"]),
            (#"{"points": [{"x": 1, "y": 2, "z": 3}]}"#, ["unexpected-member"]),
        ]
        for (data, rules) in cases {
            let c = try #require(check(ev("X_TYPES", data), v))
            #expect(c.rules == rules, "\(data): \(c.findings)")
        }
    }

    // MARK: envelope and data presence

    @Test func dataPresence() throws {
        let cases: [(String, [String])] = [
            (ev("STOP", "{}"), ["empty-data"]),
            (ev("STOP", #"{"reason": "x"}"#), ["unexpected-member"]),
            (ev("STOP", "[]"), ["type-mismatch"]),
            (ev("STOP", "null"), ["type-mismatch"]),
            (ev("BALLOON_CHANGE"), ["missing-data"]),
            (ev("BALLOON_CHANGE", "{}"), ["missing-member"]),
            (ev("BALLOON_CHANGE", "null"), ["type-mismatch"]),
            (ev("BALLOON_CHANGE", "[1]"), ["type-mismatch"]),
            (#"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP", "return": {}, "id": 4}"#,
             ["unexpected-envelope-member", "unexpected-envelope-member"]),
        ]
        for (line, rules) in cases {
            let c = try #require(check(line, v))
            #expect(c.rules == rules, "\(line): \(c.findings)")
        }
    }

    @Test func timestamps() throws {
        let cases: [(String, [String])] = [
            (#"{"timestamp": {"seconds": -1, "microseconds": -1}, "event": "STOP"}"#, []),
            (#"{"timestamp": {"seconds": -1, "microseconds": 5}, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"timestamp": {"seconds": -5, "microseconds": 5}, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"timestamp": {"seconds": 0, "microseconds": -1}, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"timestamp": {"seconds": 0, "microseconds": 1000000}, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"timestamp": {"seconds": 1.5, "microseconds": 1}, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"timestamp": {}, "event": "STOP"}"#, ["malformed-timestamp", "malformed-timestamp"]),
            (#"{"timestamp": null, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"timestamp": {"seconds": "SECS", "microseconds": "USECS"}, "event": "STOP"}"#, ["filtered-timestamp"]),
            (#"{"timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}, "event": "STOP"}"#, ["filtered-timestamp"]),
            (#"{"timestamp": TIMESTAMP, "event": "STOP"}"#, ["filtered-timestamp"]),
            (#"{"timestamp": {"seconds": "soon", "microseconds": 1}, "event": "STOP"}"#, ["malformed-timestamp"]),
            (#"{"event": "STOP"}"#, ["missing-timestamp"]),
        ]
        for (line, rules) in cases {
            let c = try #require(check(line, v))
            #expect(c.rules == rules, "\(line): \(c.findings)")
        }
        let c = try #require(check(#"{"timestamp": {"seconds": 0, "microseconds": 1000000}, "event": "STOP"}"#, v))
        #expect(c.findings[0].pointer == "/timestamp/microseconds")
    }

    @Test func placeholdersMatchAnyType() throws {
        let line = #"{"event": "BLOCK_JOB_COMPLETED", "data": {"device": "drive0", "len": LEN, "offset": LEN, "speed": 0, "type": "mirror"}, "timestamp": {"seconds":  TIMESTAMP, "microseconds":  TIMESTAMP}}"#
        let c = try #require(check(line, v))
        #expect(c.rules == ["filtered-timestamp"])
    }

    @Test func unknownEventDataIsNotChecked() throws {
        for (name, suggestion) in [("Stop", "STOP"), ("shutdown", "SHUTDOWN"), ("BALLOON_CHANGED", "BALLOON_CHANGE"),
                                   ("GUEST_REBOOTED", nil), ("DISK_FULL", nil)] as [(String, String?)] {
            let line = ev(name, #"{"device": "drive-virtio-disk0", "reason": "x"}"#)
            let c = try #require(check(line, v))
            #expect(c.rules == ["unknown-event"])
            #expect(c.findings[0].pointer == "/event" && c.findings[0].offset == offset(of: "\"\(name)\"", in: line))
            if let suggestion {
                #expect(c.findings[0].message.contains("did you mean \"\(suggestion)\""), "\(c.findings[0].message)")
            } else {
                #expect(!c.findings[0].message.contains("did you mean"), "\(c.findings[0].message)")
            }
        }
    }

    // MARK: the seed document's examples

    @Test func seedACPIDeviceOST() throws {
        // The seed puts ACPIOSTInfo's members directly in data (QEMU wraps them in "info").
        let line = #"{ "event": "ACPI_DEVICE_OST", "data": { "device": "d1", "slot": "0", "slot-type": "DIMM", "source": 1, "status": 0 } }"#
        let c = try #require(check(line, v))
        #expect(c.errors.map(\.rule).sorted() == ["missing-member", "missing-timestamp"])
        let m = try #require(c.first("missing-member"))
        #expect(m.pointer == "/data/info")
        #expect(m.message.contains("one level down"), "\(m.message)")
        #expect(c.findings.filter { $0.rule == "unexpected-member" }.map(\.pointer)
                == ["/data/device", "/data/slot", "/data/slot-type", "/data/source", "/data/status"])
    }

    @Test func seedQuorumFailure() throws {
        let line = #"{ "event": "QUORUM_FAILURE", "data": { "reference": "usr1", "sector-num": 345435, "sector-count": 5 }, "timestamp": { "seconds": 1344522075, "microseconds": 745528 } }"#
        let c = try #require(check(line, v))
        #expect(c.errors.map(\.rule) == ["missing-member"])
        let m = try #require(c.first("missing-member"))
        #expect(m.pointer == "/data/sectors-count")
        #expect(m.message.contains("\"sector-count\" is present"))
        let u = try #require(c.first("unexpected-member"))
        #expect(u.pointer == "/data/sector-count" && u.severity == .warning)
        #expect(u.message.contains("did you mean \"sectors-count\""))
    }

    // MARK: configuration

    @Test func severityOverridesAndDisabledRules() throws {
        let line = ev("QUORUM_FAILURE", #"{"reference": "usr1", "sector-num": 345435, "sector-count": 5}"#)
        let strict = MessageValidator(schema: TestSchemas.qemu, rules: RuleSet(severities: ["unexpected-member": .error]))
        let c1 = try #require(check(line, strict))
        #expect(c1.errors.count == 2)
        #expect(strict.rules.severity(of: "unexpected-member") == .error)
        #expect(strict.rules.severity(of: "malformed-json") == .error)
        let quiet = MessageValidator(schema: TestSchemas.qemu, rules: RuleSet(severities: ["missing-member": .warning], disabled: ["unexpected-member"]))
        let c2 = try #require(check(line, quiet))
        #expect(c2.rules == ["missing-member"] && c2.findings[0].severity == .warning)
        #expect(!c2.event.hasError)
        #expect(quiet.rules.severity(of: "unexpected-member") == nil && quiet.rules.severity(of: "missing-member") != nil
            && quiet.rules.severity(of: "nope") == nil)
        let off = MessageValidator(schema: TestSchemas.qemu, rules: RuleSet(disabled: ["type-mismatch"]))
        // A disabled rule still makes an alternative fail to match.
        let c3 = try #require(check(ev("X_TYPES", #"{"ioc": 1.5, "u8": 300}"#), off))
        #expect(c3.rules == ["integer-range"])
    }

    // MARK: virsh qemu-monitor-event lines

    /// Validates like the extractor does for `event NAME at S.U for domain D: DETAILS`.
    func virsh(_ name: String, _ details: String?, _ t: RecordTimestamp) -> Checked {
        let bytes = Array((details ?? "").utf8)
        return bytes.withUnsafeBytes { buf in
            var tape = JSONTape()
            if details != nil {
                guard case .success = JSONParser.parseValue(buf, from: 0, options: .lenient, into: &tape) else {
                    fatalError("bad details")
                }
            }
            var findings: [RawFinding] = []
            let e = v.validate(virshEvent: name, nameOffset: 6, data: details == nil ? nil : 0, timestamp: t,
                               in: tape, into: &findings)
            return Checked(event: e, findings: findings)
        }
    }

    @Test func virshEvents() {
        let ok = RecordTimestamp.given(seconds: 1709288600, microseconds: 595545)
        #expect(virsh("BALLOON_CHANGE", #"{"actual":3897556992}"#, ok).findings.isEmpty)
        #expect(virsh("STOP", nil, ok).findings.isEmpty)
        #expect(virsh("STOP", nil, .hostClock).findings.isEmpty)
        let noTS = virsh("STOP", nil, .given(seconds: -1, microseconds: 0))
        #expect(noTS.rules == ["missing-timestamp"] && noTS.findings[0].offset == 6 && noTS.event.hasError)
        let t = virsh("BALLOON_CHANGE", #"{"actual":"1"}"#, ok)
        #expect(t.rules == ["type-mismatch"] && t.findings[0].pointer == "/data/actual" && t.findings[0].offset == 10)
        #expect(virsh("BALLOON_CHANGE", nil, ok).rules == ["missing-data"])
        let nested = virsh("ACPI_DEVICE_OST", #"{"info":{"slot":"1","slot-type":"DIMM","source":1}}"#, ok)
        #expect(nested.rules == ["missing-member"] && nested.findings[0].pointer == "/data/info/status")
        let u = virsh("Stop", nil, ok)
        #expect(u.rules == ["unknown-event"] && u.event.definition == nil && u.event.name == "Stop")
        let k = virsh("JOB_STATUS_CHANGE", #"{"id":"j","status":"running"}"#, ok)
        #expect(k.event.name == "JOB_STATUS_CHANGE" && k.event.definition != nil && !k.event.hasError)
        #expect(virsh("BALLOON_CHANGE", #"{"actual":1,"actual":2}"#, ok).rules == ["duplicate-key"])
    }
}
