import Foundation
import WorthEngine

/// The open file's flags and relabels as this workbench sees them, and whether they are on disk.
///
/// Every change is saved at once. A save applies this session's own changes since it last read
/// or wrote the flags file (rows flagged, rows unflagged, labels set or restored) to what the
/// file holds then, so two workbenches on one file keep each other's marks instead of
/// overwriting them. A failed save leaves the marks here, marked unsaved with the reason, and
/// the next save retries them all.
struct FlagSession: Sendable {
    /// Where the marks are saved.
    private(set) var store: FlagStore
    /// The marks as shown.
    private(set) var marks: Marks
    /// The marks as this session last read them from the file or wrote them to it.
    private var base: Marks
    /// Why the last save failed; nil while the marks shown are the marks on disk.
    private(set) var saveFailure: String?

    /// The flagged data rows (1-based).
    var flags: Set<Int> { marks.flags }
    /// The relabeled data rows and their new labels.
    var relabels: [Int: String] { marks.relabels }

    /// What one save did.
    enum SaveOutcome: Equatable {
        /// Written; `merged` marks differ from this session's because another workbench
        /// changed them; `setAside` is where an unreadable or stale file was moved.
        case saved(merged: Int, setAside: String?)
        /// Not written: why.
        case failed(String)
    }

    /// Opens the marks saved for `store`'s data file; `note` says what was restored, or why
    /// nothing was (nil when nothing was saved).
    static func open(_ store: FlagStore) -> (session: FlagSession, note: (text: String, style: Style)?) {
        let loaded = store.load()
        var restored = Marks()
        let name = store.path
        let note: (text: String, style: Style)?
        switch loaded {
        case .none:
            note = nil
        case .marks(let saved, let ignored):
            restored = saved
            let n = saved.flags.count, l = saved.relabels.count
            var text = "restored \(n) flagged row\(n == 1 ? "" : "s")" + (l == 0 ? "" : " and \(l) relabel\(l == 1 ? "" : "s")") + " from \(name)"
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
        return (FlagSession(store: store, marks: restored), note)
    }

    private init(store: FlagStore, marks: Marks) {
        self.store = store
        self.marks = marks
        self.base = marks
    }

    /// Whether the marks shown are the marks on disk.
    var isSaved: Bool { saveFailure == nil }

    /// Flags (`on`) or unflags `rows`; call `save()` after.
    mutating func set(_ rows: some Sequence<Int>, on: Bool) {
        if on { marks.flags.formUnion(rows) } else { marks.flags.subtract(rows) }
    }

    /// Gives `row` the label `label`, or its own again (nil); call `save()` after.
    mutating func relabel(_ row: Int, to label: String?) {
        marks.relabels[row] = label
    }

    /// Unflags every row; call `save()` after.
    mutating func removeAll() { marks.flags.removeAll() }

    /// Writes the marks: this session's changes applied to what the file holds now (or this
    /// session's marks as they are when the file holds none for this version of the data).
    mutating func save() -> SaveOutcome {
        let added = marks.flags.subtracting(base.flags), removed = base.flags.subtracting(marks.flags), mine = marks
        let relabeled = Set(marks.relabels.keys).union(base.relabels.keys).filter { marks.relabels[$0] != base.relabels[$0] }
        do {
            let update = try store.update { onDisk in
                guard case .marks(let saved, _) = onDisk else { return mine }
                var merged = Marks(flags: saved.flags.union(added).subtracting(removed), relabels: saved.relabels)
                for r in relabeled { merged.relabels[r] = mine.relabels[r] }
                return merged
            }
            let differing = update.marks.flags.symmetricDifference(marks.flags).count
                + Set(update.marks.relabels.keys).union(marks.relabels.keys).filter { update.marks.relabels[$0] != marks.relabels[$0] }.count
            marks = update.marks
            base = update.marks
            saveFailure = nil
            return .saved(merged: differing, setAside: update.setAside)
        } catch {
            saveFailure = EngineMessages.describe(error)
            return .failed(saveFailure!)
        }
    }

    /// Saves the marks to `path` from now on (when the place beside the data cannot be
    /// written). Refuses a path that holds anything but this data file's flags.
    mutating func save(to path: String) -> SaveOutcome {
        let target = store.moved(to: path)
        switch target.load() {
        case .none, .marks: break
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

    /// For stderr after the terminal is given back, when marks are lost on the way out: the
    /// rows, so they can be marked again. Nil when the marks are saved.
    var lostFlagsNote: String? {
        guard let saveFailure else { return nil }
        let rows = flags.sorted().map(String.init).joined(separator: " ")
        var note = "worth: \(flags.count) flags of \(store.dataPath) were not saved (\(saveFailure)); flagged rows: \(rows.isEmpty ? "none" : rows)"
        if !relabels.isEmpty {
            note += "; relabeled rows: " + relabels.keys.sorted().map { "\($0)=\(relabels[$0]!)" }.joined(separator: " ")
        }
        return note.escapingControlCharacters
    }
}
