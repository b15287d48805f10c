import Foundation
import WorthEngine

/// A file the Open screen offers.
struct FileEntry: Sendable, Equatable {
    /// As listed: a bundled sample by its file name, another file relative to the working
    /// directory when inside it.
    var name: String
    var path: String
    var note: String
    /// Whether it is one of the samples installed with worth (opened from a copy).
    var bundled = false

    /// The path with `.`/`..` and symbolic links resolved, to tell whether two entries are one file.
    var identity: String { Self.identity(of: path) }

    static func identity(of path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The bundled samples (from `samplesDirectory`, else where `findSamples` finds them),
    /// then the CSV files of `workingDirectory`.
    static func discover(samplesDirectory: String?, workingDirectory: String) -> [FileEntry] {
        var entries: [FileEntry] = []
        var seen = Set<String>()
        func add(_ directory: String, note: String, bundled: Bool) {
            for name in PathCompletion.csvFiles(in: directory) {
                let path = (directory as NSString).appendingPathComponent(name)
                guard seen.insert(identity(of: path)).inserted else { continue }
                let display = bundled ? name
                    : path.hasPrefix(workingDirectory + "/") ? String(path.dropFirst(workingDirectory.count + 1)) : path
                entries.append(FileEntry(name: display, path: path, note: note, bundled: bundled))
            }
        }
        if let samples = samplesDirectory ?? findSamples(workingDirectory: workingDirectory),
           identity(of: samples) != identity(of: workingDirectory) {
            add(samples, note: "bundled sample (opened from a copy here)", bundled: true)
        }
        add(workingDirectory, note: "in this directory", bundled: false)
        return entries
    }

    /// The `Samples` directory: `$WORTH_SAMPLES`, or one beside the executable or an ancestor
    /// of it (a build tree), or in the working directory.
    static func findSamples(workingDirectory: String) -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["WORTH_SAMPLES"], fm.fileExists(atPath: env) { return env }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("Samples").path
            if fm.fileExists(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let local = (workingDirectory as NSString).appendingPathComponent("Samples")
        return fm.fileExists(atPath: local) ? local : nil
    }

    /// Where a bundled sample is opened from: a copy in `directory` (made now, atomically,
    /// unless the same bytes are already there), so its flags and exports are written there
    /// and never beside the installed file. A different file of that name is left alone and
    /// the copy gets a free name (`iris-1.csv`). Returns the copy's path and what was done.
    static func copyOfSample(_ path: String, into directory: String) throws -> (path: String, note: String?) {
        let fm = FileManager.default
        guard let bytes = fm.contents(atPath: path) else { throw CocoaError(.fileReadNoPermission) }
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent, ext = url.pathExtension
        for n in 0..<100 {
            let name = n == 0 ? url.lastPathComponent : "\(stem)-\(n).\(ext)"
            let target = (directory as NSString).appendingPathComponent(name)
            if let existing = fm.contents(atPath: target) {
                if existing == bytes { return (target, nil) }
                continue
            }
            try AtomicFile.write(bytes, to: target)
            return (target, "copied the bundled sample to \(target): flags and exports go beside it")
        }
        throw CocoaError(.fileWriteFileExists)
    }
}
