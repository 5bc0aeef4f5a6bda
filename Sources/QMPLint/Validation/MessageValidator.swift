#if canImport(Glibc)
import Glibc
#endif

/// The outcome of validating one message.
public struct MessageVerdict: Sendable, Equatable {
    /// The message's name as written (event or command name; "" for replies and greetings),
    /// shared with the schema's strings when the name is known (no allocation).
    public var name: String
    /// Index of the definition in the schema (`Schema.events` for events), nil when unknown.
    public var definition: Int?
    /// True when at least one error-level finding was made.
    public var hasError: Bool
    public init(name: String, definition: Int?, hasError: Bool) {
        self.name = name; self.definition = definition; self.hasError = hasError
    }
}

/// Checks QMP messages against one `Schema` in one walk per message: the envelope, the name,
/// and every value against its QAPI type. What is wrong is observed (`Observation`) and worded
/// by the rule that claims it (`RuleSet`); every finding has a JSON Pointer and a byte offset.
/// Lookup tables are built once; checking a well-formed message compares bytes only and
/// allocates nothing. Safe to share between threads.
public struct MessageValidator: Sendable {
    /// The schema messages are checked against.
    public var schema: Schema { c.schema }
    /// The schema's event names, in `Schema.events` order.
    public let eventNames: [String]
    let c: CompiledSchema
    public let rules: RuleSet

    public init(schema: Schema, rules: RuleSet = RuleSet()) {
        c = CompiledSchema(schema: schema)
        eventNames = schema.events.map(\.name)
        self.rules = rules
    }

    // MARK: - Entry points

    /// Validates a message the extractor found; findings are appended to `findings`.
    public func validate(_ m: ExtractedMessage, tape: JSONTape, into findings: inout [RawFinding]) -> MessageVerdict {
        switch (m.kind, m.envelope) {
        case (.event, .json(let root)):
            return validate(event: root, in: tape, into: &findings)
        case (.event, .virsh(let name, let nameOffset, let data, let timestamp)):
            return validate(virshEvent: name, nameOffset: nameOffset, data: data, timestamp: timestamp, in: tape,
                            into: &findings)
        default:
            return MessageVerdict(name: "", definition: nil, hasError: false)
        }
    }

    /// Validates an event object (`root`: its tape index; it has a string `event` member).
    public func validate(event root: Int, in tape: JSONTape, into findings: inout [RawFinding]) -> MessageVerdict {
        walk(tape, base: root, prefix: "", anchor: tape[root].start, kind: .event, &findings) { w in
            if !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: root, &w) }
            return validateEventEnvelope(root, &w)
        }
    }

    /// Validates a virsh `qemu-monitor-event` record: the name from the text (at byte
    /// `nameOffset`), `data` = tape index of the details object or nil for `<null>`, and what
    /// the line says about the timestamp. Pointers still start at the event (`/data/...`).
    public func validate(virshEvent name: String, nameOffset: Int, data: Int?, timestamp: RecordTimestamp,
                         in tape: JSONTape, into findings: inout [RawFinding]) -> MessageVerdict {
        walk(tape, base: data ?? -1, prefix: "/data", anchor: nameOffset, kind: .event, &findings) { w in
            if let data, !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: data, &w) }
            switch timestamp {
            case .hostClock:
                break
            case .given(let s, let us):
                if s == -1 {
                    w.observe(.missingTimestamp, offset: nameOffset, pointer: "/timestamp") { _ in .missingTimestamp(virsh: true) }
                } else if s < 0 || us < 0 || us > 999_999 {
                    w.observe(.malformedTimestamp, offset: nameOffset, pointer: "/timestamp") { _ in
                        .virshTimestampInvalid(seconds: s, microseconds: us)
                    }
                }
            }
            var name = name
            let ei = name.withUTF8 { u in
                c.eventTable.find(0, UnsafeRawPointer(u.baseAddress ?? UnsafePointer(bitPattern: 8)!), u.count)
            }
            if ei < 0 {
                reportUnknownEvent(name, offset: nameOffset, &w)
                return MessageVerdict(name: name, definition: nil, hasError: w.hasError)
            }
            checkEvent(Int(ei), nameOffset: nameOffset, data: data ?? -1, &w)
            return MessageVerdict(name: eventNames[Int(ei)], definition: Int(ei), hasError: w.hasError)
        }
    }

    /// Runs `body` with a walk over `tape`, swapping `findings` in and out.
    private func walk(_ tape: JSONTape, base: Int, prefix: String, anchor: Int, kind: MessageKind,
                      _ findings: inout [RawFinding], _ body: (inout Walk) -> MessageVerdict) -> MessageVerdict {
        tape.nodes.withUnsafeBufferPointer { nodes in
            var w = Walk(bytes: tape.bytes, nodes: nodes.baseAddress ?? UnsafePointer(bitPattern: 8)!, base: base,
                         prefix: prefix, anchor: anchor, kind: kind, validator: self)
            swap(&w.findings, &findings)
            defer { swap(&w.findings, &findings) }
            return body(&w)
        }
    }

    // MARK: - Event envelope

    private func validateEventEnvelope(_ root: Int, _ w: inout Walk) -> MessageVerdict {
        var nameNode = -1, tsNode = -1, dataNode = -1
        var k = root + 1
        let count = Int(w.nodes[root].count)
        for _ in 0..<count {
            let v = k + 1
            let kn = w.nodes[k]
            if kn.kind == .string {
                if w.keyEquals(k, c.keyEvent) {
                    if nameNode < 0 { nameNode = v }
                } else if w.keyEquals(k, c.keyTimestamp) {
                    if tsNode < 0 { tsNode = v }
                } else if w.keyEquals(k, c.keyData) {
                    if dataNode < 0 { dataNode = v }
                } else {
                    w.observe(.unexpectedEnvelopeMember, offset: kn.start) { w in
                        let key = w.string(k)
                        return (.unexpectedEnvelopeMember(key: key, allowed: "event, timestamp and data"),
                                "/" + JSONPointer.escape(key))
                    }
                }
            }
            k = Int(w.nodes[v].next)
        }

        if tsNode < 0 {
            w.observe(.missingTimestamp, offset: w.anchor, pointer: "/timestamp") { _ in .missingTimestamp(virsh: false) }
        } else {
            checkTimestamp(tsNode, &w)
        }
        // The extractor only makes events of objects with a string `event` member.
        guard nameNode >= 0, w.nodes[nameNode].kind == .string else {
            return MessageVerdict(name: nameNode >= 0 ? w.rawText(nameNode) : "", definition: nil, hasError: w.hasError)
        }
        let nn = w.nodes[nameNode]
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
            return MessageVerdict(name: name, definition: nil, hasError: w.hasError)
        }
        checkEvent(Int(ei), nameOffset: nn.start, data: dataNode, &w)
        return MessageVerdict(name: eventNames[Int(ei)], definition: Int(ei), hasError: w.hasError)
    }

    private func reportUnknownEvent(_ name: String, offset: Int, _ w: inout Walk) {
        w.observe(.unknownName, offset: offset, pointer: "/event") { _ in
            let s = c.suggestions.part(scope: "event", name: name) {
                NameSuggester.suggest(name, among: eventNames) ?? ""
            }
            return .unknownName(name: name, suggestion: s.isEmpty ? nil : s)
        }
    }

    /// Duplicate keys recorded by the parser inside the subtree of `node`.
    private func reportDuplicates(_ dups: [JSONDuplicateKey], in node: Int, _ w: inout Walk) {
        guard node >= 0 else { return }
        let end = Int(w.nodes[node].next)
        for d in dups where d.object >= node && d.object < end {
            guard w.wants(.duplicateKey) else { return }
            let key = w.string(d.key)
            w.report(.duplicateKey(key: key), offset: w.nodes[d.key].start,
                     pointer: w.pointer(to: d.object) + "/" + JSONPointer.escape(key))
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
            w.observe(.malformedTimestamp, offset: n.start, pointer: "/timestamp") { w in
                .timestampNotObject(got: describeValue(ts, w))
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
            } else if w.keyEquals(k, c.keySeconds) {
                if secNode < 0 { secNode = v }
            } else if w.keyEquals(k, c.keyMicroseconds) {
                if usNode < 0 { usNode = v }
            } else {
                w.observe(.malformedTimestamp, offset: kn.start) { w in
                    let key = w.string(k)
                    return (.timestampExtraMember(key: key), "/timestamp/" + JSONPointer.escape(key))
                }
            }
            k = Int(w.nodes[v].next)
        }
        let seconds = timestampPart(secNode, ts, label: "seconds", &isFiltered, &w)
        let micros = timestampPart(usNode, ts, label: "microseconds", &isFiltered, &w)
        if isFiltered { filtered(ts, &w) }
        if let s = seconds, let us = micros, !(s == -1 && us == -1) {
            if us < 0 || us > 999_999 {
                w.observe(.malformedTimestamp, offset: w.nodes[usNode].start, pointer: "/timestamp/microseconds") { _ in
                    .timestampMicrosecondsRange(us)
                }
            }
            if s < 0 {
                w.observe(.malformedTimestamp, offset: w.nodes[secNode].start, pointer: "/timestamp/seconds") { _ in
                    .timestampNegative(s)
                }
            }
        }
    }

    /// The integer value of timestamp member `node` (-1: absent), reporting what is wrong with it.
    private func timestampPart(_ node: Int, _ ts: Int, label: String, _ isFiltered: inout Bool,
                               _ w: inout Walk) -> Int64? {
        if node < 0 {
            w.observe(.malformedTimestamp, offset: w.nodes[ts].start, pointer: "/timestamp/\(label)") { _ in
                .timestampPartMissing(part: label)
            }
            return nil
        }
        let vn = w.nodes[node]
        switch vn.kind {
        case .integer:
            if let x = w.int64(node) { return x }
            w.observe(.malformedTimestamp, offset: vn.start, pointer: "/timestamp/\(label)") { w in
                .timestampPartOutOfRange(part: label, text: w.rawText(node))
            }
        case .placeholder:
            isFiltered = true
        case .string where Self.isPlaceholderWord(w.string(node)):
            isFiltered = true
        default:
            w.observe(.malformedTimestamp, offset: vn.start, pointer: "/timestamp/\(label)") { w in
                .timestampPartNotInteger(part: label, got: describeValue(node, w))
            }
        }
        return nil
    }

    /// Upper-case words QEMU's test suite puts where numbers were (`"SECS"`, `"USECS"`).
    private static func isPlaceholderWord(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == UInt8(ascii: "_") }
    }

    private func filtered(_ ts: Int, _ w: inout Walk) {
        w.observe(.filteredTimestamp, offset: w.nodes[ts].start, pointer: "/timestamp") { _ in .filteredTimestamp }
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
                w.observe(.emptyData, offset: n.start) { w in (.emptyData(name: eventNames[ei]), w.pointer(to: data)) }
            case .object:
                var k = data + 1
                for _ in 0..<Int(n.count) {
                    let kn = w.nodes[k]
                    if kn.kind != .placeholder {
                        w.observe(.memberOfNothing, offset: kn.start) { w in
                            let key = w.string(k)
                            return (.memberOfNothing(key: key, name: eventNames[ei]),
                                    w.pointer(to: data) + "/" + JSONPointer.escape(key))
                        }
                    }
                    k = Int(w.nodes[k + 1].next)
                }
            default:
                w.observe(.dataOfNothing, offset: n.start) { w in
                    (.dataOfNothing(name: eventNames[ei], got: describeValue(data, w)), w.pointer(to: data))
                }
            }
            return
        }
        guard data >= 0 else {
            if ev.requiresData {
                w.observe(.missingData, offset: w.anchor, pointer: "/data") { _ in
                    .missingData(name: eventNames[ei], required: requiredNames(ev.dataType))
                }
            }
            return
        }
        check(data, ev.dataType, &w)
    }

    private func reportEventFeatures(_ ei: Int, nameOffset: Int, _ w: inout Walk) {
        let ev = c.events[ei]
        let se = c.schema.events[ei]
        if ev.flags & CompiledSchema.flagDeprecated != 0 {
            w.observe(.deprecatedDefinition, offset: nameOffset, pointer: "/event") { _ in
                .deprecatedDefinition(name: se.name, replacement: se.replacement)
            }
        }
        if ev.flags & CompiledSchema.flagUnstable != 0 {
            w.observe(.unstableDefinition, offset: nameOffset, pointer: "/event") { _ in .unstableDefinition(name: se.name) }
        }
        if ev.flags & CompiledSchema.flagConditional != 0, let cond = se.condition {
            w.observe(.conditionalDefinition, offset: nameOffset, pointer: "/event") { _ in
                .conditionalDefinition(name: se.name, condition: cond.description)
            }
        }
    }
}
