/// The tool's version, shown by `--version` and written into reports.
public enum QMPLintVersion {
    public static let current = "0.1.0"
}
