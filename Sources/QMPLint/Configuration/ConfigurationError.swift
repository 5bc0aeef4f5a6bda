import Foundation

/// A configuration file that cannot be used: unreadable, not YAML, or holding an unknown key or a
/// bad value. Printed as `path:line:column: message` (the position of the offending node, 1-based,
/// column in Unicode scalars as libyaml counts them), or `path: message` when there is no position.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as given to `load`.
    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let line, let column { return "\(path):\(line):\(column): \(message)" }
        return "\(path): \(message)"
    }
}

/// " (did you mean 'x'?)" for the known name closest to `word`, or "" when none is close enough
/// (edit distance at most 2, and less than half the word).
func didYouMean<Names: Sequence>(_ word: String, among names: Names) -> String where Names.Element == String {
    var best: (name: String, distance: Int)?
    for name in names.sorted() {
        let d = editDistance(word, name)
        if d <= 2 && d * 2 < max(word.count, 2) && d < (best?.distance ?? .max) { best = (name, d) }
    }
    return best.map { " (did you mean '\($0.name)'?)" } ?? ""
}

/// Edit distance over characters, a swap of two neighbours counting as one edit (optimal string
/// alignment), so `paht` is one edit from `path`.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
}

extension QMPLintConfiguration {
    /// Why a file could not be read, in strerror's words when the system said.
    static func readReason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError {
            return "No such file or directory"
        }
        return ns.localizedDescription
    }
}
