#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State of one `EventValidator.validate` call: the tape being read (as raw pointers for the
/// fast path), where JSON Pointers start, and the findings made so far.
struct Walk {
    let nodes: UnsafePointer<JSONNode>
    let bytes: UnsafeRawPointer
    /// Tape index that `prefix` names (the event object, or the virsh details object).
    let base: Int
    let prefix: String
    /// Byte offset for findings about the whole event.
    let anchor: Int
    var findings: [RawFinding] = []
    var hasError = false
    /// Trying an alternative of an alternate: findings are not recorded, failures are.
    var probing = false
    var probeFailed = false

    init(bytes: UnsafeRawBufferPointer, nodes: UnsafePointer<JSONNode>, base: Int, prefix: String, anchor: Int) {
        self.nodes = nodes
        self.bytes = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!
        self.base = base
        self.prefix = prefix
        self.anchor = anchor
    }

    /// True when a finding of rule `r` should be built now; while probing, notes the failure.
    @inline(__always)
    mutating func wants(_ r: RuleID, _ v: EventValidator) -> Bool {
        if probing {
            if r.isStructural { probeFailed = true }
            return false
        }
        return v.enabled & (1 << UInt64(r.rawValue)) != 0
    }

    mutating func add(_ r: RuleID, _ v: EventValidator, offset: Int, pointer: String, message: String) {
        let severity = v.severities[r.rawValue]
        if severity == .error { hasError = true }
        findings.append(RawFinding(rule: r.id, severity: severity, message: message, pointer: pointer, offset: offset))
    }

    /// True when key node `k` is exactly the pooled name `name`.
    @inline(__always)
    func keyEquals(_ k: Int, _ name: CompiledSchema.NameRef, _ c: CompiledSchema) -> Bool {
        let n = nodes[k]
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

// MARK: - Findings (slow path: only runs when something is wrong)

extension EventValidator {
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
        guard w.wants(.typeMismatch, self) else { return }
        let n = w.nodes[v]
        var m = "expected \(expected(t)), got \(describeValue(v, w))"
        if n.kind == .null { m += " (QEMU omits an absent optional member instead of sending null)" }
        w.add(.typeMismatch, self, offset: n.start, pointer: w.pointer(to: v), message: m)
    }

    func integerRange(_ v: Int, _ t: Int32, lo: Int64, hi: UInt64, _ w: inout Walk) {
        guard w.wants(.integerRange, self) else { return }
        w.add(.integerRange, self, offset: w.nodes[v].start, pointer: w.pointer(to: v),
              message: "\(w.rawText(v)) is outside the range of \(c.typeNames[Int(t)]) (\(lo) to \(hi))")
    }

    func enumValue(_ v: Int, _ t: Int32, _ e: Int32, _ w: inout Walk) {
        guard w.wants(.enumValue, self) else { return }
        let value = w.string(v)
        let en = c.enums[Int(e)]
        var m = "\"\(value)\" is not a value of \(c.typeNames[Int(t)])"
        m += c.suggestions.part(scope: "enum \(e)", name: value) {
            let values = (0..<Int(en.count)).map { c.string(c.enumValues[Int(en.first) + $0].name) }
            if let s = NameSuggester.suggest(value, among: values) { return "; did you mean \"\(s)\"?" }
            if values.count <= 16 { return "; expected one of: " + values.joined(separator: ", ") }
            return " (\(values.count) values)"
        }
        w.add(.enumValue, self, offset: w.nodes[v].start, pointer: w.pointer(to: v), message: m)
    }

    func deprecatedValue(_ v: Int, _ t: Int32, _ w: inout Walk) {
        guard w.wants(.deprecatedValue, self) else { return }
        w.add(.deprecatedValue, self, offset: w.nodes[v].start, pointer: w.pointer(to: v),
              message: "value \"\(w.string(v))\" of \(c.typeNames[Int(t)]) is deprecated")
    }

    func memberFeatures(_ k: Int, _ m: CompiledSchema.Member, _ w: inout Walk) {
        let name = c.string(m.name)
        if m.flags & CompiledSchema.flagDeprecated != 0, w.wants(.deprecatedMember, self) {
            w.add(.deprecatedMember, self, offset: w.nodes[k + 1].start, pointer: w.pointer(to: k + 1),
                  message: "member \"\(name)\" is deprecated")
        }
        if m.flags & CompiledSchema.flagUnstable != 0, w.wants(.unstableMember, self) {
            w.add(.unstableMember, self, offset: w.nodes[k + 1].start, pointer: w.pointer(to: k + 1),
                  message: "member \"\(name)\" is unstable (experimental; may change without notice)")
        }
    }

    /// Member names of object `oi`.
    private func memberNames(_ oi: Int32) -> [String] {
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

    func unexpectedMember(_ k: Int, object: Int, _ oi: Int32, _ w: inout Walk) {
        guard w.wants(.unexpectedMember, self) else { return }
        let key = w.string(k)
        let owner = c.typeNames[Int(c.objects[Int(oi)].schemaType)]
        var m = "member \"\(key)\" is not defined by \(owner)"
        m += c.suggestions.part(scope: "object \(oi)", name: key) {
            NameSuggester.suggest(key, among: memberNames(oi)).map { "; did you mean \"\($0)\"?" } ?? ""
        }
        w.add(.unexpectedMember, self, offset: w.nodes[k].start,
              pointer: w.pointer(to: object) + "/" + JSONPointer.escape(key), message: m)
    }

    func missingMembers(_ node: Int, _ oi: Int32, seen: UInt64, hasUnexpected: Bool, _ w: inout Walk) {
        let o = c.objects[Int(oi)]
        let owner = c.typeNames[Int(o.schemaType)]
        // Keys of the object that are not members: candidates for "misspelt as".
        var strays: [String] = []
        if hasUnexpected {
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
            guard w.wants(.missingMember, self) else { return }
            let name = c.string(m.name)
            var msg = "missing required member \"\(name)\" (\(c.typeNames[Int(m.type)])) of \(owner)"
            if let s = NameSuggester.suggest(name, among: strays) {
                msg += "; \"\(s)\" is present - a misspelling?"
            } else if case .object(let inner) = c.types[Int(m.type)] {
                let innerNames = Set(memberNames(inner))
                let misplaced = strays.filter { innerNames.contains($0) }
                if !misplaced.isEmpty {
                    msg += "; " + misplaced.map { "\"\($0)\"" }.joined(separator: ", ")
                        + " belong inside \"\(name)\", one level down"
                }
            }
            w.add(.missingMember, self, offset: w.nodes[node].start,
                  pointer: w.pointer(to: node) + "/" + JSONPointer.escape(name), message: msg)
        }
    }

    private func findKeyValue(_ node: Int, _ name: CompiledSchema.NameRef, _ w: Walk) -> Bool {
        var k = node + 1
        for _ in 0..<Int(w.nodes[node].count) {
            if w.nodes[k].kind == .string && w.keyEquals(k, name, c) { return true }
            k = Int(w.nodes[k + 1].next)
        }
        return false
    }
}
