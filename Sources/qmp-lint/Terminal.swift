import ArgumentParser
import Foundation
import QMPLint

#if canImport(Glibc)
import Glibc
#endif

/// The process's standard streams and terminal: the only place that writes to file descriptors
/// 1 and 2, asks whether they are terminals, and how wide the terminal is.
enum Terminal {
    /// Whether standard output was closed when the process started (`>&-`). Evaluated once,
    /// first thing in `main` (`prepare()`).
    static let standardOutputWasClosed: Bool = {
        var closed = false
        // A closed descriptor 0, 1 or 2 is opened on /dev/null, so that no file the run opens
        // takes its number (a report file must never become "standard output").
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd {
                dup2(null, fd)
                close(null)
            }
            if fd == 1 { closed = true }
        }
        return closed
    }()

    /// Secures the standard descriptors; call before anything opens a file.
    static func prepare() { _ = standardOutputWasClosed }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// A writer for standard output; writing fails if it was closed at start.
    static func standardOutput() -> DescriptorWriter { DescriptorWriter(descriptor: 1, name: "standard output") }

    /// Writes `text` to standard output; an `OutputError` when it cannot (a full disk,
    /// a closed descriptor, a broken pipe).
    static func out(_ text: String) throws(OutputError) {
        var w = standardOutput()
        try checkOpen()
        w.write(text)
        try w.finish()
    }

    /// Throws when standard output was closed at start (writing would go to /dev/null).
    static func checkOpen() throws(OutputError) {
        if standardOutputWasClosed {
            throw OutputError(output: "standard output", reason: "it is closed (Bad file descriptor)")
        }
    }

    /// `text` on standard output, or the error message and exit status 74.
    static func show(_ text: String) throws {
        do { try out(text) } catch {
            self.error("\(error)")
            throw ExitCode(ExitStatus.outputError.rawValue)
        }
    }

    /// `qmp-lint: message` on standard error (paths and other text in it shown escaped).
    static func error(_ message: String) { errorBytes("qmp-lint: " + TerminalText.safe(message) + "\n") }

    /// Raw text on standard error (the progress bar); errors are ignored: there is nowhere left
    /// to report them.
    static func errorBytes(_ text: String) {
        var w = DescriptorWriter(descriptor: 2, name: "standard error")
        w.write(text)
    }

    /// The columns text output should fit: `COLUMNS` when set, else the width of the terminal
    /// on standard output, else 80.
    static var width: Int {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), c > 0 { return c }
        var size = winsize()
        if isTerminal(1), ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// The width for a report written to a file: `COLUMNS` when set, else 80.
    static var fileWidth: Int {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), c > 0 { return c }
        return 80
    }

    /// Whether `--color auto` colours standard output: a terminal, `NO_COLOR` unset or empty
    /// (no-color.org), `TERM` not `dumb`.
    static var colorByDefault: Bool {
        let env = ProcessInfo.processInfo.environment
        return isTerminal(1) && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
    }
}
