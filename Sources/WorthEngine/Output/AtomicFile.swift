import Foundation

/// Writes files so that a reader never sees half of one and a crash never destroys the old one:
/// the text goes to a temporary file in the same directory, which is then renamed over the
/// destination (an atomic step on POSIX file systems).
public enum AtomicFile {
    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw InputError(file: path, "cannot write here (does the directory exist, is it writable?)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, "cannot write: \(reason)")
        }
    }
}
