import Foundation

/// The saved runs of one data file, kept beside it in the folder `<file>.worth-runs/`, one
/// file per run (`<id>.json`, see `SavedRun`), so a run of the workbench or of `worth value
/// --save-run` is listed again when the file is reopened, without running it again.
///
/// One file per run keeps every write small and independent: a run is written once, when it
/// ends, atomically (`AtomicFile`); two workbenches on one file never write the same run, and
/// deleting one run is removing its file. A file that cannot be read is listed as such (one
/// line), never a crash, and never overwritten.
public struct RunStore: Sendable {
    /// The folder.
    public let directory: String

    /// The store of the data file at `dataPath`.
    public init(dataPath: String) {
        directory = Self.directory(besideData: dataPath)
    }

    /// The store in `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Where the runs of the data file at `dataPath` are kept.
    public static func directory(besideData dataPath: String) -> String { dataPath + ".worth-runs" }

    /// What the store holds, one entry per run file.
    public enum Entry: Sendable {
        /// A run read and checked.
        case run(SavedRun, path: String)
        /// A file that is not a readable run: its path and the one-line reason.
        case unreadable(path: String, reason: String)
    }

    /// Every run file, oldest first (by start time, then id). No folder: no runs. Something
    /// at the folder's place that is not a folder is one unreadable entry.
    public func list() -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [.unreadable(path: directory, reason: "\(directory): is not a folder")] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            return [.unreadable(path: directory, reason: "\(directory): cannot be listed (check its permissions)")]
        }
        var runs: [(SavedRun, String)] = []
        var unreadable: [Entry] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = directory + "/" + name
            do { runs.append((try Self.load(path: path), path)) } catch {
                unreadable.append(.unreadable(path: path, reason: (error as? InputError)?.description ?? "\(path): \(error)"))
            }
        }
        runs.sort { ($0.0.created, $0.0.id) < ($1.0.created, $1.0.id) }
        return runs.map { Entry.run($0.0, path: $0.1) } + unreadable
    }

    /// Reads and checks the run file at `path`.
    public static func load(path: String) throws -> SavedRun {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot be read") }
        let run = try SavedRun.decode(data, name: path)
        guard lastPart(of: path) == run.id + ".json" else {
            throw InputError(file: path, "damaged run file: it holds run \(run.id.prefix(60)), not the one its name says")
        }
        return run
    }

    /// The path run `id` is saved at.
    public func path(of id: String) -> String { directory + "/" + id + ".json" }

    /// Saves `run` atomically, making the folder first if there is none; returns the path.
    @discardableResult
    public func save(_ run: SavedRun) throws -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard mkdir(directory, 0o777) == 0 || errno == EEXIST else {
                throw AtomicFile.failure(directory, "cannot make the runs folder", errno)
            }
        } else if !isDirectory.boolValue {
            throw InputError(file: directory, "is not a folder, so runs cannot be saved in it (move it away)")
        }
        let path = path(of: run.id)
        try AtomicFile.write(try run.encoded(), to: path)
        return path
    }

    /// Removes run `id`'s file (nothing when there is none).
    public func delete(id: String) throws {
        let path = path(of: id)
        guard unlink(path) == 0 || errno == ENOENT else { throw AtomicFile.failure(path, "cannot remove the run", errno) }
    }
}

extension MissingPolicy: Codable {}
