import Foundation
import WorthEngine

/// What a person has marked in a data file: rows flagged (to drop) and rows relabeled (to keep
/// with another label). Both are keyed by 1-based data-row number.
struct Marks: Sendable, Equatable {
    var flags: Set<Int> = []
    /// Relabeled rows and their new labels, as the class names are written in the file.
    var relabels: [Int: String] = [:]

    /// Whether nothing is marked.
    var isEmpty: Bool { flags.isEmpty && relabels.isEmpty }
}

/// Flags and relabels saved beside the data file (`<file>.worth-flags.csv`), so a person who
/// marks rows, quits and comes back finds them marked again.
///
/// The file is keyed by 1-based data-row number and carries a fingerprint of the data file:
/// marks saved for another version of the file are not applied to this one. Without relabels
/// it is a list of flagged rows (as every worth before relabels wrote it, so they read it too):
///
///     # worth flags, fingerprint 0123456789abcdef
///     row
///     12
///     40
///
/// With relabels, one line per marked row, whether it is flagged, and its new label (empty
/// when it keeps its own; quoted as in a CSV file when it holds a comma, a quote or a line end):
///
///     # worth flags, fingerprint 0123456789abcdef
///     row,flagged,new_label
///     12,1,
///     31,0,benign
struct FlagStore: Sendable {
    /// Where the marks live.
    let path: String
    /// The data file they belong to (locked while the marks are read and rewritten).
    let dataPath: String
    /// Fingerprint of the data file the marks belong to.
    let fingerprint: String
    /// Data rows in the data file: saved rows outside `1...rowCount` are ignored.
    let rowCount: Int

    /// The store beside the data file at `dataPath`, whose bytes have `fingerprint` and which
    /// holds `rowCount` data rows.
    init(dataPath: String, fingerprint: String, rowCount: Int) {
        self.init(path: Self.path(besideData: dataPath), dataPath: dataPath, fingerprint: fingerprint, rowCount: rowCount)
    }

    /// Where the marks of the data file at `dataPath` are kept and looked for.
    static func path(besideData dataPath: String) -> String { dataPath + ".worth-flags.csv" }

    private init(path: String, dataPath: String, fingerprint: String, rowCount: Int) {
        self.path = path
        self.dataPath = dataPath
        self.fingerprint = fingerprint
        self.rowCount = rowCount
    }

    /// The same data file's marks kept at `path` instead (when the place beside the data
    /// cannot be written).
    func moved(to path: String) -> FlagStore {
        FlagStore(path: path, dataPath: dataPath, fingerprint: fingerprint, rowCount: rowCount)
    }

    /// What loading found.
    enum Loaded: Sendable, Equatable {
        /// No marks were saved for this file.
        case none
        /// The saved marks, and the saved rows that are not in the file (outside
        /// `1...rowCount`), which are left out.
        case marks(Marks, ignored: [Int])
        /// Marks were saved for a different version of the file; they are not applied.
        case stale
        /// There is something at `path` that is not a flags file: why, in a few words.
        case unreadable(String)

        /// Only flags saved (a shorthand for tests and messages).
        static func flags(_ rows: Set<Int>, ignored: [Int]) -> Loaded { .marks(Marks(flags: rows), ignored: ignored) }
    }

    private static let headerPrefix = "# worth flags, fingerprint "
    private static let relabelHeader = "row,flagged,new_label"

    /// Reads the saved marks.
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
        let second = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespaces) : ""
        if second == Self.relabelHeader { return loadRelabels(text) }
        guard second == "row" else { return .unreadable("line 2 is not 'row' or '\(Self.relabelHeader)'") }
        var marks = Marks()
        var ignored: [Int] = []
        for (k, line) in lines.enumerated().dropFirst(2) {
            let cell = line.trimmingCharacters(in: .whitespaces)
            if cell.isEmpty { continue }
            guard let r = Int(cell) else { return .unreadable("line \(k + 1), '\(cell.prefix(20))', is not a row number") }
            if r >= 1 && r <= rowCount { marks.flags.insert(r) } else { ignored.append(r) }
        }
        return .marks(marks, ignored: ignored.sorted())
    }

    /// Reads the lines after the fingerprint as CSV (the reader counts the lines as in the file).
    private func loadRelabels(_ text: String) -> Loaded {
        let body = "\n" + text[text.index(after: text.firstIndex(where: \.isNewline)!)...]
        let table: CSVTable
        do { table = try CSVReader.parse(body, file: path) } catch let e as InputError {
            if e.message.hasPrefix("has a header but no data rows") { return .marks(Marks(), ignored: []) }
            return .unreadable((e.line.map { "line \($0): " } ?? "") + e.message)
        } catch {
            return .unreadable("\(error)")
        }
        var marks = Marks()
        var ignored: [Int] = []
        for (k, cells) in table.records.enumerated() {
            let line = table.lineNumbers[k]
            guard let r = Int(cells[0]) else { return .unreadable("line \(line), '\(cells[0].prefix(20))', is not a row number") }
            guard cells[1] == "0" || cells[1] == "1" else { return .unreadable("line \(line): 'flagged' is not 0 or 1") }
            guard r >= 1 && r <= rowCount else { ignored.append(r); continue }
            if cells[1] == "1" { marks.flags.insert(r) }
            if !cells[2].isEmpty { marks.relabels[r] = cells[2] }
        }
        return .marks(marks, ignored: ignored.sorted())
    }

    /// Saves `marks` atomically (nothing marked still writes the file, so unmarking sticks).
    func save(_ marks: Marks) throws {
        var text = Self.headerPrefix + fingerprint + "\n"
        if marks.relabels.isEmpty {
            text += "row\n"
            for r in marks.flags.sorted() { text += "\(r)\n" }
        } else {
            text += Self.relabelHeader + "\n"
            for r in marks.flags.union(marks.relabels.keys).sorted() {
                text += "\(r),\(marks.flags.contains(r) ? 1 : 0),\(CSVText.field(marks.relabels[r] ?? "", delimiter: ","))\n"
            }
        }
        try AtomicFile.write(text, to: path)
    }

    /// Saves flags only.
    func save(_ flags: Set<Int>) throws { try save(Marks(flags: flags)) }

    /// What `update` wrote.
    struct Update: Sendable, Equatable {
        /// The marks now in the file.
        var marks: Marks
        /// Where a stale or unreadable file found at `path` was moved before writing, if any.
        var setAside: String?
    }

    /// Reads what is on disk, lets `merge` decide the marks to keep, and writes them, with the
    /// data file locked (`flock`) so two workbenches never interleave a read and a write. A
    /// stale or unreadable regular file at `path` is first moved aside (`path.stale`,
    /// `path.unreadable`, numbered if taken), never overwritten.
    func update(_ merge: (Loaded) -> Marks) throws -> Update {
        let lock = Self.lock(dataPath)
        defer { Self.unlock(lock) }
        let loaded = load()
        var setAside: String?
        switch loaded {
        case .stale: setAside = try moveAside(suffix: "stale")
        case .unreadable: setAside = try moveAside(suffix: "unreadable")
        case .none, .marks: break
        }
        let marks = merge(loaded)
        try save(marks)
        return Update(marks: marks, setAside: setAside)
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
