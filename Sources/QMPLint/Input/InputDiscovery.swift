#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns command-line paths into the ordered list of inputs: files as given, directories walked
/// recursively in sorted order, `-` for standard input.
public struct InputDiscovery: Sendable {
    public struct Result: Sendable {
        /// Inputs to read, in report order.
        public var inputs: [String] = []
        /// Paths that could not be listed or opened (each still reported, exit status 2).
        public var errors: [InputError] = []
        /// Entries passed over on purpose during a walk (FIFOs, sockets, devices, symlink loops),
        /// each with the reason; reported as notes, never silently.
        public var skipped: [InputError] = []
    }

    /// Follow symbolic links to directories met during a walk (links named on the command line
    /// are always followed). Loops are detected and reported.
    public var followLinks = false
    /// Glob patterns (fnmatch, matched against the path and its last component) a walked file
    /// must match, when not empty; explicitly named files are always read.
    public var include: [String] = []
    public var exclude: [String] = []

    public init(followLinks: Bool = false, include: [String] = [], exclude: [String] = []) {
        self.followLinks = followLinks; self.include = include; self.exclude = exclude
    }

    public func discover(_ paths: [String]) -> Result {
        var result = Result()
        for path in paths {
            if path == "-" { result.inputs.append("-"); continue }
            var st = stat()
            if stat(path, &st) != 0 {
                result.errors.append(InputError(path: path, message: "cannot open: \(errnoMessage())"))
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                var seen: Set<DirID> = [DirID(st)]
                walk(path, &result, &seen)
            } else {
                result.inputs.append(path)
            }
        }
        return result
    }

    struct DirID: Hashable { var dev: UInt64; var ino: UInt64
        init(_ st: stat) { dev = UInt64(st.st_dev); ino = UInt64(st.st_ino) } }

    private func walk(_ dir: String, _ result: inout Result, _ seen: inout Set<DirID>) {
        guard let d = opendir(dir) else {
            result.errors.append(InputError(path: dir, message: "cannot list directory: \(errnoMessage())"))
            return
        }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        closedir(d)
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        for name in names {
            let path = prefix + name
            var lst = stat()
            if lstat(path, &lst) != 0 {
                result.errors.append(InputError(path: path, message: "cannot stat: \(errnoMessage())"))
                continue
            }
            var st = lst
            let isLink = lst.st_mode & S_IFMT == S_IFLNK
            if isLink {
                if stat(path, &st) != 0 {
                    result.skipped.append(InputError(path: path, message: "broken symbolic link"))
                    continue
                }
                if st.st_mode & S_IFMT == S_IFDIR && !followLinks {
                    result.skipped.append(InputError(path: path, message: "symbolic link to a directory (use --follow)"))
                    continue
                }
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                let id = DirID(st)
                if seen.contains(id) {
                    result.skipped.append(InputError(path: path, message: "directory loop (already visited)"))
                    continue
                }
                seen.insert(id)
                walk(path, &result, &seen)
                seen.remove(id)
            case S_IFREG:
                if wanted(path: path, name: name) { result.inputs.append(path) }
            default:
                result.skipped.append(InputError(path: path, message: "not a regular file (FIFO, socket or device); name it explicitly to read it"))
            }
        }
    }

    func wanted(path: String, name: String) -> Bool {
        func matches(_ pattern: String) -> Bool {
            fnmatch(pattern, path, 0) == 0 || fnmatch(pattern, name, 0) == 0
        }
        if !include.isEmpty && !include.contains(where: matches) { return false }
        if exclude.contains(where: matches) { return false }
        return true
    }
}
