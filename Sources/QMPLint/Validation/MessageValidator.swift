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
    /// Checks whether messages fit the release only (`fits`): no findings are made, and the
    /// verdict's `hasError` means "this release's schema does not describe the message".
    let checksRelease: Bool

    public init(schema: Schema, rules: RuleSet = RuleSet()) {
        self.init(schema: schema, rules: rules, checksRelease: false)
    }

    init(schema: Schema, rules: RuleSet, checksRelease: Bool) {
        c = CompiledSchema(schema: schema)
        eventNames = schema.events.map(\.name)
        self.rules = rules
        self.checksRelease = checksRelease
    }

    /// True when this release's schema describes the message: its name is known and every
    /// value fits its type (`Observation.Kind.dependsOnRelease`). What any release would
    /// object to (a broken timestamp, a duplicate key) does not count.
    func fits(_ m: ExtractedMessage, tape: JSONTape, answering command: String?) -> Bool {
        var none: [RawFinding] = []
        return !validate(m, tape: tape, answering: command, into: &none).hasError
    }

    // MARK: - Entry points

    /// Validates a message the extractor found; findings are appended to `findings`.
    /// `command`: for a reply, the name of the command it answers (nil: not known).
    public func validate(_ m: ExtractedMessage, tape: JSONTape, answering command: String? = nil,
                         into findings: inout [RawFinding]) -> MessageVerdict {
        switch (m.kind, m.envelope) {
        case (.event, .json(let root)):
            return validate(event: root, in: tape, into: &findings)
        case (.event, .virsh(let name, let nameOffset, let data, let timestamp)):
            return validate(virshEvent: name, nameOffset: nameOffset, data: data, timestamp: timestamp, in: tape,
                            into: &findings)
        case (.command, .json(let root)):
            return validate(command: root, in: tape, carriesReply: m.carriesReply, into: &findings)
        case (.reply, .json(let root)):
            return validate(reply: root, in: tape, command: command, into: &findings)
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
            if let data, !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: data, named: name, &w) }
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
    func walk(_ tape: JSONTape, base: Int, prefix: String, anchor: Int, kind: MessageKind,
                      _ findings: inout [RawFinding], _ body: (inout Walk) -> MessageVerdict) -> MessageVerdict {
        tape.nodes.withUnsafeBufferPointer { nodes in
            var w = Walk(bytes: tape.bytes, nodes: nodes.baseAddress ?? UnsafePointer(bitPattern: 8)!, base: base,
                         prefix: prefix, anchor: anchor, kind: kind, validator: self)
            swap(&w.findings, &findings)
            defer { swap(&w.findings, &findings) }
            let verdict = body(&w)
            if !w.overflow.isEmpty { w.closeListing() }
            return verdict
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
    /// `name`: the message's name when the caller knows it; else the object's own `event`,
    /// `execute` or `exec-oob` string names the findings.
    func reportDuplicates(_ dups: [JSONDuplicateKey], in node: Int, named name: String? = nil, _ w: inout Walk) {
        guard node >= 0 else { return }
        let saved = w.subject
        defer { w.subject = saved }
        if w.subject == nil { w.subject = name ?? ownName(node, w) }
        let end = Int(w.nodes[node].next)
        for d in dups where d.object >= node && d.object < end {
            guard w.wants(.duplicateKey) else { return }
            let key = w.string(d.key)
            w.report(.duplicateKey(key: key), offset: w.nodes[d.key].start,
                     pointer: w.pointer(to: d.object) + "/" + JSONPointer.escape(key))
        }
    }

    /// The first string `event`, `execute` or `exec-oob` member of object `node`, if any.
    private func ownName(_ node: Int, _ w: Walk) -> String? {
        guard w.nodes[node].kind == .object else { return nil }
        var k = node + 1
        for _ in 0..<Int(w.nodes[node].count) {
            let v = k + 1
            if w.nodes[v].kind == .string, ["event", "execute", "exec-oob"].contains(w.string(k)) { return w.string(v) }
            k = Int(w.nodes[v].next)
        }
        return nil
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

    /// A value where the schema defines none (event data, arguments, a return): each member of
    /// an object is `memberOfNothing` (`{}` passes), any other value `dataOfNothing`;
    /// placeholders pass. `pointer` makes the value's pointer, only when a finding is made.
    private func checkNothing(_ node: Int, name: String, _ w: inout Walk, pointer: (Walk) -> String) {
        let n = w.nodes[node]
        if n.kind == .object {
            var k = node + 1
            for _ in 0..<Int(n.count) {
                if w.nodes[k].kind != .placeholder {
                    w.observe(.memberOfNothing, offset: w.nodes[k].start) { w in
                        let key = w.string(k)
                        return (.memberOfNothing(key: key, name: name), pointer(w) + "/" + JSONPointer.escape(key))
                    }
                }
                k = Int(w.nodes[k + 1].next)
            }
        } else if n.kind != .placeholder {
            w.observe(.dataOfNothing, offset: n.start) { w in
                (.dataOfNothing(name: name, got: describeValue(node, w)), pointer(w))
            }
        }
    }

    private func checkEvent(_ ei: Int, nameOffset: Int, data: Int, _ w: inout Walk) {
        w.eventIndex = ei
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
            default:
                checkNothing(data, name: eventNames[ei], &w) { w in w.pointer(to: data) }
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

// MARK: - Commands, replies, greetings

extension MessageValidator {
    /// Validates a command object (`root`: its tape index; it has `execute` or `exec-oob`).
    public func validate(command root: Int, in tape: JSONTape, carriesReply: Bool = false,
                         into findings: inout [RawFinding]) -> MessageVerdict {
        walk(tape, base: root, prefix: "", anchor: tape[root].start, kind: .command, &findings) { w in
            if !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: root, &w) }
            var nameNode = -1, argsNode = -1, outOfBand = false
            var k = root + 1
            for _ in 0..<Int(w.nodes[root].count) {
                let v = k + 1
                let kn = w.nodes[k]
                if kn.kind == .string {
                    if w.keyEquals(k, c.keyExecute) {
                        if nameNode < 0 { nameNode = v }
                    } else if w.keyEquals(k, c.keyExecOOB) {
                        if nameNode < 0 { nameNode = v; outOfBand = true }
                    } else if w.keyEquals(k, c.keyArguments) {
                        if argsNode < 0 { argsNode = v }
                    } else if w.keyEquals(k, c.keyID) {
                        // Any JSON value: the client's.
                    } else if carriesReply && (w.keyEquals(k, c.keyReturn) || w.keyEquals(k, c.keyError)) {
                        // qmp-shell -l writes the reply into the command's object.
                    } else {
                        w.observe(.unexpectedEnvelopeMember, offset: kn.start) { w in
                            let key = w.string(k)
                            return (.unexpectedEnvelopeMember(key: key, allowed: "execute (or exec-oob), arguments and id"),
                                    "/" + JSONPointer.escape(key))
                        }
                    }
                }
                k = Int(w.nodes[v].next)
            }
            guard nameNode >= 0, w.nodes[nameNode].kind == .string else {
                return MessageVerdict(name: "", definition: nil, hasError: w.hasError)
            }
            let nn = w.nodes[nameNode]
            let ci = lookupName(nameNode, c.commandTable, &w)
            let pointer = outOfBand ? "/exec-oob" : "/execute"
            guard ci >= 0 else {
                let name = w.string(nameNode)
                w.observe(.unknownName, offset: nn.start, pointer: pointer) { _ in
                    let s = c.suggestions.part(scope: "command", name: name) {
                        NameSuggester.suggest(name, among: schema.commands.map(\.name)) ?? ""
                    }
                    return .unknownName(name: name, suggestion: s.isEmpty ? nil : s)
                }
                return MessageVerdict(name: name, definition: nil, hasError: w.hasError)
            }
            let cmd = c.commands[Int(ci)]
            let sc = schema.commands[Int(ci)]
            w.commandIndex = Int(ci)
            if cmd.flags & CompiledSchema.flagDeprecated != 0 {
                w.observe(.deprecatedDefinition, offset: nn.start, pointer: pointer) { _ in
                    .deprecatedDefinition(name: sc.name, replacement: sc.replacement)
                }
            }
            if cmd.flags & CompiledSchema.flagUnstable != 0 {
                w.observe(.unstableDefinition, offset: nn.start, pointer: pointer) { _ in .unstableDefinition(name: sc.name) }
            }
            if outOfBand && !cmd.allowOOB {
                w.observe(.oobNotAllowed, offset: nn.start, pointer: pointer) { _ in .oobNotAllowed(command: sc.name) }
            }
            checkArguments(cmd, name: sc.name, args: argsNode, &w)
            return MessageVerdict(name: sc.name, definition: Int(ci), hasError: w.hasError)
        }
    }

    private func checkArguments(_ cmd: CompiledSchema.Command, name: String, args: Int, _ w: inout Walk) {
        guard cmd.argumentsType >= 0 else {
            // No arguments: none, or `{}` (qmp-shell always sends it).
            guard args >= 0 else { return }
            checkNothing(args, name: name, &w) { _ in "/arguments" }
            return
        }
        guard args >= 0 else {
            // Every required member is missing.
            for member in requiredNames(cmd.argumentsType) {
                w.observe(.missingMember, offset: w.anchor, pointer: "/arguments/" + JSONPointer.escape(member)) { _ in
                    guard case .object(let oi) = c.types[Int(cmd.argumentsType)] else {
                        return .missingMember(name: member, type: "", owner: name, hint: "")
                    }
                    let m = (0..<Int(c.objects[Int(oi)].memberCount)).map { c.members[Int(c.objects[Int(oi)].firstMember) + $0] }
                        .first { c.string($0.name) == member }
                    return .missingMember(name: member, type: m.map { c.typeNames[Int($0.type)] } ?? "",
                                          owner: c.typeNames[Int(cmd.argumentsType)], hint: "")
                }
            }
            return
        }
        w.openObject = cmd.openArguments ? args : -1
        check(args, cmd.argumentsType, &w)
        w.openObject = -1
    }

    /// Validates a reply (`root`: its tape index; it has `return` or `error`) to the command
    /// `command` (nil: not known, the return value is not checked).
    public func validate(reply root: Int, in tape: JSONTape, command: String?, into findings: inout [RawFinding])
        -> MessageVerdict
    {
        let before = findings.count
        let verdict = validateReply(root, in: tape, command: command, into: &findings)
        InvalidReturnRule.fold(&findings, from: before)
        return verdict
    }

    private func validateReply(_ root: Int, in tape: JSONTape, command: String?, into findings: inout [RawFinding])
        -> MessageVerdict
    {
        walk(tape, base: root, prefix: "", anchor: tape[root].start, kind: .reply, &findings) { w in
            if !tape.duplicates.isEmpty { reportDuplicates(tape.duplicates, in: root, named: command, &w) }
            var returnNode = -1, errorNode = -1
            var k = root + 1
            for _ in 0..<Int(w.nodes[root].count) {
                let v = k + 1
                let kn = w.nodes[k]
                if kn.kind == .string {
                    if w.keyEquals(k, c.keyReturn) {
                        if returnNode < 0 { returnNode = v }
                    } else if w.keyEquals(k, c.keyError) {
                        if errorNode < 0 { errorNode = v }
                    } else if !w.keyEquals(k, c.keyID) {
                        w.observe(.unexpectedEnvelopeMember, offset: kn.start) { w in
                            let key = w.string(k)
                            return (.unexpectedEnvelopeMember(key: key, allowed: "return (or error) and id"),
                                    "/" + JSONPointer.escape(key))
                        }
                    }
                }
                k = Int(w.nodes[v].next)
            }
            if errorNode >= 0 { checkError(errorNode, &w) }
            guard returnNode >= 0, let command else {
                return MessageVerdict(name: command ?? "", definition: nil, hasError: w.hasError)
            }
            var name = command
            let ci = name.withUTF8 { u in
                c.commandTable.find(0, UnsafeRawPointer(u.baseAddress ?? UnsafePointer(bitPattern: 8)!), u.count)
            }
            guard ci >= 0 else { return MessageVerdict(name: command, definition: nil, hasError: w.hasError) }
            let cmd = c.commands[Int(ci)]
            w.subject = command
            if cmd.returnType < 0 {
                checkNothing(returnNode, name: command, &w) { _ in "/return" }
            } else {
                check(returnNode, cmd.returnType, &w)
            }
            return MessageVerdict(name: schema.commands[Int(ci)].name, definition: Int(ci), hasError: w.hasError)
        }
    }

    /// `{"class": ..., "desc": ...}` of an error reply.
    private func checkError(_ e: Int, _ w: inout Walk) {
        let n = w.nodes[e]
        guard n.kind == .object else {
            w.observe(.typeMismatch, offset: n.start) { w in
                (.typeMismatch(expected: "object (error class and description)", got: describeValue(e, w), isNull: false),
                 "/error")
            }
            return
        }
        var classNode = -1, descNode = -1
        var k = e + 1
        for _ in 0..<Int(n.count) {
            let v = k + 1
            if w.keyEquals(k, c.keyClass) { classNode = v } else if w.keyEquals(k, c.keyDesc) { descNode = v }
            k = Int(w.nodes[v].next)
        }
        if classNode < 0 {
            w.observe(.missingMember, offset: n.start, pointer: "/error/class") { _ in
                .missingMember(name: "class", type: "QapiErrorClass", owner: "the error", hint: "")
            }
        } else if w.nodes[classNode].kind != .string {
            w.observe(.typeMismatch, offset: w.nodes[classNode].start) { w in
                (.typeMismatch(expected: "string (QapiErrorClass)", got: describeValue(classNode, w), isNull: false),
                 "/error/class")
            }
        } else if c.hasErrorClasses, lookupName(classNode, c.errorClassTable, &w) < 0 {
            w.observe(.unknownErrorClass, offset: w.nodes[classNode].start, pointer: "/error/class") { w in
                .unknownErrorClass(value: w.string(classNode), known: schema.errorClasses)
            }
        }
        if descNode < 0 {
            w.observe(.missingMember, offset: n.start, pointer: "/error/desc") { _ in
                .missingMember(name: "desc", type: "str", owner: "the error", hint: "")
            }
        } else if w.nodes[descNode].kind != .string && w.nodes[descNode].kind != .placeholder {
            w.observe(.typeMismatch, offset: w.nodes[descNode].start) { w in
                (.typeMismatch(expected: "string (str)", got: describeValue(descNode, w), isNull: false), "/error/desc")
            }
        }
    }

    /// The index of string node `v` in a name table (scope 0), or -1.
    private func lookupName(_ v: Int, _ table: ByteTable, _ w: inout Walk) -> Int32 {
        lookupString(v, table: table, scope: 0, &w)
    }
}
