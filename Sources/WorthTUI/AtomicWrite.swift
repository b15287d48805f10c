import Foundation

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
/// reader (or a crash halfway) only ever sees the old file or the complete new one.
func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try Data(text.utf8).write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: String(cString: strerror(code)))
        }
    } catch let error as WriteError {
        throw error
    } catch {
        throw WriteError(path: path, reason: (error as NSError).localizedDescription)
    }
}

/// A file could not be written; shown as one line in the status bar.
struct WriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}
