/// Where a file says which QEMU produced it: found in the first bytes of each input.
public enum DetectedSchemaSource: Sendable, Equatable {
    /// The QMP greeting `{"QMP": {"version": {"qemu": {...}}}}`.
    case greeting(version: String, line: Int)
    /// libvirt's per-domain log header `... qemu version: 4.2.0 ...`.
    case libvirtHeader(version: String, line: Int)
    /// A `query-version` reply `{"return": {"qemu": {...}, "package": ...}}`.
    case queryVersion(version: String, line: Int)
    /// A `query-qmp-schema` reply: the byte range of the reply object in the head.
    case introspection(range: Range<Int>, line: Int)

    public var reason: String {
        switch self {
        case .greeting(let v, let l): return "QMP greeting: QEMU \(v) (line \(l))"
        case .libvirtHeader(let v, let l): return "libvirt log header: qemu version \(v) (line \(l))"
        case .queryVersion(let v, let l): return "query-version reply: QEMU \(v) (line \(l))"
        case .introspection(_, let l): return "query-qmp-schema reply in the file (line \(l))"
        }
    }
}

/// Finds version evidence in the head of an input, in this order of precedence: the QMP
/// greeting, the libvirt per-domain log header, a `query-qmp-schema` reply (that exact schema),
/// a `query-version` reply.
public struct SchemaDetector {
    let greeting = try! Regex(#""QMP"\s*:\s*\{\s*"version"\s*:\s*\{\s*"qemu"\s*:\s*\{([^{}]*)\}"#)
    let versionReply = try! Regex(#""return"\s*:\s*\{\s*"qemu"\s*:\s*\{([^{}]*)\}\s*,\s*"package""#)
    let header = try! Regex(#"starting up libvirt version: [^\n]*?qemu version: (\d+)\.(\d+)(?:\.(\d+))?"#)
    let part = try! Regex(#""(major|minor|micro)"\s*:\s*(\d+)"#)
    let schemaCommand = try! Regex(#"["']execute["']\s*:\s*["']query-qmp-schema["']"#)

    public init() {}

    public func detect(_ head: UnsafeRawBufferPointer) -> DetectedSchemaSource? {
        func line(_ offset: Int) -> Int { ByteScan.countNewlines(head, from: 0, to: offset) + 1 }
        if let m = try? greeting.firstMatch(in: head), let g = m.groups[0], let v = version(head, g) {
            return .greeting(version: v, line: line(m.range.lowerBound))
        }
        if let m = try? header.firstMatch(in: head) {
            let text = { (r: Range<Int>?) in r.map { String(decoding: UnsafeRawBufferPointer(rebasing: head[$0]), as: UTF8.self) } }
            let v = [text(m.groups[0]) ?? "0", text(m.groups[1]) ?? "0", text(m.groups[2]) ?? "0"].joined(separator: ".")
            return .libvirtHeader(version: v, line: line(m.range.lowerBound))
        }
        if let m = try? schemaCommand.firstMatch(in: head) {
            // The reply is the next object whose `return` is an array.
            let ret: StaticString = "\"return\""
            let needle = UnsafeRawBufferPointer(start: ret.utf8Start, count: ret.utf8CodeUnitCount)
            if let r = ByteScan.find(needle, in: head, from: m.range.upperBound, to: head.count) {
                let start = ByteScan.findLast(0x7B, in: head, from: m.range.upperBound, to: r) ?? r
                var tape = JSONTape()
                if case .success(let end) = JSONParser.parseValue(head, from: start, options: .lenient, into: &tape) {
                    return .introspection(range: start..<end, line: line(start))
                }
            }
        }
        if let m = try? versionReply.firstMatch(in: head), let g = m.groups[0], let v = version(head, g) {
            return .queryVersion(version: v, line: line(m.range.lowerBound))
        }
        return nil
    }

    func version(_ head: UnsafeRawBufferPointer, _ r: Range<Int>) -> String? {
        var parts: [String: String] = [:]
        var pos = r.lowerBound
        while let m = try? part.firstMatch(in: head, from: pos, to: r.upperBound), let k = m.groups[0], let v = m.groups[1] {
            parts[String(decoding: UnsafeRawBufferPointer(rebasing: head[k]), as: UTF8.self)] =
                String(decoding: UnsafeRawBufferPointer(rebasing: head[v]), as: UTF8.self)
            pos = m.range.upperBound
        }
        guard let major = parts["major"], let minor = parts["minor"] else { return nil }
        return "\(major).\(minor).\(parts["micro"] ?? "0")"
    }
}
