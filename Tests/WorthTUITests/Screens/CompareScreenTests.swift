import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// Issue 11: the Compare screen (rank correlations, lowest-k overlap, a scatter of two runs'
/// ranks with the cursor row marked) and the consensus, which behaves like a run.
@Suite struct CompareScreenTests {
    /// A workbench with two ended runs of different values: Fixture, then Endless cancelled.
    func twoRuns(_ file: FixtureFile) async -> Workbench {
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.escape, .escape, .down, .down, .enter)    // Endless
        await waitFor(w) { w.run?.latest != nil }
        w.type(.char("x"))
        await waitForRun(w)
        return w
    }

    @Test(arguments: [(80, 24), (160, 50)])
    func compareShowsTheAgreementAndTheScatter(width: Int, height: Int) async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await twoRuns(file)
        w.type(.escape, .char("c"))
        #expect(w.current == .compare)
        let runs = w.session.runs
        let a = RunComparison.input(runs[0]), b = RunComparison.input(runs[1])
        let k = max(1, Int((Double(runs[0].table.sourceRows.count) * 0.1).rounded(.up)))
        let agreement = RankAgreement(a, b, k: k)
        let g = render(w, width, height)
        let lines = (0..<height).map { g.line($0) }
        #expect(g.text.contains("Spearman ρ"))
        let first = try #require(lines.first { $0.contains("│ 1 Fixture") })
        #expect(first.contains("1.00") && first.contains(NumberFormat.fixed(agreement.spearman, decimals: 2)))
        #expect(g.text.contains("lowest \(k) in common (k = 10%)"))
        #expect(lines.contains { $0.contains("\(agreement.overlap)/\(k)") })
        // The scatter: braille dots, and the Run screen's cursor row marked.
        #expect(g.text.contains { ("\u{2801}"..."\u{28FF}").contains($0) })
        let row = try #require(w.run?.table.selected.map { w.run!.table.sourceRows[$0] })
        #expect(g.text.contains("●") && g.text.contains("row \(row)"))
        // ←→ changes the x axis run: with two runs, they swap.
        w.type(.right)
        let swapped = render(w, width, height).text
        #expect(swapped != g.text)
        #expect(!render(w, width, height).line(0).contains("…"))
    }

    /// C makes the consensus (mean rank over the runs), shown as a run: ranked, flaggable.
    @Test func theConsensusBehavesLikeARun() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await twoRuns(file)
        let runs = w.session.runs
        w.type(.escape, .char("C"))
        #expect(w.current == .run && w.run?.isConsensus == true)
        let expected = Consensus(runs.map(RunComparison.input), rule: .meanRank)
        let table = try #require(w.run?.table)
        for (row, v) in zip(expected.rows, expected.values) { #expect(table.values[table.index(ofSourceRow: row)!] == v) }
        #expect(w.session.runs.count == 3)
        w.type(.char("f"), .enter)
        #expect(w.flags == Set(table.lowest(percent: 10)) && !w.flags.isEmpty)
        #expect(render(w, 100, 30).text.contains("Consensus"))
        // It lists on the Runs screen as a run of its own, not saved.
        w.type(.escape)
        let text = render(w, 120, 30).text
        #expect(text.contains("Consensus"))
        #expect(text.contains("of=Fixture+Endless") || text.contains("not saved (C makes it again)"))
        // V on the Compare screen: by votes in each run's lowest k.
        let compared = w.session.comparedRuns           // the two runs and their consensus
        #expect(compared.count == 3)
        let k = RunComparison(runs: compared, flagged: w.session.flagCounts.valued).k
        w.type(.char("c"), .char("V"))
        let votes = Consensus(compared.map(RunComparison.input), rule: .votes(k))
        let byVotes = try #require(w.run?.table)
        #expect(w.run?.changedParameters.last?.value.hasPrefix("votes in the lowest") == true)
        for (row, v) in zip(votes.rows, votes.values) { #expect(byVotes.values[byVotes.index(ofSourceRow: row)!] == v) }
    }

    /// Space chooses runs; with two chosen, Compare and the consensus take only those.
    @Test func chosenRunsAreTheOnesCompared() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await twoRuns(file)
        w.type(.escape, .escape, .up, .up, .enter)       // a third run: Fixture again
        await waitForRun(w)
        w.type(.escape)
        w.type(.char("g"), .char(" "), .char(" "))         // choose the first two
        #expect(w.session.chosenRuns.count == 2)
        #expect(w.session.comparedRuns.map(\.methodTitle) == ["Fixture", "Endless"])
        w.type(.char("c"))
        #expect(render(w, 120, 40).text.contains("Agreement of 2 runs"))
    }
}
