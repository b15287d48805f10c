import Foundation

/// Tab completion of a typed path, as a shell does it: the longest common prefix of the
/// matching names, a `/` after a unique directory.
enum PathCompletion {
    /// Completes `typed`, resolving relative paths against `directory`.
    static func complete(_ typed: String, in directory: String) -> String {
        let expanded = typed.hasPrefix("~") ? NSString(string: typed).expandingTildeInPath : typed
        let slash = expanded.lastIndex(of: "/")
        let dirPart = slash.map { String(expanded[...$0]) } ?? ""
        let namePart = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
        let base = dirPart.hasPrefix("/") ? dirPart : (directory as NSString).appendingPathComponent(dirPart)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base.isEmpty ? "." : base) else { return typed }
        let matches = names.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        guard let first = matches.first else { return typed }
        var common = first
        for m in matches.dropFirst() {
            while !m.hasPrefix(common) { common.removeLast() }
        }
        var result = dirPart + common
        if matches.count == 1 {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: (base as NSString).appendingPathComponent(common), isDirectory: &isDir), isDir.boolValue {
                result += "/"
            }
        }
        return typed.hasPrefix("~") && !dirPart.isEmpty ? typed : result
    }

    /// The CSV files of `directory`, sorted by name.
    static func csvFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.lowercased().hasSuffix(".csv") && !$0.hasSuffix(".worth-flags.csv") && !$0.hasPrefix(".") }.sorted()
    }
}
