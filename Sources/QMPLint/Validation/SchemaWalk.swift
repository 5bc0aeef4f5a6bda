#if canImport(Glibc)
import Glibc
#endif

/// State of one message's validation: the tape (as raw pointers for the fast path), where JSON
/// Pointers start, the kind of message, and the findings made so far.
struct Walk {
    let nodes: UnsafePointer<JSONNode>
    let bytes: UnsafeRawPointer
    /// Tape index that `prefix` names (the message object, or the virsh details object).
    let base: Int
    let prefix: String
    /// Byte offset for findings about the whole message.
    let anchor: Int
    let kind: MessageKind
    let validator: MessageValidator
    var findings: [RawFinding] = []
    var hasError = false
    /// The name the findings are about when known (a reply's command).
    var subject: String?
    /// The known event or command being checked (its index in the schema), -1: none; names
    /// findings that have no `subject`, only when a finding is made.
    var eventIndex = -1
    var commandIndex = -1
    /// The tape index of an object whose members beyond the declared ones are accepted (a
    /// `'gen': false` command's arguments); -1: none.
    var openObject = -1
    /// Trying an alternative of an alternate: findings are not made, failures are noted.
    var probing = false
    var probeFailed = false
    /// The validator only checks whether the message fits its release (`MessageValidator.fits`).
    let checkingRelease: Bool

    init(bytes: UnsafeRawBufferPointer, nodes: UnsafePointer<JSONNode>, base: Int, prefix: String, anchor: Int,
         kind: MessageKind, validator: MessageValidator) {
        self.nodes = nodes
        self.bytes = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!
        self.base = base
        self.prefix = prefix
        self.anchor = anchor
        self.kind = kind
        self.validator = validator
        checkingRelease = validator.checksRelease
    }

    /// True when an observation of kind `o` should be made now (an enabled rule claims it);
    /// while probing, notes a structural failure instead.
    @inline(__always)
    mutating func wants(_ o: Observation.Kind) -> Bool {
        if probing {
            if Self.isStructural(o) { probeFailed = true }
            return false
        }
        if checkingRelease {
            if o.dependsOnRelease { hasError = true }
            return false
        }
        guard let r = validator.rules.claimant(o, kind) else { return false }
        if findings.count >= Self.listLimit {
            // Counted, not built: a message with a million bad members costs no memory.
            if validator.rules.severities[r] == .error { hasError = true }
            if let i = overflow.firstIndex(where: { $0.rule == r }) { overflow[i].count += 1 } else { overflow.append((r, 1)) }
            return false
        }
        return true
    }

    /// Findings listed per message at most; past it they are counted per rule (`overflow`) and
    /// closed by one finding that stands for them (`closeListing`).
    static let listLimit = 1000
    var overflow: [(rule: Int, count: Int)] = []

    /// One finding per rule for the findings past `listLimit`, standing for all of them.
    mutating func closeListing() {
        for (r, n) in overflow {
            guard let severity = validator.rules.severities[r] else { continue }
            let id = RuleRegistry.all[r].description.id
            findings.append(RawFinding(rule: id, severity: severity,
                                       message: "\(n) more \(id) findings in this \(kind.rawValue) are counted, not listed",
                                       pointer: "", offset: anchor, count: n))
        }
        overflow = []
    }

    /// Observations that mean "this value does not match the type" (used to try alternates).
    static func isStructural(_ o: Observation.Kind) -> Bool {
        switch o {
        case .missingMember, .typeMismatch, .enumValue, .integerRange: true
        default: false
        }
    }

    /// Makes observation `make()` at `offset`, `pointer` when a rule wants it.
    @inline(__always)
    mutating func observe(_ o: Observation.Kind, offset: Int, pointer: @autoclosure () -> String,
                          _ make: (Walk) -> Observation) {
        guard wants(o) else { return }
        report(make(self), offset: offset, pointer: pointer())
    }

    /// The same, with the pointer made by `make` (only when wanted).
    @inline(__always)
    mutating func observe(_ o: Observation.Kind, offset: Int, _ make: (Walk) -> (Observation, String)) {
        guard wants(o) else { return }
        let (observation, pointer) = make(self)
        report(observation, offset: offset, pointer: pointer)
    }

    /// Words an observation through the rule that claims it.
    mutating func report(_ o: Observation, offset: Int, pointer: String) {
        guard let r = validator.rules.claimant(o.kind, kind), let rule = validator.rules.messageRules[r],
              let severity = validator.rules.severities[r] else { return }
        let name = subject ?? (eventIndex >= 0 ? validator.eventNames[eventIndex]
            : commandIndex >= 0 ? validator.schema.commands[commandIndex].name : nil)
        let context = FindingContext(kind: kind, name: name, schema: validator.c.schema.name, pointer: pointer)
        if severity == .error { hasError = true }
        findings.append(RawFinding(rule: rule.description.id, severity: severity,
                                   message: rule.message(for: o, in: context), pointer: pointer, offset: offset))
    }

    /// True when key node `k` is exactly the pooled name `name`.
    @inline(__always)
    func keyEquals(_ k: Int, _ name: CompiledSchema.NameRef) -> Bool {
        let n = nodes[k]
        let c = validator.c
        if n.flags & JSONNode.hasEscapes == 0 {
            return c.equals(name, bytes + n.start + 1, n.end - n.start - 2)
        }
        return string(k) == c.string(name)
    }

    /// The raw bytes of node `i` as written.
    func rawBytes(_ i: Int) -> UnsafeRawBufferPointer {
        let n = nodes[i]
        return UnsafeRawBufferPointer(start: bytes + n.start, count: n.end - n.start)
    }

    /// The raw text of node `i` (slow path).
    func rawText(_ i: Int) -> String { String(decoding: rawBytes(i), as: UTF8.self) }

    /// The decoded value of string node `i` (slow path).
    func string(_ i: Int) -> String {
        let n = nodes[i]
        if n.kind != .string { return rawText(i) }
        if n.flags & JSONNode.hasEscapes == 0 {
            return String(decoding: UnsafeRawBufferPointer(start: bytes + n.start + 1, count: n.end - n.start - 2), as: UTF8.self)
        }
        return JSONStringDecoder.decode(rawBytes(i), singleQuoted: n.flags & JSONNode.singleQuoted != 0)
    }

    /// Integer node `i` as an Int64 when it fits.
    func int64(_ i: Int) -> Int64? {
        let n = nodes[i]
        guard n.kind == .integer, n.flags & JSONNode.overflow == 0 else { return nil }
        if n.flags & JSONNode.negative != 0 {
            return n.magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- n.magnitude) : nil
        }
        return n.magnitude <= UInt64(Int64.max) ? Int64(n.magnitude) : nil
    }

    /// The JSON Pointer (RFC 6901) of tape node `target`, found by walking down from `base`:
    /// the child whose subtree holds `target` is the next step.
    func pointer(to target: Int) -> String {
        var out = prefix
        var cur = base
        while cur != target && cur >= 0 {
            let n = nodes[cur]
            var next = -1
            if n.kind == .object {
                var k = cur + 1
                for _ in 0..<Int(n.count) {
                    let v = k + 1
                    let end = Int(nodes[v].next)
                    if target >= k && target < end {
                        out += "/" + JSONPointer.escape(string(k))
                        next = target == k ? -1 : v
                        break
                    }
                    k = end
                }
            } else if n.kind == .array {
                var e = cur + 1
                for i in 0..<Int(n.count) {
                    let end = Int(nodes[e].next)
                    if target >= e && target < end { out += "/\(i)"; next = e; break }
                    e = end
                }
            }
            cur = next
        }
        return out
    }
}

// MARK: - Values against types (the fast path)

extension MessageValidator {
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
            if !ok {
                w.observe(.integerRange, offset: n.start) { w in
                    (.integerRange(text: w.rawText(v), type: c.typeNames[Int(t)], min: lo, max: hi), w.pointer(to: v))
                }
            }
        case .enumeration(let e):
            guard n.kind == .string else { typeMismatch(v, t, &w); return }
            let i = lookupString(v, table: c.enumTable, scope: e, &w)
            if i < 0 {
                if FilteredValue.isFiltered(w.rawBytes(v)) { return }
                enumValue(v, t, e, &w)
            } else if c.enumValues[Int(c.enums[Int(e)].first + i)].flags & CompiledSchema.flagDeprecated != 0 {
                w.observe(.deprecatedValue, offset: n.start) { w in
                    (.deprecatedValue(value: w.string(v), type: c.typeNames[Int(t)]), w.pointer(to: v))
                }
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
    func lookupString(_ v: Int, table: ByteTable, scope: Int32, _ w: inout Walk) -> Int32 {
        let n = w.nodes[v]
        if n.flags & JSONNode.hasEscapes == 0 {
            return table.find(scope, w.bytes + n.start + 1, n.end - n.start - 2)
        }
        var s = w.string(v)
        return s.withUTF8 { table.find(scope, UnsafeRawPointer($0.baseAddress ?? UnsafePointer(bitPattern: 8)!), $0.count) }
    }

    func checkObject(_ node: Int, _ base: Int32, _ w: inout Walk) {
        var oi = base
        var o = c.objects[Int(base)]
        let n = w.nodes[node]
        var branchUnknown = false
        while o.discriminator >= 0 {
            // Select the branch from the discriminator's value; its own checks (missing,
            // type, enum value) happen with the other members below.
            let d = c.members[Int(o.firstMember + o.discriminator)]
            guard let dv = findKey(node, d.name, &w) else { break }
            let dn = w.nodes[dv]
            if dn.kind == .placeholder || (dn.kind == .string && FilteredValue.isFiltered(w.rawBytes(dv))) {
                // A test-suite placeholder: the branch cannot be known, nor what members it has.
                branchUnknown = true
                break
            }
            guard dn.kind == .string else { break }
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
                if pos < 0 && w.kind == .command {
                    // QEMU takes `-` and `_` alike in a command's member names.
                    pos = separatorTwin(k, oi, &w)
                }
                if pos >= 0 {
                    hint = pos + 1
                    if pos < 64 { seen |= 1 << UInt64(pos) }
                    let m = c.members[Int(o.firstMember + pos)]
                    if m.flags & (CompiledSchema.flagDeprecated | CompiledSchema.flagUnstable) != 0 {
                        memberFeatures(k, m, &w)
                    }
                    check(v, m.type, &w)
                } else if node != w.openObject && !branchUnknown {
                    unexpected = true
                    w.observe(.unexpectedMember, offset: kn.start) { w in
                        let key = w.string(k)
                        let owner = c.typeNames[Int(c.objects[Int(oi)].schemaType)]
                        let s = c.suggestions.part(scope: "object \(oi)", name: key) {
                            NameSuggester.suggest(key, among: memberNames(oi)) ?? ""
                        }
                        return (.unexpectedMember(key: key, owner: owner, suggestion: s.isEmpty ? nil : s),
                                w.pointer(to: node) + "/" + JSONPointer.escape(key))
                    }
                }
            }
            k = Int(w.nodes[v].next)
        }
        if o.required & ~seen != 0 || o.wideRequired {
            missingMembers(node, oi, seen: seen, hasUnexpected: unexpected, &w)
        }
    }

    /// The member of object `oi` whose name is key `k` with `-` and `_` swapped, or -1.
    private func separatorTwin(_ k: Int, _ oi: Int32, _ w: inout Walk) -> Int32 {
        var name = Array(w.string(k).utf8)
        guard name.contains(0x2D) || name.contains(0x5F) else { return -1 }
        for i in name.indices where name[i] == 0x2D || name[i] == 0x5F { name[i] = name[i] == 0x2D ? 0x5F : 0x2D }
        return name.withUnsafeBytes { c.memberTable.find(oi, $0.baseAddress!, $0.count) }
    }

    /// Value index of member `name` in object node `node`, if present.
    func findKey(_ node: Int, _ name: CompiledSchema.NameRef, _ w: inout Walk) -> Int? {
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

    func checkAlternate(_ v: Int, _ t: Int32, first: Int, count: Int, _ w: inout Walk) {
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
    func accepts(_ t: Int32, _ kind: JSONKind) -> Bool {
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

// MARK: - What observations say (the slow path: only runs when something is wrong)

extension MessageValidator {
    /// "integer (uint64)", "string (JobStatus)", "object (ACPIOSTInfo)", "one of ...".
    func expected(_ t: Int32) -> String {
        let name = c.typeNames[Int(t)]
        switch c.types[Int(t)] {
        case .str: return "string (str)"
        case .bool: return "boolean (bool)"
        case .null: return "null"
        case .any: return "any value"
        case .number: return "number (number)"
        case .integer: return "integer (\(name))"
        case .enumeration: return "string (\(name))"
        case .object: return "object (\(name))"
        case .array: return "array (\(name))"
        case .alternate(let first, let count):
            let alts = (Int(first)..<Int(first + count)).map { expected(c.alternatives[$0]) }
            return "one of " + alts.joined(separator: ", ") + " (alternate \(name))"
        }
    }

    /// The JSON type of node `v` with a short excerpt of its value: `string "3"`, `number 78.25`.
    func describeValue(_ v: Int, _ w: Walk) -> String {
        let n = w.nodes[v]
        switch n.kind {
        case .object: return n.count == 0 ? "empty object" : "object"
        case .array: return n.count == 0 ? "empty array" : "array"
        case .string: return "string " + Self.excerpt(w.rawText(v))
        case .integer: return "integer " + Self.excerpt(w.rawText(v))
        case .number: return "number " + Self.excerpt(w.rawText(v))
        case .bool: return "boolean " + w.rawText(v)
        case .null: return "null"
        case .placeholder: return "placeholder " + Self.excerpt(w.rawText(v))
        }
    }

    private static func excerpt(_ s: String) -> String {
        s.count <= 48 ? s : String(s.prefix(45)) + "..."
    }

    func typeMismatch(_ v: Int, _ t: Int32, _ w: inout Walk) {
        w.observe(.typeMismatch, offset: w.nodes[v].start) { w in
            (.typeMismatch(expected: expected(t), got: describeValue(v, w), isNull: w.nodes[v].kind == .null),
             w.pointer(to: v))
        }
    }

    func enumValue(_ v: Int, _ t: Int32, _ e: Int32, _ w: inout Walk) {
        w.observe(.enumValue, offset: w.nodes[v].start) { w in
            let value = w.string(v)
            let en = c.enums[Int(e)]
            let hint = c.suggestions.part(scope: "enum \(e)", name: value) {
                let values = (0..<Int(en.count)).map { c.string(c.enumValues[Int(en.first) + $0].name) }
                if let s = NameSuggester.suggest(value, among: values) { return "; did you mean \"\(s)\"?" }
                if values.count <= 16 { return "; expected one of: " + values.joined(separator: ", ") }
                return " (\(values.count) values)"
            }
            return (.enumValue(value: value, type: c.typeNames[Int(t)], hint: hint), w.pointer(to: v))
        }
    }

    func memberFeatures(_ k: Int, _ m: CompiledSchema.Member, _ w: inout Walk) {
        if m.flags & CompiledSchema.flagDeprecated != 0 {
            w.observe(.deprecatedMember, offset: w.nodes[k + 1].start) { w in
                (.deprecatedMember(name: c.string(m.name)), w.pointer(to: k + 1))
            }
        }
        if m.flags & CompiledSchema.flagUnstable != 0 {
            w.observe(.unstableMember, offset: w.nodes[k + 1].start) { w in
                (.unstableMember(name: c.string(m.name)), w.pointer(to: k + 1))
            }
        }
    }

    /// Member names of object `oi`.
    func memberNames(_ oi: Int32) -> [String] {
        let o = c.objects[Int(oi)]
        return (0..<Int(o.memberCount)).map { c.string(c.members[Int(o.firstMember) + $0].name) }
    }

    /// Names of the required members of the object type `t` (for missing-data).
    func requiredNames(_ t: Int32) -> [String] {
        guard case .object(let oi) = c.types[Int(t)] else { return [] }
        let o = c.objects[Int(oi)]
        return (0..<Int(o.memberCount)).compactMap { i in
            let m = c.members[Int(o.firstMember) + i]
            return m.flags & (CompiledSchema.flagOptional | CompiledSchema.flagConditional) == 0 ? c.string(m.name) : nil
        }
    }

    func missingMembers(_ node: Int, _ oi: Int32, seen: UInt64, hasUnexpected: Bool, _ w: inout Walk) {
        let o = c.objects[Int(oi)]
        let owner = c.typeNames[Int(o.schemaType)]
        // Keys of the object that are not members: candidates for "misspelt as".
        var strays: [String] = []
        if hasUnexpected && !w.probing && !w.checkingRelease {
            let names = Set(memberNames(oi))
            var k = node + 1
            for _ in 0..<Int(w.nodes[node].count) {
                if w.nodes[k].kind == .string {
                    let key = w.string(k)
                    if !names.contains(key) { strays.append(key) }
                }
                k = Int(w.nodes[k + 1].next)
            }
        }
        for i in 0..<Int(o.memberCount) {
            let m = c.members[Int(o.firstMember) + i]
            guard m.flags & (CompiledSchema.flagOptional | CompiledSchema.flagConditional) == 0 else { continue }
            if i < 64 {
                if seen & (1 << UInt64(i)) != 0 { continue }
            } else if findKeyValue(node, m.name, w) {
                continue
            }
            guard w.wants(.missingMember) else { return }
            let name = c.string(m.name)
            var hint = ""
            if let s = NameSuggester.suggest(name, among: strays) {
                hint = "; \"\(s)\" is present - a misspelling?"
            } else if case .object(let inner) = c.types[Int(m.type)] {
                let innerNames = Set(memberNames(inner))
                let misplaced = strays.filter { innerNames.contains($0) }
                if !misplaced.isEmpty {
                    hint = "; " + misplaced.map { "\"\($0)\"" }.joined(separator: ", ")
                        + " belong inside \"\(name)\", one level down"
                }
            }
            w.report(.missingMember(name: name, type: c.typeNames[Int(m.type)], owner: owner, hint: hint),
                     offset: w.nodes[node].start, pointer: w.pointer(to: node) + "/" + JSONPointer.escape(name))
        }
    }

    private func findKeyValue(_ node: Int, _ name: CompiledSchema.NameRef, _ w: Walk) -> Bool {
        var k = node + 1
        for _ in 0..<Int(w.nodes[node].count) {
            if w.nodes[k].kind == .string && w.keyEquals(k, name) { return true }
            k = Int(w.nodes[k + 1].next)
        }
        return false
    }
}

/// Values QEMU's test suite writes in place of strings it filters (`"driver": "IMGFMT"`): not
/// checked against the enum or union they stand in.
enum FilteredValue {
    static let words: Set<String> = ["IMGFMT", "IMGPROTO", "IMGOPTS", "TEST_DIR", "SOCK_DIR"]

    /// Whether the raw string literal `raw` (with its quotes) is a filtered value.
    static func isFiltered(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count > 2, raw.count < 16 else { return false }
        return words.contains(String(decoding: UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)]), as: UTF8.self))
    }
}
