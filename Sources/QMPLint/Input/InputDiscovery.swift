#if canImport(Glibc)
import Glibc
#endif

/// Turns command-line paths into the ordered list of inputs: files as given, directories walked
/// recursively in sorted order, `-` for standard input. Each file is read once, however many
/// paths lead to it (a file named twice, hard links, a fan of symbolic links).
///
/// A walk passes over hidden entries (names starting with `.`, unless `includeHidden`), binary
/// files (a NUL byte among the first bytes, as ripgrep tells them), reports qmp-lint wrote
/// (recognised by their first bytes) and the files this run writes (`outputs`): a second run
/// over a folder holding the first one's reports checks the same logs.
public struct InputDiscovery: Sendable {
    public struct Result: Sendable {
        /// Inputs to read, in report order, as the file system names them.
        public var names: [InputName] = []
        /// The inputs as text (`InputName.path`).
        public var inputs: [String] { names.map(\.path) }
        /// Paths that could not be listed or opened (each still reported, exit status 2).
        public var errors: [InputError] = []
        /// Entries passed over on purpose (FIFOs, sockets and devices met in a walk, symlink
        /// loops, binary files, reports, this run's outputs, files reached twice), each with the
        /// reason; reported as notes, never silently. Hidden entries are passed over silently.
        public var skipped: [InputError] = []
    }

    /// Follow symbolic links to directories met during a walk (links named on the command line
    /// are always followed). Loops are detected and reported.
    public var followLinks = false
    /// Glob patterns (fnmatch, matched against the path and its last component) a walked file
    /// must match, when not empty; explicitly named files are always read.
    public var include: [String] = []
    public var exclude: [String] = []
    /// Walk hidden files and folders too (`--hidden`); named ones are always read.
    public var includeHidden = false
    /// Files this run writes (`-o`, `--report`, `--write-baseline`): never read as inputs.
    public var outputs: [String] = []

    public init(followLinks: Bool = false, include: [String] = [], exclude: [String] = [],
                includeHidden: Bool = false, outputs: [String] = []) {
        self.followLinks = followLinks; self.include = include; self.exclude = exclude
        self.includeHidden = includeHidden; self.outputs = outputs
    }

    /// Discovers command-line arguments (a name that is not UTF-8 is taken back as bytes from
    /// the process's arguments: see `InputName.fromArguments`).
    public func discover(_ paths: [String]) -> Result {
        discover(names: InputName.fromArguments(paths))
    }

    public func discover(names paths: [InputName]) -> Result {
        var walk = Walk(options: self)
        for output in outputs {
            var st = stat()
            if stat(output, &st) == 0 { walk.outputs.insert(FileID(st)) }
        }
        for path in paths {
            if path.isStandardInput {
                if !walk.stdinSeen { walk.result.names.append(path) }
                walk.stdinSeen = true
                continue
            }
            var st = stat()
            if path.withCString({ stat($0, &st) }) != 0 {
                walk.result.errors.append(InputError(path: path.path, message: "cannot open: \(errnoMessage())"))
                continue
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                let id = FileID(st)
                if let earlier = walk.walked[id] {
                    walk.skip(path, "same directory as \(DisplayText.escaped(earlier.path)) (walked once)")
                    continue
                }
                walk.walked[id] = path
                var seen: Set<FileID> = [id]
                walk.walk(path, &seen)
            } else {
                walk.add(path, st, walked: false)
            }
        }
        walk.reportDuplicates()
        return walk.result
    }

    /// A file's identity: the same (device, inode) is the same file, whatever the path.
    struct FileID: Hashable {
        var dev: UInt64
        var ino: UInt64
        init(_ st: stat) { dev = UInt64(st.st_dev); ino = UInt64(st.st_ino) }
    }

    private struct Walk {
        let options: InputDiscovery
        var result = Result()
        var outputs: Set<FileID> = []
        var stdinSeen = false
        /// Index in `result.names` of the first path to each file.
        var first: [FileID: Int] = [:]
        /// Per first path: how many more paths led to the same file, and the first of them.
        var duplicates: [Int: (count: Int, example: InputName)] = [:]
        /// Directories walked, each once (a fan of links to one directory is walked once).
        var walked: [FileID: InputName] = [:]

        init(options: InputDiscovery) { self.options = options }

        mutating func skip(_ path: InputName, _ reason: String) {
            result.skipped.append(InputError(path: path.path, message: reason))
        }

        mutating func add(_ path: InputName, _ st: stat, walked: Bool) {
            let id = FileID(st)
            if outputs.contains(id) {
                skip(path, "this run writes its report there")
                return
            }
            if let i = first[id] {
                duplicates[i, default: (0, path)].count += 1
                return
            }
            if walked && st.st_mode & S_IFMT == S_IFREG, let sniff = InputFile.sniffRegularFile(path) {
                if let at = sniff.binaryAt {
                    skip(path, "binary file (a NUL byte at byte \(at)); name it to check it")
                    return
                }
                if let format = sniff.report {
                    skip(path, "a qmp-lint \(format) report; name it to check it")
                    return
                }
            }
            first[id] = result.names.count
            result.names.append(path)
        }

        /// One note per file reached by several paths.
        mutating func reportDuplicates() {
            for (i, d) in duplicates.sorted(by: { $0.key < $1.key }) {
                let original = result.names[i].path
                if d.count == 1 {
                    skip(d.example, "same file as \(DisplayText.escaped(original)) (checked once)")
                } else {
                    let example = DisplayText.escaped(d.example.path)
                    skip(result.names[i], "\(d.count) more paths lead to this file (e.g. \(example)); checked once")
                }
            }
        }

        mutating func walk(_ dir: InputName, _ seen: inout Set<FileID>) {
            guard let d = dir.withCString({ opendir($0) }) else {
                result.errors.append(InputError(path: dir.path, message: "cannot list directory: \(errnoMessage())"))
                return
            }
            var names: [[UInt8]] = []
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                if name.first == 0x2E && !options.includeHidden { continue }
                names.append(name)
            }
            closedir(d)
            names.sort { $0.lexicographicallyPrecedes($1) }
            for name in names {
                let path = dir.appending(name)
                var lst = stat()
                if path.withCString({ lstat($0, &lst) }) != 0 {
                    result.errors.append(InputError(path: path.path, message: "cannot stat: \(errnoMessage())"))
                    continue
                }
                var st = lst
                let isLink = lst.st_mode & S_IFMT == S_IFLNK
                if isLink {
                    if path.withCString({ stat($0, &st) }) != 0 {
                        skip(path, "broken symbolic link")
                        continue
                    }
                    if st.st_mode & S_IFMT == S_IFDIR && !options.followLinks {
                        skip(path, "symbolic link to a directory (use --follow)")
                        continue
                    }
                }
                switch st.st_mode & S_IFMT {
                case S_IFDIR:
                    let id = FileID(st)
                    if seen.contains(id) {
                        skip(path, "directory loop (already visited)")
                        continue
                    }
                    if let earlier = walked[id] {
                        skip(path, "same directory as \(DisplayText.escaped(earlier.path)) (walked once)")
                        continue
                    }
                    walked[id] = path
                    seen.insert(id)
                    walk(path, &seen)
                    seen.remove(id)
                case S_IFREG:
                    if options.wanted(path: path, name: name) { add(path, st, walked: true) }
                default:
                    skip(path, "not a regular file (FIFO, socket or device); name it explicitly to read it")
                }
            }
        }
    }

    func wanted(path: InputName, name: [UInt8]) -> Bool {
        let leaf = InputName(bytes: name)
        func matches(_ pattern: String) -> Bool {
            path.withCString { fnmatch(pattern, $0, 0) == 0 } || leaf.withCString { fnmatch(pattern, $0, 0) == 0 }
        }
        if !include.isEmpty && !include.contains(where: matches) { return false }
        if exclude.contains(where: matches) { return false }
        return true
    }
}
