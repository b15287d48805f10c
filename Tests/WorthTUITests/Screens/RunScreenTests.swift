import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// The Run screen: pausing for real, what progress means, the header and the charts.
@Suite struct RunScreenTests {
    /// A workbench whose first method is `method`, on `file`, already running it.
    func running(_ method: MethodDescriptor, on file: FixtureFile) async -> Workbench {
        let w = await makeWorkbench(file, methods: [method] + fixtureMethods)
        w.type(.enter, .enter)
        return w
    }

    /// p pauses the engine itself: a paused run's `done` does not move for 2 s, the header
    /// says so; p resumes it and x cancels it.
    @Test(.timeLimit(.minutes(2)))
    func pausingStopsTheWork() async throws {
        let file = try FixtureFile(rows: 60)
        defer { file.remove() }
        let w = await running(SemivalueMethod.tmcShapley.descriptor, on: file)
        await waitFor(w) { (w.run?.latest?.done ?? 0) >= 2 }
        w.type(.char("p"))
        #expect(w.run?.isPaused == true)
        #expect(render(w, 100, 30).line(3).contains("paused (the engine waits): p resumes, x cancels"))
        try await Task.sleep(for: .milliseconds(300))
        w.poll()
        let done = try #require(w.run?.latest?.done)
        let elapsed = try #require(w.run?.latest?.elapsed)
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(100))
            w.poll()
        }
        #expect(w.run?.latest?.done == done)
        #expect(w.run?.isRunning == true)
        w.type(.char("p"))
        #expect(w.run?.isPaused == false)
        await waitFor(w) { (w.run?.latest?.done ?? 0) > done }
        let resumed = try #require(w.run?.latest)
        #expect(resumed.done > done)
        // Elapsed time leaves the 2 s pause out.
        #expect(resumed.elapsed < elapsed + 1.5)
        w.type(.char("p"), .char("x"))
        await waitForRun(w)
        #expect(w.run?.stop == .cancelled)
    }

    /// Defect 7: p after the run finished said "display paused (the run continues)".
    @Test func pauseAfterTheEndSaysThereIsNothingToPause() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("p"))
        #expect(w.status?.text == "the run has ended: there is nothing to pause")
        #expect(!render(w, 80, 24).text.contains("paused"))
    }

    /// Defect 6 (issue 10), then issue 11: a new run never discards another; both are on the
    /// Runs screen, the one going keeps going, and Enter there opens either.
    @Test func anotherRunKeepsTheOthers() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .down, .down, .enter)          // Endless
        #expect(w.run?.methodTitle == "Endless")
        w.type(.escape, .escape, .up, .up, .enter)    // Run → Runs → Method: Fixture
        #expect(w.prompt == nil)
        #expect(w.run?.methodTitle == "Fixture" && w.current == .run)
        await waitForRun(w)
        #expect(w.session.runs.map(\.methodTitle) == ["Endless", "Fixture"])
        #expect(w.session.runs[0].isRunning)
        w.type(.escape)
        #expect(w.current == .runs)
        let runs = render(w, 120, 40).text
        #expect(runs.contains("Endless") && runs.contains("running") && runs.contains("completed"))
        w.type(.up, .enter)
        #expect(w.current == .run && w.run?.methodTitle == "Endless" && w.run?.isRunning == true)
        w.session.runs[0].cancel()
    }

    /// Defect 14: the histogram's "flag ≤ x" marker was drawn from flags that were not the
    /// lowest rows of this run. It marks a cut only when the flagged rows are the lowest.
    @Test func theFlagCutIsMarkedOnlyForTheLowestRows() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("G"), .char(" "))                 // the highest-valued row
        #expect(w.run?.table.flaggedCount == 1)
        #expect(!render(w, 100, 30).text.contains("flag ≤"))
        w.type(.char("u"), .char("f"), .enter)          // the lowest 10%
        #expect(render(w, 100, 30).text.contains("flag ≤ -1.00"))
    }

    /// Defect 16: in the flagged-only view the bars rescaled and the lowest flagged row got an
    /// empty bar. Bars keep the whole run's scale and never vanish.
    @Test func flaggedOnlyKeepsTheBarsScale() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("f"), .enter)
        func barOfFirstRow(_ g: Grid) -> Substring {
            let line = g.line(14)
            return line[line.index(line.startIndex, offsetBy: 58)...]
        }
        let all = barOfFirstRow(render(w, 100, 30))
        w.type(.char("F"))
        let flagged = barOfFirstRow(render(w, 100, 30))
        #expect(flagged == all)
        #expect(flagged.contains { "▏▎▍▌▋▊▉█".contains($0) })
        #expect(RankedTableView.barFraction(0, range: 0...1) > 0)
        #expect(RankedTableView.barFraction(0.5, range: 0.25...1) == 0.5)
        #expect(RankedTableView.barFraction(-1, range: -1...3) > 0)
    }
}

/// Issue 11: `\` filters (label ≠ suggested, flagged, relabeled, each class), `<` `>` and `s`
/// sort by any column either way, `/` searches row numbers and labels and `n`/`N` go on.
@Suite struct FindFilterSortTests {
    @Test func filterSortAndSearchFromTheKeys() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        await waitFor(w) { w.run?.reference != nil }
        let names = try #require(w.run?.experiment.classNames)
        func listed() -> [Int] { w.run!.table.order }
        w.type(.char("\\"))
        let t = try #require(w.run?.table)
        #expect(t.filter == .disagreeing)
        #expect(listed().allSatisfy { t.labels[$0] != t.predicted![$0] })
        #expect(render(w, 100, 30).text.contains("label ≠ suggested"))
        w.type(.char("\\"), .char("\\"), .char("\\"))
        #expect(w.run?.table.filter == .label(0))
        #expect(listed().allSatisfy { w.run!.table.labels[$0] == 0 })
        #expect(render(w, 100, 30).text.contains("label \(names[0])"))
        w.type(.char("\\"), .char("\\"))
        #expect(w.run?.table.filter == .all)
        w.type(.char(">"))
        #expect(w.run?.table.sort == .init(column: .row, descending: false))
        #expect(listed().map { w.run!.table.sourceRows[$0] } == w.run!.table.sourceRows)
        w.type(.char("s"))
        #expect(listed().map { w.run!.table.sourceRows[$0] } == w.run!.table.sourceRows.reversed())
        w.type(.char("<"), .char("<"))
        #expect(w.run?.table.sort.column == .stderr)
        // Search a label: the cursor goes to the next row with it, n to the one after.
        w.type(.char("/"))
        w.answer(names[1])
        let first = try #require(w.run?.table.cursor)
        #expect(w.run!.table.labels[w.run!.table.order[first]] == 1)
        w.type(.char("n"))
        let second = try #require(w.run?.table.cursor)
        #expect(second != first && w.run!.table.labels[w.run!.table.order[second]] == 1)
        w.type(.char("N"))
        #expect(w.run?.table.cursor == first)
    }
}
