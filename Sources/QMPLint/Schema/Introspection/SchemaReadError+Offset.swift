extension SchemaReadError {
    /// An error at byte `offset` of `bytes`: 1-based line, and column in bytes, counted from
    /// the start of `bytes`.
    public init(path: String, bytes: UnsafeRawBufferPointer, offset: Int, message: String) {
        let at = max(0, min(offset, bytes.count))
        let start = ByteScan.lineStart(bytes, at)
        self.init(path: path, line: ByteScan.countNewlines(bytes, from: 0, to: at) + 1,
                  column: at - start + 1, message: message)
    }

    /// An error about a file as a whole (it cannot be read, its format is not supported):
    /// placed at line 1, column 1.
    public init(path: String, message: String) {
        self.init(path: path, line: 1, column: 1, message: message)
    }
}
