import Foundation
import Yams

extension QMPLintConfiguration {
    /// Reads and checks a configuration file. `knownRules` are the rule ids values are checked
    /// against (an empty set skips that check); formats are checked against `ReportFormat`,
    /// QEMU versions against the built-in releases. An empty file
    /// (or one holding only comments) is a valid empty configuration. Relative paths in the file
    /// are later resolved against its folder (`baseDirectory`).
    public static func load(
        path: String, knownRules: Set<String> = []
    ) throws(ConfigurationError) -> QMPLintConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(path: path, message: "cannot read: \(readReason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(path: path, message: "not UTF-8 text")
        }
        var configuration = try parse(yaml: text, path: path, knownRules: knownRules)
        configuration.baseDirectory = directory(of: path)
        return configuration
    }

    /// Checks configuration text; `path` only names it in errors. `baseDirectory` stays "".
    public static func parse(
        yaml text: String, path: String, knownRules: Set<String> = []
    ) throws(ConfigurationError) -> QMPLintConfiguration {
        let root: Node?
        do {
            root = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8).singleRoot()
        } catch let error as YamlError {
            throw syntaxError(error, path: path, text: text)
        } catch {
            throw ConfigurationError(path: path, message: "invalid YAML: \(error)")
        }
        let reader = ConfigurationReader(path: path, knownRules: knownRules)
        var configuration = QMPLintConfiguration()
        if let root, !reader.isNull(root) { configuration = try reader.read(root) }
        configuration.source = path
        return configuration
    }

    /// The configuration file that applies to `directory`: `.qmp-lint.yml`, then `.qmp-lint.yaml`,
    /// in `directory` and then in each parent up to the filesystem root; nil when there is none.
    /// A file in `directory` itself is returned joined to `directory` as given (`.qmp-lint.yml`
    /// for "."), so messages stay short; a file in a parent is returned as an absolute path.
    public static func discover(from directory: String) -> String? {
        func regularFile(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        for name in fileNames {
            let candidate =
                directory.isEmpty || directory == "."
                ? name
                : directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if regularFile(candidate) { return candidate }
        }
        var url = URL(fileURLWithPath: directory.isEmpty ? "." : directory).standardizedFileURL
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            for name in fileNames {
                let candidate = url.appendingPathComponent(name).path
                if regularFile(candidate) { return candidate }
            }
        }
        return nil
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }


    static func syntaxError(_ error: YamlError, path: String, text: String) -> ConfigurationError {
        func message(_ context: YamlError.Context?, _ problem: String) -> String {
            "invalid YAML: " + (context.map { "\($0.text) (at \($0.mark.line):\($0.mark.column)), " } ?? "") + problem
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return ConfigurationError(
                path: path, line: mark.line, column: mark.column, message: message(context, problem))
        case .reader(let problem, let offset, _, _):
            if let offset, offset <= text.count {
                let prefix = text.prefix(offset)
                let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                let column = prefix.reversed().prefix { $0 != "\n" }.count + 1
                return ConfigurationError(path: path, line: line, column: column, message: "invalid YAML: \(problem)")
            }
            return ConfigurationError(path: path, message: "invalid YAML: \(problem)")
        default:
            return ConfigurationError(path: path, message: "invalid YAML: \(error)")
        }
    }
}

/// Walks the YAML tree of a configuration file, checking each key and value.
struct ConfigurationReader {
    let path: String
    let knownRules: Set<String>

    func error(_ node: Node, _ message: String) -> ConfigurationError {
        ConfigurationError(path: path, line: node.mark?.line, column: node.mark?.column, message: message)
    }

    /// A plain `~`, `null` or empty scalar: the key is treated as absent.
    func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// "a string", "a list", ... for messages about the wrong kind of node.
    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if isNull(node) { return "null" }
            if s.style == .plain && ["true", "True", "TRUE", "false", "False", "FALSE"].contains(s.string) {
                return "a boolean"
            }
            if s.style == .plain && Double(s.string) != nil { return "a number" }
            return "a string"
        }
    }

    func mapping(_ node: Node, _ what: String) throws(ConfigurationError) -> Node.Mapping {
        guard let m = node.mapping else { throw error(node, "\(what) must be a mapping, not \(kind(node))") }
        return m
    }

    /// Each key once, as a string, in file order.
    func entries(_ mapping: Node.Mapping) throws(ConfigurationError) -> [(key: String, keyNode: Node, value: Node)] {
        var seen: [String: Node] = [:]
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw error(keyNode, "keys must be strings, not \(kind(keyNode))")
            }
            if let first = seen[key] {
                let at = first.mark.map { " (first at \($0.line):\($0.column))" } ?? ""
                throw error(keyNode, "duplicate key '\(key)'\(at)")
            }
            seen[key] = keyNode
            result.append((key, keyNode, value))
        }
        return result
    }

    func string(_ node: Node, _ key: String) throws(ConfigurationError) -> String {
        guard let s = node.scalar, !isNull(node) else {
            throw error(node, "'\(key)' must be a string, not \(kind(node))")
        }
        return s.string
    }

    func nonEmptyString(_ node: Node, _ key: String) throws(ConfigurationError) -> String {
        let s = try string(node, key)
        if s.isEmpty { throw error(node, "'\(key)' must not be empty") }
        return s
    }

    func stringList(_ node: Node, _ key: String) throws(ConfigurationError) -> [(String, Node)] {
        guard case .sequence(let items) = node else {
            throw error(node, "'\(key)' must be a list of strings, not \(kind(node))")
        }
        var result: [(String, Node)] = []
        for item in items {
            guard item.scalar != nil, !isNull(item) else {
                throw error(item, "'\(key)' must be a list of strings, not a list holding \(kind(item))")
            }
            let s = try nonEmptyString(item, key)
            result.append((s, item))
        }
        return result
    }

    func rule(_ id: String, _ node: Node) throws(ConfigurationError) -> String {
        if !knownRules.isEmpty && !knownRules.contains(id) {
            throw error(node, "unknown rule '\(id)'\(didYouMean(id, among: knownRules))")
        }
        return id
    }

    /// A format name, checked against `ReportFormat` as `--format` is.
    func format(_ name: String, _ node: Node) throws(ConfigurationError) -> ReportFormat {
        switch ReportFormat.parse(name) {
        case .success(let f): return f
        case .failure(let e): throw error(node, e.description)
        }
    }

    /// One of `type`'s raw values, or an error listing them.
    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _ type: T.Type) throws(ConfigurationError) -> T
    where T.RawValue == String {
        let v = try string(node, key)
        let names = T.allCases.map(\.rawValue)
        guard let value = T(rawValue: v) else {
            throw error(node, "unknown \(key) '\(v)'\(didYouMean(v, among: names)) (expected \(names.joined(separator: ", ")))")
        }
        return value
    }

    func read(_ root: Node) throws(ConfigurationError) -> QMPLintConfiguration {
        var c = QMPLintConfiguration()
        var schemaKey: Node?
        var versionKey: Node?
        var strictKey: Node?
        var failOnKey: Node?
        for (key, keyNode, value) in try entries(try mapping(root, "the configuration"))
        where !isNull(value) || !QMPLintConfiguration.keys.contains(key) {
            switch key {
            case "schema":
                c.schema = try nonEmptyString(value, key)
                schemaKey = keyNode
            case "qemu-version":
                let v = try string(value, key)
                if case .failure(let problem) = QEMUVersionRequest.resolve(v) {
                    throw error(value, "'qemu-version': \(problem)")
                }
                c.qemuVersion = v
                versionKey = keyNode
            case "format":
                c.format = try format(try nonEmptyString(value, key), value)
            case "reports":
                c.reports = try reports(value)
            case "disabled-rules":
                var seen = Set<String>()
                for (id, node) in try stringList(value, key) where seen.insert(id).inserted {
                    c.disabledRules.append(try rule(id, node))
                }
            case "severity":
                for (id, idNode, levelNode) in try entries(try mapping(value, "'severity'")) {
                    _ = try rule(id, idNode)
                    if isNull(levelNode) { continue }
                    let levels = QMPLintConfiguration.RuleLevel.allCases.map(\.rawValue)
                    guard levelNode.scalar != nil,
                        let level = QMPLintConfiguration.RuleLevel(rawValue: levelNode.scalar!.string)
                    else {
                        let got = levelNode.scalar.map { "'\($0.string)'" } ?? kind(levelNode)
                        throw error(
                            levelNode,
                            "unknown severity \(got) for '\(id)' (expected \(levels.joined(separator: ", ")))")
                    }
                    c.severity[id] = level
                }
            case "include":
                c.include = try stringList(value, key).map(\.0)
            case "exclude":
                c.exclude = try stringList(value, key).map(\.0)
            case "min-severity":
                c.minSeverity = try choice(value, key, Severity.self)
            case "fail-on":
                c.failOn = try choice(value, key, LintSettings.FailLevel.self)
                failOnKey = keyNode
            case "strict":
                guard let s = value.scalar, s.style == .plain || s.style == .any else {
                    throw error(value, "'strict' must be true or false, not \(kind(value))")
                }
                switch s.string {
                case "true", "True", "TRUE": c.strict = true; strictKey = keyNode
                case "false", "False", "FALSE": c.strict = false; strictKey = keyNode
                default: throw error(value, "'strict' must be true or false, got '\(s.string)'")
                }
            case "jobs":
                guard let s = value.scalar, s.style == .plain || s.style == .any, let n = Int(s.string) else {
                    let got = value.scalar.map { "'\($0.string)'" } ?? kind(value)
                    throw error(value, "'jobs' must be a whole number of at least 1, got \(got)")
                }
                if n < 1 { throw error(value, "'jobs' must be at least 1, got \(n)") }
                c.jobs = n
            case "color":
                c.color = try choice(value, key, LintSettings.ColorChoice.self)
            case "baseline":
                c.baseline = try nonEmptyString(value, key)
            default:
                throw error(keyNode, "unknown key '\(key)'\(didYouMean(key, among: QMPLintConfiguration.keys))")
            }
        }
        if let schemaKey, let versionKey {
            let later = (schemaKey.mark?.line ?? 0) > (versionKey.mark?.line ?? 0) ? schemaKey : versionKey
            throw error(later, "'schema' and 'qemu-version' exclude each other")
        }
        if let strictKey, let failOnKey {
            let later = (strictKey.mark?.line ?? 0) > (failOnKey.mark?.line ?? 0) ? strictKey : failOnKey
            throw error(later, "'strict' and 'fail-on' exclude each other ('strict: true' is 'fail-on: warning')")
        }
        return c
    }

    /// `reports:` items: `{format: F, path: P}` mappings or `"F=P"` strings.
    func reports(_ node: Node) throws(ConfigurationError) -> [QMPLintConfiguration.Report] {
        let expected = "'reports' items must be FORMAT=PATH strings or {format, path} mappings"
        guard case .sequence(let items) = node else {
            throw error(node, "'reports' must be a list, not \(kind(node))")
        }
        var result: [QMPLintConfiguration.Report] = []
        for item in items {
            switch item {
            case .scalar(let s) where !isNull(item):
                guard let eq = s.string.firstIndex(of: "=") else {
                    throw error(item, "\(expected), got '\(s.string)'")
                }
                let f = String(s.string[..<eq])
                let p = String(s.string[s.string.index(after: eq)...])
                if f.isEmpty || p.isEmpty { throw error(item, "\(expected), got '\(s.string)'") }
                result.append(.init(format: try format(f, item), path: p))
            case .mapping(let m):
                var f: ReportFormat?
                var p: String?
                for (key, keyNode, value) in try entries(m) {
                    switch key {
                    case "format": f = try format(try nonEmptyString(value, "format"), value)
                    case "path": p = try nonEmptyString(value, "path")
                    default:
                        throw error(
                            keyNode, "unknown key '\(key)' in a report\(didYouMean(key, among: ["format", "path"]))")
                    }
                }
                guard let f, let p else {
                    throw error(item, "a report needs both 'format' and 'path'")
                }
                result.append(.init(format: f, path: p))
            default:
                throw error(item, "\(expected), not \(kind(item))")
            }
        }
        return result
    }
}
