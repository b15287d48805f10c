import Foundation
import WorthEngine

/// Flags saved beside the data file (`<file>.worth-flags.csv`), so a person who flags rows,
/// quits and comes back finds them flagged again.
///
/// The file is keyed by 1-based data-row number and carries a fingerprint of the data file:
/// flags saved for another version of the file are not applied to this one.
public struct FlagStore: Sendable {
    /// Where the flags live.
    public let path: String
    /// Fingerprint of the data file the flags belong to.
    public let fingerprint: String

    /// The store for the data file at `dataPath` whose bytes have `fingerprint`.
    public init(dataPath: String, fingerprint: String) {
        self.path = dataPath + ".worth-flags.csv"
        self.fingerprint = fingerprint
    }

    /// What loading found.
    public enum Loaded: Sendable, Equatable {
        /// No flags were saved for this file.
        case none
        /// The saved flags (data-row numbers).
        case flags(Set<Int>)
        /// Flags were saved for a different version of the file; they are not applied.
        case stale
    }

    /// Reads the saved flags; an unreadable or foreign file counts as `.stale`.
    public func load() -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else { return .none }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let first = lines.first, first == "# worth flags, fingerprint \(fingerprint)" else { return .stale }
        var rows = Set<Int>()
        for line in lines.dropFirst(2) {
            guard let r = Int(line.trimmingCharacters(in: .whitespaces)), r > 0 else { return .stale }
            rows.insert(r)
        }
        return .flags(rows)
    }

    /// Saves `flags` atomically (an empty set still writes the file, so unflagging sticks).
    public func save(_ flags: Set<Int>) throws {
        var text = "# worth flags, fingerprint \(fingerprint)\nrow\n"
        for r in flags.sorted() { text += "\(r)\n" }
        try AtomicFile.write(text, to: path)
    }
}
