import Foundation
import WorthEngine

/// Flags saved beside the data file (`<file>.worth-flags.csv`), so a person who flags rows,
/// quits and comes back finds them flagged again.
///
/// The file is keyed by 1-based data-row number and carries a fingerprint of the data file:
/// flags saved for another version of the file are not applied to this one. Format:
///
///     # worth flags, fingerprint 0123456789abcdef
///     row
///     12
///     40
struct FlagStore: Sendable {
    /// Where the flags live.
    let path: String
    /// The data file they belong to (locked while the flags are read and rewritten).
    let dataPath: String
    /// Fingerprint of the data file the flags belong to.
    let fingerprint: String
    /// Data rows in the data file: saved rows outside `1...rowCount` are ignored.
    let rowCount: Int

    /// The store beside the data file at `dataPath`, whose bytes have `fingerprint` and which
    /// holds `rowCount` data rows.
    init(dataPath: String, fingerprint: String, rowCount: Int) {
        self.init(path: Self.path(besideData: dataPath), dataPath: dataPath, fingerprint: fingerprint, rowCount: rowCount)
    }

    /// Where the flags of the data file at `dataPath` are kept and looked for.
    static func path(besideData dataPath: String) -> String { dataPath + ".worth-flags.csv" }

    private init(path: String, dataPath: String, fingerprint: String, rowCount: Int) {
        self.path = path
        self.dataPath = dataPath
        self.fingerprint = fingerprint
        self.rowCount = rowCount
    }

    /// The same data file's flags kept at `path` instead (when the place beside the data
    /// cannot be written).
    func moved(to path: String) -> FlagStore {
        FlagStore(path: path, dataPath: dataPath, fingerprint: fingerprint, rowCount: rowCount)
    }

    /// What loading found.
    enum Loaded: Sendable, Equatable {
        /// No flags were saved for this file.
        case none
        /// The saved flags (data-row numbers), and the saved rows that are not in the file
        /// (outside `1...rowCount`), which are left out.
        case flags(Set<Int>, ignored: [Int])
        /// Flags were saved for a different version of the file; they are not applied.
        case stale
        /// There is something at `path` that is not a flags file: why, in a few words.
        case unreadable(String)
    }

    private static let headerPrefix = "# worth flags, fingerprint "

    /// Reads the saved flags.
    func load() -> Loaded {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .none }
        guard !isDirectory.boolValue else { return .unreadable("it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("it cannot be read") }
        guard let text = String(validating: data, as: UTF8.self) else { return .unreadable("it is not text") }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let first = lines.first, first.hasPrefix(Self.headerPrefix) else {
            return .unreadable("line 1 is not '\(Self.headerPrefix)…'")
        }
        guard first.dropFirst(Self.headerPrefix.count).trimmingCharacters(in: .whitespaces) == fingerprint else { return .stale }
        guard lines.count > 1, lines[1].trimmingCharacters(in: .whitespaces) == "row" else { return .unreadable("line 2 is not 'row'") }
        var rows = Set<Int>()
        var ignored: [Int] = []
        for (k, line) in lines.enumerated().dropFirst(2) {
            let cell = line.trimmingCharacters(in: .whitespaces)
            if cell.isEmpty { continue }
            guard let r = Int(cell) else { return .unreadable("line \(k + 1), '\(cell.prefix(20))', is not a row number") }
            if r >= 1 && r <= rowCount { rows.insert(r) } else { ignored.append(r) }
        }
        return .flags(rows, ignored: ignored.sorted())
    }

    /// Saves `flags` atomically (an empty set still writes the file, so unflagging sticks).
    func save(_ flags: Set<Int>) throws {
        var text = Self.headerPrefix + fingerprint + "\nrow\n"
        for r in flags.sorted() { text += "\(r)\n" }
        try AtomicFile.write(text, to: path)
    }

    /// What `update` wrote.
    struct Update: Sendable, Equatable {
        /// The flags now in the file.
        var flags: Set<Int>
        /// Where a stale or unreadable file found at `path` was moved before writing, if any.
        var setAside: String?
    }

    /// Reads what is on disk, lets `merge` decide the flags to keep, and writes them, with the
    /// data file locked (`flock`) so two workbenches never interleave a read and a write. A
    /// stale or unreadable regular file at `path` is first moved aside (`path.stale`,
    /// `path.unreadable`, numbered if taken), never overwritten.
    func update(_ merge: (Loaded) -> Set<Int>) throws -> Update {
        let lock = Self.lock(dataPath)
        defer { Self.unlock(lock) }
        let loaded = load()
        var setAside: String?
        switch loaded {
        case .stale: setAside = try moveAside(suffix: "stale")
        case .unreadable: setAside = try moveAside(suffix: "unreadable")
        case .none, .flags: break
        }
        let flags = merge(loaded)
        try save(flags)
        return Update(flags: flags, setAside: setAside)
    }

    /// Renames the regular file at `path` to a free `path.suffix[.N]`; nil when `path` is not
    /// a regular file (a directory stays where it is, and the save then fails saying so).
    private func moveAside(suffix: String) throws -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        for n in 1...1000 {
            let target = path + "." + suffix + (n == 1 ? "" : ".\(n)")
            guard !FileManager.default.fileExists(atPath: target) else { continue }
            guard rename(path, target) == 0 else {
                throw InputError(file: path, "cannot move the old flags file aside: \(String(cString: strerror(errno)))")
            }
            return target
        }
        throw InputError(file: path, "cannot move the old flags file aside: \(path).\(suffix).* are all taken")
    }

    /// An exclusive `flock` on `path` (a descriptor to pass to `unlock`), or -1 when it cannot
    /// be had within 0.2 s: the holder is another workbench writing a few lines, and the key
    /// loop must not wait longer than that.
    private static func lock(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return -1 }
        for _ in 0..<100 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return fd }
            usleep(2000)
        }
        close(fd)
        return -1
    }

    private static func unlock(_ fd: Int32) {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
}
