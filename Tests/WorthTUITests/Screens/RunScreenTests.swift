import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// The Run screen: pausing for real, what progress means, the header and the charts.
@Suite struct RunScreenTests {
    /// A workbench whose first method is `method`, on `file`, already running it.
    func running(_ method: MethodDescriptor, on file: FixtureFile) -> Workbench {
        let w = makeWorkbench(file, methods: [method] + fixtureMethods)
        w.type(.enter, .enter)
        return w
    }

    /// p pauses the engine itself: a paused run's `done` does not move for 2 s, the header
    /// says so; p resumes it and x cancels it.
    @Test(.timeLimit(.minutes(2)))
    func pausingStopsTheWork() async throws {
        let file = try FixtureFile(rows: 60)
        defer { file.remove() }
        let w = running(SemivalueMethod.tmcShapley.descriptor, on: file)
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
        let w = makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.char("p"))
        #expect(w.status?.text == "the run has ended: there is nothing to pause")
        #expect(!render(w, 80, 24).text.contains("paused"))
    }

    /// Defect 6: Enter on the Method screen discarded a run at 39% without asking; it asks,
    /// for a run going and for values not exported.
    @Test func anotherRunAsksBeforeDiscardingOne() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = makeWorkbench(file)
        w.type(.enter, .down, .down, .enter)          // Endless
        #expect(w.run?.methodTitle == "Endless")
        w.type(.escape, .up, .up, .enter)             // back on the Method screen: Fixture
        #expect(w.prompt?.purpose == .replaceRun)
        #expect(render(w, 80, 24).text.contains("Run Fixture? The Endless run"))
        #expect(w.prompt?.title.hasSuffix("is going and would be discarded (y/n)") == true)
        w.type(.char("n"))
        #expect(w.run?.methodTitle == "Endless" && w.run?.isRunning == true && w.current == .method)
        w.type(.enter, .char("y"))
        #expect(w.run?.methodTitle == "Fixture" && w.current == .run)
        await waitForRun(w)
        // Finished but not exported: asked too; exported: not.
        w.type(.escape, .enter)
        #expect(w.prompt?.title == "Run Fixture? The Fixture values are not exported and would be discarded (y/n)")
        w.type(.escape)
        w.session.export(prefix: file.directory + "/out")
        w.type(.enter)
        #expect(w.prompt == nil && w.current == .run)
        // Opening another file would discard a run going: asked too.
        w.type(.escape, .down, .down, .enter, .char("y"))
        #expect(w.run?.methodTitle == "Endless")
        w.type(.escape, .escape, .escape, .char("o"))
        w.answer(file.path)
        w.type(.enter)
        #expect(w.prompt?.title.hasPrefix("Open small.csv? The Endless run") == true)
        w.type(.char("n"))
        #expect(w.run?.isRunning == true)
        w.type(.enter, .char("y"))
        #expect(w.run == nil && w.current == .dataset)
    }

    /// Defect 9: the ETA assumed the permutation budget although R-hat stops the run first, and
    /// the bar froze at 25% once it converged. Progress goes toward the convergence target,
    /// the budget being the upper bound, and the bar is full once the run stopped by itself.
    @Test func progressGoesTowardTheConvergenceTarget() {
        // R-hat − 1 = 50/n: 1.05 is reached at n = 1000, long before the budget of 5000.
        let history = [100, 200, 300].map { ConvergencePoint(done: $0, value: 1 + 50 / Double($0)) }
        let series = ConvergenceSeries(name: "R-hat", history: history, target: 1.05)
        let update = ValuationUpdate(done: 300, total: 5000, unit: "permutations", estimate: ValuationEstimate(values: []),
                                     convergence: [series], elapsed: 30)
        let p = RunProgress(latest: update, stop: nil, paused: false)
        #expect(abs(p.expectedUnits! - 1000) < 1)
        #expect(abs(p.fraction! - 0.3) < 0.001)
        #expect(abs(p.etaToTarget! - 70) < 0.1)           // 700 permutations at 10/s
        #expect(abs(p.etaToBudget! - 470) < 0.1)
        #expect(p.line(width: 200) == "≈30%  300/5000 permutations  10.0 permutations/s  elapsed 30s  ETA ≈1m10s (R-hat → 1.05), budget ≤7m50s")
        #expect(p.line(width: 50).count <= 50 && p.line(width: 50).contains("ETA ≈1m10s"))
        // Before R-hat can be extrapolated the budget is only an upper bound.
        let early = ValuationUpdate(done: 50, total: 5000, unit: "permutations", estimate: ValuationEstimate(values: []),
                                    convergence: [ConvergenceSeries(name: "R-hat", history: [], target: 1.05)], elapsed: 5)
        #expect(RunProgress(latest: early, stop: nil, paused: false).line(width: 200).contains("ETA ≤8m15s (budget; sooner at the target)"))
        // Converged at 25% of the budget: the bar is full.
        let converged = RunProgress(latest: update, stop: .converged("R-hat 1.04 < 1.05"), paused: false)
        #expect(converged.fraction == 1 && converged.etaToTarget == nil)
        #expect(RunProgress(latest: update, stop: .cancelled, paused: false).fraction.map { abs($0 - 0.3) < 0.001 } == true)
    }

    /// Defect 10: Data Banzhaf's header said "permutations=5000" while the bar counted samples,
    /// and the chart showed R-hat though its R-hat stop is off.
    @Test(.timeLimit(.minutes(2)))
    func banzhafSaysSamplesAndChartsWhatStopsIt() async throws {
        let file = try FixtureFile(rows: 60)
        defer { file.remove() }
        let w = makeWorkbench(file, methods: [SemivalueMethod.banzhaf.descriptor])
        w.type(.enter, .right, .enter)
        w.answer("60")
        w.type(.char("R"))
        await waitForRun(w)
        let g = render(w, 120, 40)
        #expect(!g.line(1).contains("permutations"))
        #expect(g.line(1).contains("stops at 60 samples") && g.line(2).contains("60/60 samples"))
        #expect(!g.line(4).contains("R-hat"))
        #expect(g.line(4).contains("relative change"))
        w.type(.char("c"))
        #expect(render(w, 120, 40).line(4).contains("R-hat"))
    }

    /// Defect 14: the histogram's "flag ≤ x" marker was drawn from flags that were not the
    /// lowest rows of this run. It marks a cut only when the flagged rows are the lowest.
    @Test func theFlagCutIsMarkedOnlyForTheLowestRows() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = makeWorkbench(file)
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
        let w = makeWorkbench(file)
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
