import Foundation

/// Reads an event schema from QEMU's old text documentation of events (`docs/qmp-events.txt`,
/// shipped until QEMU 2.8, and documents written in its format).
///
/// Each event is a section: its name on a line of its own, underlined with dashes; a
/// description; the data, then an example (examples are not schema and are skipped). The data
/// is written as one of:
/// - `Data: None.` - the event has no data;
/// - `Data:` followed by lines `- "member": description (json-type[, optional])`; a
///   description may wrap onto continuation lines, and its json-type is the last parenthesised
///   group naming one (`json-string`, `json-int`, `json-number`, `json-bool`, `json-object`,
///   `json-array`). A member of `json-object` type may list its own members on more deeply
///   indented `- "member": ...` lines;
/// - `- data: TypeName type as described in qapi-schema.json` - a reference to a QAPI type.
///
/// Mapping: json-string -> `str`, json-int -> `int` (width unknown, so `integerWidthsLost` is
/// set), json-number -> `number`, json-bool -> `bool`, json-object without listed members and
/// a member with no json-type -> `any` (still required unless marked optional), json-array ->
/// `[any]`. A QAPI type reference (`TypeName type ... qapi-schema.json`, `See TypeName in
/// qapi-schema.json`) is resolved against the `resolvingAgainst` schema when it defines that
/// type; otherwise the value is accepted as `any` and listed in `Schema.unresolvedReferences`.
/// Member lines after `Data: None.` (as QEMU 2.8 writes for MIGRATION) are taken as the data.
///
/// These documents describe events only: the schema's `commands` and `errorClasses` stay empty,
/// so a schema read this way checks no command or reply.
public enum TextDocSchemaReader {
    /// Reads the document at `path`; the schema is named after the file.
    public static func read(path: String, resolvingAgainst other: Schema? = nil) throws(SchemaReadError) -> Schema {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchemaReadError(path: path, message: "cannot read file")
        }
        return try read(text: String(decoding: data, as: UTF8.self), path: path, resolvingAgainst: other)
    }

    /// Reads a document's text; `path` names it in the schema's origin and in errors.
    public static func read(text: String, path: String, resolvingAgainst other: Schema? = nil) throws(SchemaReadError) -> Schema {
        var parser = Parser(text: text, file: path, resolver: other.map(SchemaTypeImporter.init))
        try parser.parse()
        let name = path.isEmpty ? "text-doc" : URL(fileURLWithPath: path).lastPathComponent
        var schema = Schema(name: name, origin: SchemaOrigin(kind: .textDoc, path: path), types: parser.types,
                            events: parser.events, integerWidthsLost: true)
        schema.unresolvedReferences = parser.unresolved
        return schema
    }
}

extension TextDocSchemaReader {
    /// One line of the document: 1-based number and its bytes without the line break.
    struct Line {
        var number: Int
        var bytes: ArraySlice<UInt8>
        var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        var indent: Int { bytes.prefix { $0 == 0x20 || $0 == 0x09 }.count }
        var trimmed: String {
            String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }

    /// A piece of a member's description: text and where it starts (1-based line and column).
    struct Segment {
        var line: Int
        var column: Int
        var text: ArraySlice<UInt8>
    }

    /// A member line with its continuation lines and the members listed under it.
    struct DocMember {
        var name: String
        /// `- data: ...`: a reference for the whole event data.
        var isData: Bool
        var indent: Int
        var line: Int
        var column: Int
        var segments: [Segment]
        var children: [DocMember] = []
    }

    /// What a member's description says about its type.
    enum DocType {
        case json(String, optional: Bool, at: (line: Int, column: Int))
        case reference(String, optional: Bool)
        case unspecified
    }

    struct Parser {
        let file: String
        var lines: [Line] = []
        var resolver: SchemaTypeImporter?
        var types: [SchemaType] = []
        var events: [SchemaEvent] = []
        var unresolved: [UnresolvedTypeReference] = []
        var builtins: [String: TypeID] = [:]

        init(text: String, file: String, resolver: SchemaTypeImporter?) {
            self.file = file
            self.resolver = resolver
            let bytes = Array(text.utf8)
            for (n, piece) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                lines.append(Line(number: n + 1, bytes: piece.last == 0x0D ? piece.dropLast() : piece))
            }
        }

        func error(line: Int, column: Int, _ message: String) -> SchemaReadError {
            SchemaReadError(path: file, line: line, column: column, message: message)
        }

        // MARK: Sections

        /// True when line `i` names an event: one word of name characters, and the next line
        /// is a dash underline.
        func isHeading(_ i: Int) -> Bool {
            guard i + 1 < lines.count else { return false }
            let name = lines[i].bytes, under = lines[i + 1].bytes
            guard let first = name.first, Self.isUpper(first) || Self.isLower(first),
                  name.allSatisfy({ Self.isNameByte($0) }) else { return false }
            let dashes = under.prefix { $0 == UInt8(ascii: "-") }.count
            return dashes >= 3 && under.dropFirst(dashes).allSatisfy { $0 == 0x20 || $0 == 0x09 }
        }

        static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        static func isNameByte(_ c: UInt8) -> Bool {
            isUpper(c) || isLower(c) || isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }

        mutating func parse() throws(SchemaReadError) {
            var headings: [Int] = []
            for i in lines.indices where isHeading(i) { headings.append(i) }
            guard !headings.isEmpty else {
                throw error(line: 1, column: 1, "no events found: expected an event name on its own line, "
                                + "underlined with dashes")
            }
            var seen: [String: Int] = [:]
            for (n, h) in headings.enumerated() {
                let name = String(decoding: lines[h].bytes, as: UTF8.self)
                if let first = seen[name] {
                    throw error(line: lines[h].number, column: 1, "event \(name) is documented twice (first at line \(first))")
                }
                seen[name] = lines[h].number
                let end = n + 1 < headings.count ? headings[n + 1] : lines.count
                try section(name: name, body: (h + 2)..<end)
            }
        }

        /// True when a line starts the example that ends the schema part of a section.
        func isExampleStart(_ line: Line) -> Bool {
            let t = line.trimmed
            return t.hasPrefix("Example") || (line.indent == 0 && line.bytes.first == UInt8(ascii: "{"))
        }

        /// A member line: optional indent, a dash, a blank.
        func isMemberLine(_ line: Line) -> Bool {
            let rest = line.bytes.dropFirst(line.indent)
            guard rest.first == UInt8(ascii: "-"), rest.count >= 2 else { return false }
            let after = rest[rest.startIndex + 1]
            return after == 0x20 || after == 0x09
        }

        mutating func section(name: String, body: Range<Int>) throws(SchemaReadError) {
            // The schema part ends where the example starts.
            var limit = body.upperBound
            if let ex = body.first(where: { isExampleStart(lines[$0]) }) { limit = ex }
            var dataLine: Int?
            var dataNone = false
            for i in body.lowerBound..<limit {
                let t = lines[i].trimmed
                guard t.hasPrefix("Data:") else { continue }
                let rest = t.dropFirst(5).trimmingCharacters(in: .whitespaces)
                if rest.isEmpty {
                    dataNone = false
                } else if rest.lowercased() == "none" || rest.lowercased() == "none." {
                    dataNone = true
                } else {
                    let column = lines[i].indent + 1 + (t.utf8.count - rest.utf8.count)
                    throw error(line: lines[i].number, column: column,
                                "cannot read the Data line of \(name): expected 'Data:' followed by member lines, or 'Data: None.'")
                }
                dataLine = i
                break
            }
            // Member lines: after `Data:`, or anywhere before the example when there is no
            // `Data:` line (QEMU writes ACPI_DEVICE_OST's `- data:` reference that way).
            let from = dataLine.map { $0 + 1 } ?? body.lowerBound
            var members: [DocMember] = []
            var current: DocMember?
            var afterBlank = false
            var started = false
            for i in from..<limit {
                let line = lines[i]
                if line.isBlank {
                    afterBlank = true
                    continue
                }
                if isMemberLine(line) {
                    if dataLine == nil && !Self.looksLikeMember(line) { continue }
                    if let c = current { members.append(c) }
                    current = try memberLine(line, event: name)
                    started = true
                    afterBlank = false
                    continue
                }
                if !started {
                    // Text between `Data:` and the first member: only prose is allowed around
                    // `Data: None.` or where there is no `Data:` line.
                    if dataLine != nil && !dataNone {
                        throw error(line: line.number, column: line.indent + 1,
                                    "cannot read the data of \(name): expected a member line '- \"name\": description (json-type)'")
                    }
                    continue
                }
                if afterBlank { break }
                let text = line.bytes.dropFirst(line.indent)
                current?.segments.append(Segment(line: line.number, column: line.indent + 1, text: Self.trimEnd(text)))
            }
            if let c = current { members.append(c) }
            if dataLine != nil && !dataNone && members.isEmpty {
                throw error(line: lines[dataLine!].number, column: lines[dataLine!].indent + 1,
                            "the Data: block of \(name) lists no members (write 'Data: None.' for an event without data)")
            }
            try addEvent(name, members: nest(members))
        }

        /// Outside a `Data:` block only `- "name":` and `- data:` lines are members.
        static func looksLikeMember(_ line: Line) -> Bool {
            let rest = String(decoding: line.bytes.dropFirst(line.indent + 1), as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            return rest.hasPrefix("\"") || rest.hasPrefix("data:") || rest.hasPrefix("data :")
        }

        static func trimEnd(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var e = s.endIndex
            while e > s.startIndex, s[e - 1] == 0x20 || s[e - 1] == 0x09 { e -= 1 }
            return s[s.startIndex..<e]
        }

        /// Parses `- "name": description` or `- data: description`.
        func memberLine(_ line: Line, event: String) throws(SchemaReadError) -> DocMember {
            let b = line.bytes
            var i = b.startIndex + line.indent + 1
            while i < b.endIndex, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let col = { (idx: Int) in idx - b.startIndex + 1 }
            var name: String
            var isData = false
            let nameColumn = col(i)
            if i < b.endIndex, b[i] == UInt8(ascii: "\"") {
                guard let close = b[(i + 1)...].firstIndex(of: UInt8(ascii: "\"")) else {
                    throw error(line: line.number, column: col(i), "unterminated member name in the data of \(event)")
                }
                name = String(decoding: b[(i + 1)..<close], as: UTF8.self)
                guard !name.isEmpty else {
                    throw error(line: line.number, column: col(i), "empty member name in the data of \(event)")
                }
                i = close + 1
            } else if b[i...].starts(with: "data".utf8) {
                name = "data"
                isData = true
                i += 4
            } else {
                throw error(line: line.number, column: col(i),
                            "cannot read member line of \(event): expected '- \"name\": description (json-type)'")
            }
            while i < b.endIndex, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            guard i < b.endIndex, b[i] == UInt8(ascii: ":") else {
                throw error(line: line.number, column: col(i), "expected ':' after member name \"\(name)\" in the data of \(event)")
            }
            i += 1
            while i < b.endIndex, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            return DocMember(name: name, isData: isData, indent: line.indent, line: line.number, column: nameColumn,
                             segments: [Segment(line: line.number, column: col(i), text: Self.trimEnd(b[i...]))])
        }

        /// Members indented deeper than the member before them become its children.
        func nest(_ flat: [DocMember]) -> [DocMember] {
            var result: [DocMember] = []
            var i = 0
            func take(_ minIndent: Int) -> [DocMember] {
                var out: [DocMember] = []
                while i < flat.count, flat[i].indent >= minIndent {
                    var m = flat[i]
                    i += 1
                    if i < flat.count, flat[i].indent > m.indent {
                        m.children = take(flat[i].indent)
                    }
                    out.append(m)
                }
                return out
            }
            while i < flat.count {
                result.append(contentsOf: take(flat[i].indent))
            }
            return result
        }

        // MARK: Types

        mutating func builtin(_ b: BuiltinType) -> TypeID {
            if let id = builtins[b.rawValue] { return id }
            types.append(SchemaType(name: b.rawValue, kind: .builtin(b)))
            builtins[b.rawValue] = types.count - 1
            return types.count - 1
        }

        mutating func anyArray() -> TypeID {
            if let id = builtins["[any]"] { return id }
            let element = builtin(.any)
            types.append(SchemaType(name: "[any]", kind: .array(element: element)))
            builtins["[any]"] = types.count - 1
            return types.count - 1
        }

        mutating func addEvent(_ name: String, members: [DocMember]) throws(SchemaReadError) {
            if let ref = members.first(where: \.isData) {
                if members.count > 1 {
                    // Found by fuzzing: two '- data:' lines and nothing else crashed here.
                    if let other = members.first(where: { !$0.isData }) {
                        throw error(line: other.line, column: other.column,
                                    "the data of \(name) is both a type reference ('- data:') and a member list")
                    }
                    let again = members[1]
                    throw error(line: again.line, column: again.column,
                                "the data of \(name) is given twice ('- data:' already on line \(ref.line))")
                }
                let t = try docType(ref, event: name)
                let data: TypeID
                switch t {
                case .reference(let typeName, _):
                    data = resolveReference(typeName, event: name, pointer: "/data", line: ref.line)
                case .json(let j, _, let at):
                    data = try jsonType(j, children: ref.children, owner: name + "-data", event: name, at: at, pointer: "/data")
                case .unspecified:
                    throw error(line: ref.line, column: ref.segments[0].column,
                                "cannot read the data reference of \(name): expected '- data: TypeName type as described in qapi-schema.json'")
                }
                events.append(SchemaEvent(name: name, data: data))
                return
            }
            guard !members.isEmpty else {
                events.append(SchemaEvent(name: name, data: nil))
                return
            }
            let data = try objectType(members, named: name + "-data", event: name, pointer: "/data")
            events.append(SchemaEvent(name: name, data: data))
        }

        mutating func objectType(_ members: [DocMember], named: String, event: String, pointer: String) throws(SchemaReadError) -> TypeID {
            let id = types.count
            types.append(SchemaType(name: named, kind: .object(SchemaObject(members: []))))
            var out: [SchemaMember] = []
            var seen: Set<String> = []
            for m in members {
                if m.isData {
                    throw error(line: m.line, column: m.column, "'- data:' in the data of \(event) must stand alone")
                }
                guard seen.insert(m.name).inserted else {
                    throw error(line: m.line, column: m.column, "member \"\(m.name)\" of \(named) is listed twice")
                }
                let p = pointer + "/" + JSONPointer.escape(m.name)
                let t = try docType(m, event: event)
                let type: TypeID
                let optional: Bool
                switch t {
                case .json(let j, let opt, let at):
                    type = try jsonType(j, children: m.children, owner: named + "." + m.name, event: event, at: at, pointer: p)
                    optional = opt
                case .reference(let typeName, let opt):
                    type = m.children.isEmpty ? resolveReference(typeName, event: event, pointer: p, line: m.line)
                        : try objectType(m.children, named: named + "." + m.name, event: event, pointer: p)
                    optional = opt
                case .unspecified:
                    type = m.children.isEmpty ? builtin(.any)
                        : try objectType(m.children, named: named + "." + m.name, event: event, pointer: p)
                    optional = false
                }
                out.append(SchemaMember(name: m.name, type: type, optional: optional))
            }
            types[id].kind = .object(SchemaObject(members: out))
            return id
        }

        mutating func jsonType(_ j: String, children: [DocMember], owner: String, event: String,
                               at: (line: Int, column: Int), pointer: String) throws(SchemaReadError) -> TypeID {
            switch j {
            case "object":
                return children.isEmpty ? builtin(.any) : try objectType(children, named: owner, event: event, pointer: pointer)
            case "array":
                guard !children.isEmpty else { return anyArray() }
                let element = try objectType(children, named: owner, event: event, pointer: pointer + "/-")
                types.append(SchemaType(name: "[\(owner)]", kind: .array(element: element)))
                return types.count - 1
            default:
                if let c = children.first {
                    throw error(line: c.line, column: c.column, "member \"\(c.name)\" is listed under a json-\(j) member; only json-object and json-array members have members")
                }
                switch j {
                case "string": return builtin(.str)
                case "int": return builtin(.int)
                case "number": return builtin(.number)
                case "bool", "boolean": return builtin(.bool)
                case "null": return builtin(.null)
                case "value": return builtin(.any)
                default:
                    throw error(line: at.line, column: at.column, "unknown type json-\(j) (expected json-string, json-int, json-number, json-bool, json-object or json-array)")
                }
            }
        }

        mutating func resolveReference(_ typeName: String, event: String, pointer: String, line: Int) -> TypeID {
            if var r = resolver, let id = r.type(named: typeName) {
                let result = r.importType(id, into: &types, builtins: &builtins)
                resolver = r
                return result
            }
            unresolved.append(UnresolvedTypeReference(event: event, pointer: pointer, typeName: typeName, line: line))
            return builtin(.any)
        }

        /// Finds the json-type (the last parenthesised group naming one), the `optional`
        /// marker and QAPI type references in a member's whole description.
        func docType(_ m: DocMember, event: String) throws(SchemaReadError) -> DocType {
            // Join the segments with single spaces, remembering where each byte came from.
            var text: [UInt8] = []
            var origin: [(line: Int, column: Int)] = []
            for s in m.segments {
                if !text.isEmpty { text.append(0x20); origin.append(origin.last!) }
                for (k, c) in s.text.enumerated() {
                    text.append(c)
                    origin.append((s.line, s.column + k))
                }
            }
            // Top-level parenthesised groups.
            var groups: [Range<Int>] = []
            var depth = 0
            var open = 0
            for (k, c) in text.enumerated() {
                if c == UInt8(ascii: "(") {
                    if depth == 0 { open = k + 1 }
                    depth += 1
                } else if c == UInt8(ascii: ")"), depth > 0 {
                    depth -= 1
                    if depth == 0 { groups.append(open..<k) }
                }
            }
            for g in groups.reversed() {
                let words = Self.words(text, g)
                guard let j = words.first(where: { text[$0].starts(with: "json-".utf8) }) else { continue }
                let kind = String(decoding: text[(j.lowerBound + 5)..<j.upperBound], as: UTF8.self)
                let optional = words.contains { text[$0].elementsEqual("optional".utf8) }
                return .json(kind, optional: optional, at: origin[j.lowerBound])
            }
            let description = String(decoding: text, as: UTF8.self)
            if let name = Self.typeReference(description) {
                let optional = groups.contains { g in Self.words(text, g).contains { text[$0].elementsEqual("optional".utf8) } }
                return .reference(name, optional: optional)
            }
            return .unspecified
        }

        /// Ranges of the words (letters, digits, `-`, `_`) in `text[range]`.
        static func words(_ text: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var k = range.lowerBound
            while k < range.upperBound {
                guard isNameByte(text[k]) else { k += 1; continue }
                let start = k
                while k < range.upperBound, isNameByte(text[k]) { k += 1 }
                out.append(start..<k)
            }
            return out
        }

        /// The QAPI type a description refers to: `TypeName type ... qapi-schema.json` or
        /// `See TypeName in ...qapi-schema.json`.
        static func typeReference(_ description: String) -> String? {
            guard description.contains("qapi-schema") else { return nil }
            let words = description.split(whereSeparator: { $0 == " " || $0 == "\t" })
            func isTypeName(_ w: Substring) -> Bool {
                guard let f = w.utf8.first, isUpper(f) else { return false }
                return w.utf8.allSatisfy { isNameByte($0) }
            }
            if words.count >= 2, isTypeName(words[0]), words[1] == "type" { return String(words[0]) }
            for k in words.indices.dropLast(2) where words[k] == "See" && isTypeName(words[k + 1]) && words[k + 2] == "in" {
                return String(words[k + 1])
            }
            return nil
        }
    }
}
