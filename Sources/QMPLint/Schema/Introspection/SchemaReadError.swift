/// Why a schema file could not be read, located in the file: every schema reader (introspection,
/// text documentation) and `SchemaFileLoader` throw this.
public struct SchemaReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or name) being read.
    public var file: String
    /// 1-based line of the fault; 0 when the fault is not at a place in the file (unreadable file,
    /// unsupported format).
    public var line: Int
    /// 1-based column in bytes; 0 together with `line`.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// An error at byte `offset` of `bytes`, its line and column counted from the start.
    public init(file: String, bytes: UnsafeRawBufferPointer, offset: Int, message: String) {
        let at = max(0, min(offset, bytes.count))
        let start = ByteScan.lineStart(bytes, at)
        self.init(file: file, line: ByteScan.countNewlines(bytes, from: 0, to: at) + 1,
                  column: at - start + 1, message: message)
    }

    /// An error about the file as a whole.
    public init(file: String, message: String) {
        self.init(file: file, line: 0, column: 0, message: message)
    }

    /// `file:line:column: message`, or `file: message` when there is no position.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
