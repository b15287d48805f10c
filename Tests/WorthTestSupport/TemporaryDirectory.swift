import Foundation

/// A fresh directory under the system's temporary directory, removed with everything in it
/// when the value is dropped (or by `remove()`).
public final class TemporaryDirectory: Sendable {
    /// Its path.
    public let path: String

    /// Creates it, named `prefix` and a random suffix.
    public init(prefix: String = "worth-tests") {
        path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside it.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` (UTF-8) to `name` inside it and returns the file's path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        let path = file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Removes it now.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { remove() }
}
