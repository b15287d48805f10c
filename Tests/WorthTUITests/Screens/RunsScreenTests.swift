import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// Issue 11: every run of the open file kept, saved beside it, listed on the Runs screen and
/// listed again when the file is reopened, without running it again.
@Suite struct RunsScreenTests {
    @Test func aFinishedRunIsSavedAndReopenedWithoutRunning() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let first = await ranWorkbench(file)
        let run = try #require(first.run)
        guard case .saved(let path) = run.saved else { Issue.record("not saved: \(run.saved)"); return }
        #expect(path.hasPrefix(file.path + ".worth-runs/") && path.hasSuffix(".json"))

        let again = await makeWorkbench(file)
        #expect(again.status?.text.contains("1 saved run on the Runs screen") == true)
        let reopened = try #require(again.session.runs.first)
        #expect(again.session.runs.count == 1 && !reopened.isRunning)
        #expect(reopened.stop == .completed && reopened.methodTitle == "Fixture")
        #expect(reopened.table.values == run.table.values && reopened.table.standardErrors == run.table.standardErrors)
        #expect(reopened.table.sourceRows == run.table.sourceRows)
        again.type(.tab, .tab)                      // Method → Runs
        #expect(again.current == .runs)
        again.type(.enter)
        #expect(again.current == .run && again.run?.id == run.id)
        #expect(render(again, 100, 30).text.contains("stopped: completed"))
    }

    /// The Runs screen at 80x24 and 160x50: one line per run with its method, seed, flip,
    /// rows, elapsed time and stop reason; a run going says how far it is.
    @Test(arguments: [(80, 24), (160, 50)])
    func theRunsScreenListsEachRunOnALine(width: Int, height: Int) async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file)
        w.type(.escape, .escape, .down, .down, .enter)    // Endless, going
        defer { w.session.runs.forEach { $0.cancel() } }
        await waitFor(w) { w.run?.latest != nil }
        w.type(.escape)
        #expect(w.current == .runs)
        let g = render(w, width, height)
        let lines = (0..<height).map { g.line($0) }
        let fixture = try #require(lines.first { $0.contains("Fixture") })
        let rows = try #require(w.session.runs.first?.experiment.problem.count)
        #expect(fixture.contains("completed") && fixture.contains(" \(rows) ") && (width < 120 || fixture.contains("defaults")))
        let endless = try #require(lines.first { $0.contains("Endless") })
        #expect(endless.contains("running"))
        #expect(g.text.contains("Runs of small.csv · 2 runs"))
        #expect(lines.contains { $0.contains("method") && $0.contains("seed") && $0.contains("flip") && $0.contains("elapsed") })
        #expect(lines.contains { $0.contains("saved when it ends") })   // the chosen one: the Endless run
        #expect(!g.line(0).contains("…"))
    }

    /// A run saved for another version of the file is listed as stale, apart, and not opened.
    @Test func aRunOfAnotherVersionOfTheFileIsStale() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        _ = await ranWorkbench(file)
        try (String(contentsOfFile: file.path, encoding: .utf8) + "40,0.5,even\n").write(toFile: file.path, atomically: true, encoding: .utf8)
        let w = await makeWorkbench(file)
        #expect(w.session.runs.isEmpty)
        #expect(w.session.shelf?.others.count == 1)
        #expect(w.status?.text.contains("(1 stale or unreadable)") == true)
        w.type(.tab, .tab)
        let text = render(w, 120, 30).text
        #expect(text.contains("stale: saved for another version of the file"))
        w.type(.enter)
        #expect(w.current == .runs && w.status?.text.contains("cannot be opened") == true)
        // d asks, y deletes the stale run's file.
        w.type(.char("d"))
        #expect(w.prompt?.title.hasPrefix("Delete the stale Fixture run") == true)
        w.type(.char("y"))
        #expect(w.session.shelf?.others.isEmpty == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.path + ".worth-runs").isEmpty)
    }

    /// Deleting asks; n keeps the run, y deletes it and its file.
    @Test func deletingARunAsks() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await ranWorkbench(file)
        guard case .saved(let path)? = w.run?.saved else { Issue.record("not saved"); return }
        w.type(.escape, .char("d"))
        #expect(w.prompt?.title.hasPrefix("Delete the Fixture run") == true)
        w.type(.char("n"))
        #expect(w.session.runs.count == 1 && FileManager.default.fileExists(atPath: path))
        w.type(.char("d"), .char("y"))
        #expect(w.session.runs.isEmpty && !FileManager.default.fileExists(atPath: path))
        #expect(!w.reachableScreens.contains(.run))
    }

    /// The suggested labels are fitted when a run ends (or at once for a reopened run), never
    /// beside a run going: five logistic regressions would take a core from the engine.
    @Test func suggestedLabelsWaitForTheRunToEnd() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        _ = await ranWorkbench(file)
        let w = await makeWorkbench(file)
        w.type(.tab, .tab, .enter)                  // the reopened run
        #expect(w.run?.isFittingReference == true || w.run?.reference != nil)
        w.type(.escape, .escape, .down, .down, .enter)    // Endless, going
        await waitFor(w) { w.run?.latest != nil }
        #expect(w.current == .run && w.run?.isRunning == true)
        #expect(w.run?.isFittingReference == false && w.run?.reference == nil)
        w.type(.char("x"))
        await waitForRun(w)
        #expect(w.run?.isFittingReference == true || w.run?.reference != nil)
    }

    /// A run that cannot be saved says so on its line and at quit, and is saved once it can be.
    @Test func aRunThatCannotBeSavedSaysSo() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        try "not a folder".write(toFile: file.path + ".worth-runs", atomically: true, encoding: .utf8)
        let w = await ranWorkbench(file)
        guard case .failed? = w.run?.saved else { Issue.record("saved into a file"); return }
        #expect(w.status?.text.hasPrefix("run NOT SAVED") == true)
        w.type(.escape)
        #expect(render(w, 120, 30).text.contains("NOT SAVED"))
        w.type(.char("q"))
        #expect(w.prompt?.title == "1 run is NOT SAVED. Quit anyway? (y/n)")
        w.type(.char("n"))
        try FileManager.default.removeItem(atPath: file.path + ".worth-runs")
        w.type(.escape, .tab)                       // away and back to the Runs screen: saved again
        #expect(w.current == .runs)
        guard case .saved? = w.run?.saved else { Issue.record("not saved on retry"); return }
    }
}
