/// One change to the marks, as undo and redo replay it: the rows it flagged and unflagged, the
/// labels it set or gave back, and what the person did, in words ("flag row 12").
struct MarkChange: Sendable, Equatable {
    /// A row's label before and after (nil: its own label).
    struct Relabel: Sendable, Equatable {
        var row: Int
        var from: String?
        var to: String?
    }

    var flagged: [Int] = []
    var unflagged: [Int] = []
    var relabels: [Relabel] = []
    var what: String

    /// Whether it changes nothing.
    var isEmpty: Bool { flagged.isEmpty && unflagged.isEmpty && relabels.isEmpty }

    /// The change that undoes this one.
    var inverse: MarkChange {
        MarkChange(flagged: unflagged, unflagged: flagged, relabels: relabels.reversed().map { Relabel(row: $0.row, from: $0.to, to: $0.from) },
                   what: what)
    }

    /// The change that makes `after` of `before`, restricted to what differs.
    init(from before: Marks, to after: Marks, what: String) {
        flagged = after.flags.subtracting(before.flags).sorted()
        unflagged = before.flags.subtracting(after.flags).sorted()
        relabels = Set(before.relabels.keys).union(after.relabels.keys).sorted()
            .filter { before.relabels[$0] != after.relabels[$0] }
            .map { Relabel(row: $0, from: before.relabels[$0], to: after.relabels[$0]) }
        self.what = what
    }

    init(flagged: [Int] = [], unflagged: [Int] = [], relabels: [Relabel] = [], what: String) {
        self.flagged = flagged
        self.unflagged = unflagged
        self.relabels = relabels
        self.what = what
    }
}

/// Every flag and relabel change of the session, so each can be undone and redone: a new
/// change clears what could be redone, as in any editor. At most `limit` changes are kept.
struct MarkHistory: Sendable {
    let limit = 500
    private(set) var done: [MarkChange] = []
    private(set) var undone: [MarkChange] = []

    /// Records a change the person made.
    mutating func record(_ change: MarkChange) {
        guard !change.isEmpty else { return }
        done.append(change)
        if done.count > limit { done.removeFirst(done.count - limit) }
        undone.removeAll()
    }

    /// The change to apply to undo the last one (then redoable), or nil when there is none.
    mutating func undo() -> MarkChange? {
        guard let last = done.popLast() else { return nil }
        undone.append(last)
        return last.inverse
    }

    /// The change to apply to redo the last undone one, or nil when there is none.
    mutating func redo() -> MarkChange? {
        guard let next = undone.popLast() else { return nil }
        done.append(next)
        return next
    }
}
