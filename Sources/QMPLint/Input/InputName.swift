#if canImport(Glibc)
import Glibc
#endif

/// The name of one input: the bytes the file system knows it by, and the text reports show.
///
/// File names on Linux are bytes, not text: a name that is not valid UTF-8 (a Latin-1 `café.log`)
/// is kept as bytes to open it, and shown with each invalid byte as `\xE9`.
public struct InputName: Sendable, Hashable, CustomStringConvertible {
    /// The name as the file system knows it (never holding NUL). `-` is standard input.
    public let bytes: [UInt8]
    /// The name as text: the bytes when they are valid UTF-8, else each invalid byte as `\xNN`.
    public let path: String

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        path = Self.text(bytes)
    }

    /// A name given as text (its UTF-8 bytes).
    public init(_ path: String) {
        bytes = Array(path.utf8)
        self.path = path
    }

    /// Standard input (`-` on the command line).
    public static let standardInput = InputName("-")
    public var isStandardInput: Bool { bytes == [0x2D] }
    public var description: String { path }

    /// `self` followed by `/` (unless it ends with one) and `component`.
    func appending(_ component: [UInt8]) -> InputName {
        var b = bytes
        if b.last != 0x2F { b.append(0x2F) }
        b += component
        return InputName(bytes: b)
    }

    /// Calls `body` with the name as a NUL-terminated C string.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes + [0]).withUnsafeBufferPointer { b in
            try b.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// Valid UTF-8 as is; each byte of an invalid sequence as `\xNN`.
    static func text(_ bytes: [UInt8]) -> String {
        var out = ""
        var run: [UInt8] = []
        var i = 0
        func flush() {
            if !run.isEmpty { out += String(decoding: run, as: UTF8.self); run.removeAll() }
        }
        while i < bytes.count {
            let n = validSequenceLength(bytes, at: i)
            if n > 0 {
                run += bytes[i..<(i + n)]
                i += n
            } else {
                flush()
                let digits = String(bytes[i], radix: 16, uppercase: true)
                out += "\\x" + (digits.count < 2 ? "0" : "") + digits
                i += 1
            }
        }
        flush()
        return out
    }

    /// Length of the well-formed UTF-8 sequence starting at `i`, 0 when there is none.
    static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let c = b[i]
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < b.count && b[i + k] >= lo && b[i + k] <= hi
        }
        switch c {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// The names of command-line arguments. The Swift runtime hands arguments over as text, with
    /// bytes that are not UTF-8 replaced by U+FFFD; for an argument holding U+FFFD, the original
    /// bytes are taken back from the process's argument vector (the n-th such argument from the
    /// n-th entry of the vector that reads as the same text).
    public static func fromArguments(_ arguments: [String]) -> [InputName] {
        guard arguments.contains(where: { $0.unicodeScalars.contains("\u{FFFD}") }) else {
            return arguments.map(InputName.init)
        }
        var raw: [[UInt8]] = []
        for i in 0..<Int(CommandLine.argc) where i > 0 {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            raw.append(Array(UnsafeBufferPointer(start: p, count: strlen(p)).map { UInt8(bitPattern: $0) }))
        }
        var used = Set<Int>()
        return arguments.map { arg in
            guard arg.unicodeScalars.contains("\u{FFFD}") else { return InputName(arg) }
            for (k, bytes) in raw.enumerated() where !used.contains(k) {
                guard String(decoding: bytes, as: UTF8.self) == arg else { continue }
                used.insert(k)
                return InputName(bytes: bytes)
            }
            return InputName(arg)
        }
    }
}
