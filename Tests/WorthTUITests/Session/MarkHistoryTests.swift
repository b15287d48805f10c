import Testing
@testable import WorthTUI

@Suite struct MarkHistoryTests {
    /// A change is what differs between two sets of marks, and its inverse puts them back.
    @Test func aChangeAndItsInverse() {
        let before = Marks(flags: [1, 2], relabels: [5: "a"])
        let after = Marks(flags: [2, 3], relabels: [5: "b", 6: "c"])
        let change = MarkChange(from: before, to: after, what: "edit")
        #expect(change.flagged == [3] && change.unflagged == [1])
        #expect(change.relabels == [.init(row: 5, from: "a", to: "b"), .init(row: 6, from: nil, to: "c")])
        func apply(_ c: MarkChange, to m: Marks) -> Marks {
            var m = m
            m.flags.formUnion(c.flagged)
            m.flags.subtract(c.unflagged)
            for r in c.relabels { m.relabels[r.row] = r.to }
            return m
        }
        #expect(apply(change, to: before) == after)
        #expect(apply(change.inverse, to: after) == before)
        #expect(MarkChange(from: before, to: before, what: "nothing").isEmpty)
    }

    /// Undo then redo walk the changes back and forth; a new change forgets the undone ones;
    /// empty changes are not recorded; at most `limit` are kept.
    @Test func undoRedoAndTheLimit() {
        var h = MarkHistory()
        h.record(MarkChange(flagged: [1], what: "one"))
        h.record(MarkChange(flagged: [2], what: "two"))
        h.record(MarkChange(what: "empty"))
        #expect(h.done.map(\.what) == ["one", "two"])
        #expect(h.undo()?.unflagged == [2])
        #expect(h.redo()?.flagged == [2])
        #expect(h.redo() == nil)
        _ = h.undo()
        h.record(MarkChange(flagged: [3], what: "three"))
        #expect(h.redo() == nil && h.done.map(\.what) == ["one", "three"])
        for k in 0..<600 { h.record(MarkChange(flagged: [k], what: "\(k)")) }
        #expect(h.done.count == h.limit && h.done.last?.what == "599")
    }
}
