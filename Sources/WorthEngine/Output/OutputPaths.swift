/// The checks a program runs on its output paths before doing any work: each can be written
/// (`AtomicFile.checkWritable`), none is one of the inputs, and no two are the same file.
///
/// Files are compared by device and inode with links followed, so a symbolic link to the data
/// file, a hard link to it or `./data.csv` for `data.csv` is caught as well as the same
/// spelling. Only regular files are compared: writing to a device or a pipe (`/dev/null`,
/// `/dev/stdout`) destroys nothing, whatever else names it.
public enum OutputPaths {
    /// A path and what it is to the user, for messages: `--out`, `the data file`.
    public struct Named: Sendable {
        public var role: String
        public var path: String

        public init(_ role: String, _ path: String) {
            self.role = role
            self.path = path
        }
    }

    /// Throws an `InputError` when an output cannot be written, would overwrite an input, or
    /// is the same file as another output. `allowed` lists (output role, input role) pairs that
    /// may be one file: an input read whole before the output is first written and superseded
    /// by it (a checkpoint saved over the state it resumes).
    public static func check(outputs: [Named], inputs: [Named], allowed: [(output: String, input: String)] = []) throws {
        for output in outputs { try AtomicFile.checkWritable(output.path) }
        func regularFile(_ path: String) -> FileStatus? {
            FileStatus(following: path).flatMap { $0.type == .regular ? $0 : nil }
        }
        let inputFiles = inputs.map { ($0, regularFile($0.path)) }
        var earlier: [(Named, FileStatus)] = []
        for output in outputs {
            guard let file = regularFile(output.path) else { continue }
            for case let (input, inputFile?) in inputFiles where inputFile.device == file.device && inputFile.inode == file.inode {
                if allowed.contains(where: { $0.output == output.role && $0.input == input.role }) { continue }
                throw InputError("\(output.role) \(output.path) is \(input.role) \(input.path)\(sameFileNote(output.path, input.path)); worth never overwrites an input, choose another path")
            }
            if let (other, _) = earlier.first(where: { $0.1.device == file.device && $0.1.inode == file.inode }) {
                throw InputError("\(output.role) \(output.path) and \(other.role) \(other.path) are the same file\(sameFileNote(output.path, other.path)); give each output its own path")
            }
            earlier.append((output, file))
        }
    }

    private static func sameFileNote(_ a: String, _ b: String) -> String {
        a == b ? "" : " (the same file under another name)"
    }
}
