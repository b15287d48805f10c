import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// Issue 11: a row's details show its value in each run, its suggested label and its nearest
/// valued rows, at 80x24 and 160x50.
@Suite struct RowDetailTests {
    @Test(arguments: [(80, 24), (160, 50)])
    func detailShowsEachRunsValueAndTheNearestRows(width: Int, height: Int) async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.type(.escape, .escape, .enter)            // a second run of the fixture
        await waitForRun(w)
        await waitFor(w) { w.run?.reference != nil }
        w.type(.enter)
        #expect(w.overlay == .detail)
        let g = render(w, width, height)
        let run = try #require(w.run), i = try #require(run.table.selected)
        #expect(g.text.contains("value in each run"))
        #expect(g.text.components(separatedBy: "Fixture  \(formatNumber(run.table.values[i]))").count - 1 == 2)
        #expect(g.text.contains("suggested label \(run.experiment.classNames[run.predicted(i)!])"))
        // The neighbours are the engine's nearest rows over the run's standardised features.
        let expected = NearestRows(features: run.experiment.problem.train, standardize: false).neighbors(of: i)
        #expect(g.text.contains("nearest valued rows"))
        let shown = height >= 50 ? expected.count : 3
        let lines = (0..<height).map { g.line($0) }
        for n in expected.prefix(shown) {
            let name = run.experiment.classNames[run.experiment.problem.trainLabels[n.row]]
            #expect(lines.contains { $0.contains(" \(run.table.sourceRows[n.row]) \(name) ") && $0.contains(formatNumber(n.distance, digits: 2)) })
        }
        if height >= 50 { #expect(g.text.contains("value as the run went on")) }
        // l from the detail relabels the row shown.
        w.type(.char("l"))
        #expect(w.prompt?.title.hasPrefix("Relabel row \(run.table.sourceRows[i])") == true)
        w.type(.escape)
    }
}
