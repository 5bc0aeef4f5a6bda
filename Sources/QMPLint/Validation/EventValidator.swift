#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of validating one event.
public struct ValidatedEvent: Sendable, Equatable {
    /// Index of the event in `EventValidator.eventNames`; nil when the name is not in the schema
    /// (or the event has no usable name).
    public var eventIndex: Int?
    /// The event name as written (shared with `eventNames` for known events: no allocation).
    public var name: String
    /// True when at least one error-level finding was made for this event.
    public var hasError: Bool

    public init(eventIndex: Int?, name: String, hasError: Bool) {
        self.eventIndex = eventIndex; self.name = name; self.hasError = hasError
    }
}

/// Checks QMP events against one `Schema`: the envelope (`event`, `timestamp`, `data`), the
/// event name, and every value of `data` against its QAPI type, reporting every finding with a
/// JSON Pointer and byte offset. Lookup tables are built once in `init`; checking a well-formed
/// event compares bytes only and allocates nothing. Safe to share between threads.
public struct EventValidator: Sendable {
    /// The schema events are checked against.
    public var schema: Schema { c.schema }
    /// The schema's event names, in `Schema.events` order (`ValidatedEvent.eventIndex` indexes it).
    public let eventNames: [String]

    let c: CompiledSchema
    /// Severity per `RuleID`, after overrides.
    let severities: [Severity]
    /// Bit per `RuleID`: the rule produces findings.
    let enabled: UInt64

    /// - Parameters:
    ///   - severities: rule id -> severity replacing the rule's default; unknown ids are ignored.
    ///   - disabled: rule ids whose findings are not produced.
    public init(schema: Schema, severities: [String: Severity] = [:], disabled: Set<String> = []) {
        c = CompiledSchema(schema: schema)
        eventNames = schema.events.map(\.name)
        self.severities = RuleID.allCases.map { severities[$0.id] ?? $0.rule.severity }
        var on: UInt64 = 0
        for r in RuleID.allCases where !disabled.contains(r.id) { on |= 1 << UInt64(r.rawValue) }
        enabled = on
    }

    /// The severity findings of rule `id` get from this validator (nil for an unknown id).
    public func severity(of id: String) -> Severity? {
        RuleID(id: id).map { severities[$0.rawValue] }
    }

    /// False when rule `id` is disabled (or unknown): its findings are not to be produced.
    /// For findings made outside the validator, such as malformed-json by extraction.
    public func isEnabled(_ id: String) -> Bool {
        guard let r = RuleID(id: id) else { return false }
        return enabled & (1 << UInt64(r.rawValue)) != 0
    }

    // MARK: - Entry points

    /// Validates an event object. `root` is the tape index of the top-level object, which has
    /// a string `event` member. Findings are appended to `findings`.
    public func validate(envelope root: Int, in tape: JSONTape, into findings: inout [RawFinding]) -> ValidatedEvent {
        tape.nodes.withUnsafeBufferPointer { nodes in
            var w = Walk(bytes: tape.bytes, nodes: nodes.baseAddress!, base: root, prefix: "", anchor: nodes[root].start)
            swap(&w.findings, &findings)
            defer { swap(&w.findings, &findings) }
            if !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: root, &w) }
            return validateEnvelope(root, &w)
        }
    }

    /// Validates an event whose envelope is not JSON (a virsh `qemu-monitor-event` line): the
    /// name from the text (at byte `nameOffset`), `data` = tape index of the details object or
    /// nil for `<null>`, and what the line says about the timestamp. Pointers still start at
    /// the event (`/data/...`).
    public func validate(name: String, nameOffset: Int, data: Int?, timestamp: RecordTimestamp,
                         in tape: JSONTape, into findings: inout [RawFinding]) -> ValidatedEvent {
        tape.nodes.withUnsafeBufferPointer { nodes in
            var w = Walk(bytes: tape.bytes, nodes: nodes.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                         base: data ?? -1, prefix: "/data", anchor: nameOffset)
            swap(&w.findings, &findings)
            defer { swap(&w.findings, &findings) }
            if let data, !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: data, &w) }
            switch timestamp {
            case .hostClock:
                break
            case .given(let s, let us):
                if s == -1 {
                    if w.wants(.missingTimestamp, self) {
                        w.add(.missingTimestamp, self, offset: nameOffset, pointer: "/timestamp",
                              message: "event has no timestamp (virsh shows -1, libvirt's value when QEMU sent none)")
                    }
                } else if s < 0 || us < 0 || us > 999_999 {
                    if w.wants(.malformedTimestamp, self) {
                        w.add(.malformedTimestamp, self, offset: nameOffset, pointer: "/timestamp",
                              message: "timestamp \(s).\(us) is not seconds >= 0 with microseconds 0..999999")
                    }
                }
            }
            var name = name
            let ei = name.withUTF8 { u in
                c.eventTable.find(0, UnsafeRawPointer(u.baseAddress ?? UnsafePointer(bitPattern: 8)!), u.count)
            }
            if ei < 0 {
                reportUnknownEvent(name, offset: nameOffset, &w)
                return ValidatedEvent(eventIndex: nil, name: name, hasError: w.hasError)
            }
            checkEvent(Int(ei), nameOffset: nameOffset, data: data ?? -1, &w)
            return ValidatedEvent(eventIndex: Int(ei), name: eventNames[Int(ei)], hasError: w.hasError)
        }
    }

    // MARK: - Envelope

    private func validateEnvelope(_ root: Int, _ w: inout Walk) -> ValidatedEvent {
        var nameNode = -1, tsNode = -1, dataNode = -1
        var k = root + 1
        let count = Int(w.nodes[root].count)
        for _ in 0..<count {
            let v = k + 1
            let kn = w.nodes[k]
            if kn.kind == .string {
                if w.keyEquals(k, c.keyEvent, c) {
                    if nameNode < 0 { nameNode = v }
                } else if w.keyEquals(k, c.keyTimestamp, c) {
                    if tsNode < 0 { tsNode = v }
                } else if w.keyEquals(k, c.keyData, c) {
                    if dataNode < 0 { dataNode = v }
                } else if w.wants(.unexpectedEnvelopeMember, self) {
                    let key = w.string(k)
                    w.add(.unexpectedEnvelopeMember, self, offset: kn.start, pointer: "/" + JSONPointer.escape(key),
                          message: "member \"\(key)\" is not part of a QMP event (only event, timestamp and data are)")
                }
            }
            k = Int(w.nodes[v].next)
        }

        if tsNode < 0 {
            if w.wants(.missingTimestamp, self) {
                w.add(.missingTimestamp, self, offset: w.anchor, pointer: "/timestamp", message: "event has no timestamp")
            }
        } else {
            checkTimestamp(tsNode, &w)
        }

        guard nameNode >= 0 else {
            if w.wants(.missingMember, self) {
                w.add(.missingMember, self, offset: w.anchor, pointer: "/event", message: "event object has no event name")
            }
            return ValidatedEvent(eventIndex: nil, name: "", hasError: w.hasError)
        }
        let nn = w.nodes[nameNode]
        guard nn.kind == .string else {
            if nn.kind != .placeholder, w.wants(.typeMismatch, self) {
                w.add(.typeMismatch, self, offset: nn.start, pointer: "/event",
                      message: "expected string (event name), got \(describeValue(nameNode, w))")
            }
            return ValidatedEvent(eventIndex: nil, name: w.rawText(nameNode), hasError: w.hasError)
        }
        let ei: Int32
        if nn.flags & JSONNode.hasEscapes == 0 {
            ei = c.eventTable.find(0, w.bytes + nn.start + 1, nn.end - nn.start - 2)
        } else {
            var s = w.string(nameNode)
            ei = s.withUTF8 { c.eventTable.find(0, UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 8)!), $0.count) }
        }
        if ei < 0 {
            let name = w.string(nameNode)
            reportUnknownEvent(name, offset: nn.start, &w)
            return ValidatedEvent(eventIndex: nil, name: name, hasError: w.hasError)
        }
        checkEvent(Int(ei), nameOffset: nn.start, data: dataNode, &w)
        return ValidatedEvent(eventIndex: Int(ei), name: eventNames[Int(ei)], hasError: w.hasError)
    }

    private func reportUnknownEvent(_ name: String, offset: Int, _ w: inout Walk) {
        guard w.wants(.unknownEvent, self) else { return }
        var message = "unknown event \"\(name)\" (not in \(c.schema.name))"
        message += c.suggestions.part(scope: "event", name: name) {
            NameSuggester.suggest(name, among: eventNames).map { "; did you mean \"\($0)\"?" } ?? ""
        }
        w.add(.unknownEvent, self, offset: offset, pointer: "/event", message: message)
    }

    /// Duplicate keys recorded by the parser inside the subtree of `node`.
    private func reportDuplicates(_ dups: [JSONDuplicateKey], in node: Int, _ w: inout Walk) {
        guard node >= 0 else { return }
        let end = Int(w.nodes[node].next)
        for d in dups where d.object >= node && d.object < end {
            guard w.wants(.duplicateKey, self) else { return }
            let key = w.string(d.key)
            w.add(.duplicateKey, self, offset: w.nodes[d.key].start,
                  pointer: w.pointer(to: d.object) + "/" + JSONPointer.escape(key),
                  message: "member \"\(key)\" occurs more than once in the same object")
        }
    }

    // MARK: - Timestamp

    private func checkTimestamp(_ ts: Int, _ w: inout Walk) {
        let n = w.nodes[ts]
        if n.kind == .placeholder {
            filtered(ts, &w)
            return
        }
        guard n.kind == .object else {
            if w.wants(.malformedTimestamp, self) {
                w.add(.malformedTimestamp, self, offset: n.start, pointer: "/timestamp",
                      message: "timestamp must be an object {\"seconds\", \"microseconds\"}, got \(describeValue(ts, w))")
            }
            return
        }
        var secNode = -1, usNode = -1
        var isFiltered = false
        var k = ts + 1
        for _ in 0..<Int(n.count) {
            let v = k + 1
            let kn = w.nodes[k]
            if kn.kind == .placeholder {
                isFiltered = true
            } else if w.keyEquals(k, c.keySeconds, c) {
                if secNode < 0 { secNode = v }
            } else if w.keyEquals(k, c.keyMicroseconds, c) {
                if usNode < 0 { usNode = v }
            } else if w.wants(.malformedTimestamp, self) {
                let key = w.string(k)
                w.add(.malformedTimestamp, self, offset: kn.start, pointer: "/timestamp/" + JSONPointer.escape(key),
                      message: "timestamp has an extra member \"\(key)\" (only seconds and microseconds)")
            }
            k = Int(w.nodes[v].next)
        }
        let seconds = timestampPart(secNode, ts, label: "seconds", &isFiltered, &w)
        let micros = timestampPart(usNode, ts, label: "microseconds", &isFiltered, &w)
        if isFiltered { filtered(ts, &w) }
        if let s = seconds, let us = micros, !(s == -1 && us == -1) {
            if us < 0 || us > 999_999, w.wants(.malformedTimestamp, self) {
                w.add(.malformedTimestamp, self, offset: w.nodes[usNode].start, pointer: "/timestamp/microseconds",
                      message: "timestamp microseconds \(us) is outside 0..999999")
            }
            if s < 0, w.wants(.malformedTimestamp, self) {
                w.add(.malformedTimestamp, self, offset: w.nodes[secNode].start, pointer: "/timestamp/seconds",
                      message: "timestamp seconds \(s) is negative (only the pair -1/-1, \"clock unavailable\", is allowed)")
            }
        }
    }

    /// The integer value of timestamp member `node` (-1: absent), reporting what is wrong with it.
    private func timestampPart(_ node: Int, _ ts: Int, label: StaticString, _ isFiltered: inout Bool,
                               _ w: inout Walk) -> Int64? {
        if node < 0 {
            if w.wants(.malformedTimestamp, self) {
                w.add(.malformedTimestamp, self, offset: w.nodes[ts].start, pointer: "/timestamp/\(label)",
                      message: "timestamp has no \(label) member")
            }
            return nil
        }
        let vn = w.nodes[node]
        switch vn.kind {
        case .integer:
            if let x = w.int64(node) { return x }
            if w.wants(.malformedTimestamp, self) {
                w.add(.malformedTimestamp, self, offset: vn.start, pointer: "/timestamp/\(label)",
                      message: "timestamp \(label) \(w.rawText(node)) is out of range")
            }
        case .placeholder:
            isFiltered = true
        case .string where Self.isPlaceholderWord(w.string(node)):
            isFiltered = true
        default:
            if w.wants(.malformedTimestamp, self) {
                w.add(.malformedTimestamp, self, offset: vn.start, pointer: "/timestamp/\(label)",
                      message: "timestamp \(label) must be an integer, got \(describeValue(node, w))")
            }
        }
        return nil
    }

    /// Upper-case words QEMU's test suite puts where numbers were (`"SECS"`, `"USECS"`).
    private static func isPlaceholderWord(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == UInt8(ascii: "_") }
    }

    private func filtered(_ ts: Int, _ w: inout Walk) {
        if w.wants(.filteredTimestamp, self) {
            w.add(.filteredTimestamp, self, offset: w.nodes[ts].start, pointer: "/timestamp",
                  message: "timestamp was replaced by a test-suite placeholder; not checked")
        }
    }

    // MARK: - Event and data

    private func checkEvent(_ ei: Int, nameOffset: Int, data: Int, _ w: inout Walk) {
        let ev = c.events[ei]
        if ev.flags != 0 { reportEventFeatures(ei, nameOffset: nameOffset, &w) }
        if ev.dataType < 0 {
            guard data >= 0 else { return }
            let n = w.nodes[data]
            switch n.kind {
            case .placeholder:
                return
            case .object where n.count == 0:
                if w.wants(.emptyData, self) {
                    w.add(.emptyData, self, offset: n.start, pointer: w.pointer(to: data),
                          message: "\(eventNames[ei]) has no data; QEMU omits data instead of sending {}")
                }
            case .object:
                var k = data + 1
                for _ in 0..<Int(n.count) {
                    let kn = w.nodes[k]
                    if kn.kind != .placeholder, w.wants(.unexpectedMember, self) {
                        let key = w.string(k)
                        w.add(.unexpectedMember, self, offset: kn.start,
                              pointer: w.pointer(to: data) + "/" + JSONPointer.escape(key),
                              message: "member \"\(key)\" is unexpected: \(eventNames[ei]) has no data")
                    }
                    k = Int(w.nodes[k + 1].next)
                }
            default:
                if w.wants(.typeMismatch, self) {
                    w.add(.typeMismatch, self, offset: n.start, pointer: w.pointer(to: data),
                          message: "\(eventNames[ei]) has no data; got \(describeValue(data, w))")
                }
            }
            return
        }
        guard data >= 0 else {
            if ev.requiresData, w.wants(.missingData, self) {
                w.add(.missingData, self, offset: w.anchor, pointer: "/data",
                      message: "\(eventNames[ei]) has no data; required: \(requiredNames(ev.dataType).joined(separator: ", "))")
            }
            return
        }
        check(data, ev.dataType, &w)
    }

    private func reportEventFeatures(_ ei: Int, nameOffset: Int, _ w: inout Walk) {
        let ev = c.events[ei]
        let se = c.schema.events[ei]
        if ev.flags & CompiledSchema.flagDeprecated != 0, w.wants(.deprecatedEvent, self) {
            var m = "event \(se.name) is deprecated"
            if let r = se.replacement { m += "; use \(r) instead" }
            w.add(.deprecatedEvent, self, offset: nameOffset, pointer: "/event", message: m)
        }
        if ev.flags & CompiledSchema.flagUnstable != 0, w.wants(.unstableMember, self) {
            w.add(.unstableMember, self, offset: nameOffset, pointer: "/event",
                  message: "event \(se.name) is unstable (experimental; may change without notice)")
        }
        if ev.flags & CompiledSchema.flagConditional != 0, w.wants(.conditionalEvent, self), let cond = se.condition {
            w.add(.conditionalEvent, self, offset: nameOffset, pointer: "/event",
                  message: "event \(se.name) exists only in QEMU builds with \(cond)")
        }
    }

    /// Checks value `v` against schema type `t`, recursing into objects and arrays.
    func check(_ v: Int, _ t: Int32, _ w: inout Walk) {
        let n = w.nodes[v]
        if n.kind == .placeholder { return }
        switch c.types[Int(t)] {
        case .any:
            return
        case .str:
            if n.kind != .string { typeMismatch(v, t, &w) }
        case .bool:
            if n.kind != .bool { typeMismatch(v, t, &w) }
        case .null:
            if n.kind != .null { typeMismatch(v, t, &w) }
        case .number:
            if n.kind != .integer && n.kind != .number { typeMismatch(v, t, &w) }
        case .integer(let lo, let hi):
            guard n.kind == .integer else { typeMismatch(v, t, &w); return }
            let ok: Bool
            if n.flags & JSONNode.overflow != 0 {
                ok = false
            } else if n.flags & JSONNode.negative != 0 {
                ok = n.magnitude == 0 || n.magnitude <= lo.magnitude && lo < 0
            } else {
                ok = n.magnitude <= hi
            }
            if !ok { integerRange(v, t, lo: lo, hi: hi, &w) }
        case .enumeration(let e):
            guard n.kind == .string else { typeMismatch(v, t, &w); return }
            let i = lookupString(v, table: c.enumTable, scope: e, &w)
            if i < 0 {
                enumValue(v, t, e, &w)
            } else if c.enumValues[Int(c.enums[Int(e)].first + i)].flags & CompiledSchema.flagDeprecated != 0 {
                deprecatedValue(v, t, &w)
            }
        case .object(let o):
            guard n.kind == .object else { typeMismatch(v, t, &w); return }
            checkObject(v, o, &w)
        case .array(let element):
            guard n.kind == .array else { typeMismatch(v, t, &w); return }
            var e = v + 1
            for _ in 0..<Int(n.count) {
                check(e, element, &w)
                e = Int(w.nodes[e].next)
            }
        case .alternate(let first, let count):
            checkAlternate(v, t, first: Int(first), count: Int(count), &w)
        }
    }

    /// Position of string node `v` in `table` under `scope`, or -1.
    @inline(__always)
    private func lookupString(_ v: Int, table: ByteTable, scope: Int32, _ w: inout Walk) -> Int32 {
        let n = w.nodes[v]
        if n.flags & JSONNode.hasEscapes == 0 {
            return table.find(scope, w.bytes + n.start + 1, n.end - n.start - 2)
        }
        var s = w.string(v)
        return s.withUTF8 { table.find(scope, UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 8)!), $0.count) }
    }

    private func checkObject(_ node: Int, _ base: Int32, _ w: inout Walk) {
        var oi = base
        var o = c.objects[Int(base)]
        let n = w.nodes[node]
        while o.discriminator >= 0 {
            // Select the branch from the discriminator's value; its own checks (missing,
            // type, enum value) happen with the other members below.
            let d = c.members[Int(o.firstMember + o.discriminator)]
            guard let dv = findKey(node, d.name, &w), w.nodes[dv].kind == .string else { break }
            let flat = lookupString(dv, table: c.variantTable, scope: oi, &w)
            guard flat >= 0 else { break }
            oi = flat; o = c.objects[Int(flat)]
        }
        var seen: UInt64 = 0
        var hint: Int32 = 0
        var unexpected = false
        var k = node + 1
        for _ in 0..<Int(n.count) {
            let v = k + 1
            let kn = w.nodes[k]
            if kn.kind == .string {
                var pos: Int32 = -1
                if kn.flags & JSONNode.hasEscapes == 0 {
                    let p = w.bytes + kn.start + 1
                    let len = kn.end - kn.start - 2
                    if hint < o.memberCount, c.equals(c.members[Int(o.firstMember + hint)].name, p, len) {
                        pos = hint
                    } else {
                        pos = c.memberTable.find(oi, p, len)
                    }
                } else {
                    pos = lookupString(k, table: c.memberTable, scope: oi, &w)
                }
                if pos >= 0 {
                    hint = pos + 1
                    if pos < 64 { seen |= 1 << UInt64(pos) }
                    let m = c.members[Int(o.firstMember + pos)]
                    if m.flags & (CompiledSchema.flagDeprecated | CompiledSchema.flagUnstable) != 0 {
                        memberFeatures(k, m, &w)
                    }
                    check(v, m.type, &w)
                } else {
                    unexpected = true
                    unexpectedMember(k, object: node, oi, &w)
                }
            }
            k = Int(w.nodes[v].next)
        }
        if o.required & ~seen != 0 || o.wideRequired {
            missingMembers(node, oi, seen: seen, hasUnexpected: unexpected, &w)
        }
    }

    /// Value index of member `name` in object node `node`, if present.
    private func findKey(_ node: Int, _ name: CompiledSchema.NameRef, _ w: inout Walk) -> Int? {
        var k = node + 1
        for _ in 0..<Int(w.nodes[node].count) {
            let kn = w.nodes[k]
            if kn.kind == .string {
                if kn.flags & JSONNode.hasEscapes == 0 {
                    if c.equals(name, w.bytes + kn.start + 1, kn.end - kn.start - 2) { return k + 1 }
                } else if w.string(k) == c.string(name) {
                    return k + 1
                }
            }
            k = Int(w.nodes[k + 1].next)
        }
        return nil
    }

    private func checkAlternate(_ v: Int, _ t: Int32, first: Int, count: Int, _ w: inout Walk) {
        let kind = w.nodes[v].kind
        var compatible: Int32 = -1
        var nCompatible = 0
        for i in first..<(first + count) where accepts(c.alternatives[i], kind) {
            if compatible < 0 { compatible = c.alternatives[i] }
            nCompatible += 1
        }
        if nCompatible == 0 { typeMismatch(v, t, &w); return }
        if nCompatible > 1 {
            // QAPI keeps alternatives apart by JSON type, so this is rare: the first full match wins.
            for i in first..<(first + count) where accepts(c.alternatives[i], kind) {
                let saved = (w.probing, w.probeFailed)
                w.probing = true; w.probeFailed = false
                check(v, c.alternatives[i], &w)
                let ok = !w.probeFailed
                (w.probing, w.probeFailed) = saved
                if ok { compatible = c.alternatives[i]; break }
            }
        }
        check(v, compatible, &w)
    }

    /// True when a value of JSON kind `kind` could be of type `t`.
    private func accepts(_ t: Int32, _ kind: JSONKind) -> Bool {
        switch c.types[Int(t)] {
        case .any, .alternate: return true
        case .str, .enumeration: return kind == .string
        case .bool: return kind == .bool
        case .null: return kind == .null
        case .number: return kind == .integer || kind == .number
        case .integer: return kind == .integer
        case .object: return kind == .object
        case .array: return kind == .array
        }
    }
}
