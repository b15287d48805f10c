import Foundation
import WorthEngine

/// The open file's flags as this workbench sees them, and whether they are on disk.
///
/// Every change is saved at once. A save applies this session's own changes since it last read
/// or wrote the flags file (rows flagged, rows unflagged) to what the file holds then, so two
/// workbenches on one file keep each other's flags instead of overwriting them. A failed save
/// leaves the flags here, marked unsaved with the reason, and the next save retries them all.
struct FlagSession {
    /// Where the flags are saved.
    private(set) var store: FlagStore
    /// The flagged data rows (1-based), as shown.
    private(set) var flags: Set<Int>
    /// The flags as this session last read them from the file or wrote them to it.
    private var base: Set<Int>
    /// Why the last save failed; nil while the flags shown are the flags on disk.
    private(set) var saveFailure: String?

    /// What one save did.
    enum SaveOutcome: Equatable {
        /// Written; `merged` flags differ from this session's because another workbench
        /// changed them; `setAside` is where an unreadable or stale file was moved.
        case saved(merged: Int, setAside: String?)
        /// Not written: why.
        case failed(String)
    }

    /// Opens the flags saved for `store`'s data file; `note` says what was restored, or why
    /// nothing was (nil when no flags were saved).
    static func open(_ store: FlagStore) -> (session: FlagSession, note: (text: String, style: Style)?) {
        let loaded = store.load()
        var restored = Set<Int>()
        let name = store.path
        let note: (text: String, style: Style)?
        switch loaded {
        case .none:
            note = nil
        case .flags(let saved, let ignored):
            restored = saved
            var text = "restored \(saved.count) flagged row\(saved.count == 1 ? "" : "s") from \(name)"
            if let first = ignored.first {
                text += "; ignored \(ignored.count) saved row\(ignored.count == 1 ? "" : "s") outside the file's \(store.rowCount) (row \(first)"
                    + (ignored.count > 1 ? ", …)" : ")")
            }
            note = (text, ignored.isEmpty ? .good : .warn)
        case .stale:
            note = ("\(name) was saved for another version of this file: flags not restored (the next save moves it aside)", .warn)
        case .unreadable(let why):
            note = ("unreadable flags file \(name): \(why); flags not restored (the next save moves it aside)", .warn)
        }
        return (FlagSession(store: store, flags: restored), note)
    }

    private init(store: FlagStore, flags: Set<Int>) {
        self.store = store
        self.flags = flags
        self.base = flags
    }

    /// Whether the flags shown are the flags on disk.
    var isSaved: Bool { saveFailure == nil }

    /// Flags (`on`) or unflags `rows`; call `save()` after.
    mutating func set(_ rows: some Sequence<Int>, on: Bool) {
        if on { flags.formUnion(rows) } else { flags.subtract(rows) }
    }

    /// Unflags every row; call `save()` after.
    mutating func removeAll() { flags.removeAll() }

    /// Writes the flags: this session's changes applied to what the file holds now (or this
    /// session's flags as they are when the file holds none for this version of the data).
    mutating func save() -> SaveOutcome {
        let added = flags.subtracting(base), removed = base.subtracting(flags), mine = flags
        do {
            let update = try store.update { onDisk in
                guard case .flags(let saved, _) = onDisk else { return mine }
                return saved.union(added).subtracting(removed)
            }
            let merged = update.flags.symmetricDifference(flags).count
            flags = update.flags
            base = update.flags
            saveFailure = nil
            return .saved(merged: merged, setAside: update.setAside)
        } catch {
            saveFailure = EngineMessages.describe(error)
            return .failed(saveFailure!)
        }
    }

    /// Saves the flags to `path` from now on (when the place beside the data cannot be
    /// written). Refuses a path that holds anything but this data file's flags.
    mutating func save(to path: String) -> SaveOutcome {
        let target = store.moved(to: path)
        switch target.load() {
        case .none, .flags: break
        case .stale, .unreadable:
            return .failed("\(path) exists and is not a flags file of this data; choose another path")
        }
        let previous = store
        store = target
        let outcome = save()
        if case .failed = outcome { store = previous }
        return outcome
    }

    /// The status line after `action` (e.g. "flagged 12 rows") and the save that followed it;
    /// nil when there is nothing to say. A failed save always says so, first (the reason must
    /// show on an 80-column line), whatever the action.
    static func message(_ outcome: SaveOutcome, after action: String?, wasSaved: Bool, path: String) -> (text: String, style: Style)? {
        switch outcome {
        case .failed(let reason):
            return ("flags NOT SAVED: \(reason)" + (action.map { " (\($0))" } ?? ""), .error)
        case .saved(let merged, let setAside):
            var parts = action.map { [$0] } ?? []
            if !wasSaved { parts.append("flags saved to \(path)") }
            if merged > 0 { parts.append("\(merged) flag\(merged == 1 ? "" : "s") changed by another workbench merged in") }
            if let setAside { parts.append("the old flags file is kept as \(setAside)") }
            return parts.isEmpty ? nil : (parts.joined(separator: "; "), merged > 0 || setAside != nil ? .warn : .good)
        }
    }

    /// For stderr after the terminal is given back, when flags are lost on the way out: the
    /// rows, so they can be flagged again. Nil when the flags are saved.
    var lostFlagsNote: String? {
        guard let saveFailure else { return nil }
        let rows = flags.sorted().map(String.init).joined(separator: " ")
        return "worth: \(flags.count) flags of \(store.dataPath) were not saved (\(saveFailure)); flagged rows: \(rows.isEmpty ? "none" : rows)"
            .escapingControlCharacters
    }
}
