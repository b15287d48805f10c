import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

/// What surrounds the screens: the title bar, the status line and its questions and notices,
/// the Open list, quitting and suspending; and the one count of flags they all show.
@Suite struct ChromeTests {
    /// A workbench running the endless fixture method.
    func runningEndlessly(_ file: FixtureFile) async -> Workbench {
        let w = await makeWorkbench(file)
        w.type(.enter, .down, .down, .enter)
        return w
    }

    /// Defect 4: on a too-small terminal `q` during a run asked "Quit anyway?" invisibly.
    /// Questions show at any size, wrapped when the line is narrow.
    @Test(arguments: [(60, 15), (30, 8)])
    func questionsShowOnATooSmallTerminal(width: Int, height: Int) async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await runningEndlessly(file)
        defer { w.session.run?.cancel() }
        #expect(render(w, width, height).text.contains("Enlarge the terminal"))
        w.type(.char("q"))
        let text = render(w, width, height).text
        #expect(text.replacingOccurrences(of: "\n", with: " ").contains("Quit anyway? (y/n)"))
        #expect(text.contains("The Endless run"))
        w.type(.char("y"))
        #expect(w.quitRequested)
    }

    /// Defect 5: the title said 46 flagged, the status line 36, the what-if "without the 36",
    /// and the cleaned export dropped 46. One count, with where the flags are.
    @Test func flagCountsAgreeEverywhere() async throws {
        let file = try FixtureFile(rows: 60)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        let e = try #require(w.run?.experiment)
        // Flags from elsewhere (another run, another split): 3 valued rows and 2 test rows.
        let valued = (0..<3).map { e.sourceRow(ofValued: $0) }
        let held = e.roles.indices.filter { e.roles[$0] == .test }.prefix(2).map { $0 + 1 }
        w.session.setFlags(valued + held, on: true)
        #expect(w.session.flagCounts == FlagCounts(flags: Set(valued + held), experiment: e))
        #expect(w.session.flagCounts.summary == "5 flagged (3 valued, 2 held out)")
        let g = render(w, 120, 40)
        #expect(g.line(0).contains("5 flagged"))
        #expect(g.line(3).contains("5 flagged (3 valued, 2 held out)"))
        #expect(!g.text.contains("· flagged only"))
        w.type(.char("F"))
        #expect(render(w, 120, 40).text.contains("flagged only · 3 rows"))
        w.type(.char("r"))
        await waitFor(w) { w.whatIf != nil }
        let result = try #require(w.whatIf)
        #expect(result.removed == 3 && result.unscored == 2)
        let panel = render(w, 120, 40).text
        #expect(panel.contains("then without the 3") && panel.contains("the 2 flagged held-out rows are left out"))
        w.type(.escape, .char("e"))
        w.answer(file.directory + "/out")
        #expect(w.status?.text.contains("out-flagged.csv (5 flagged), \(file.directory)/out-cleaned.csv (the other 55 rows)") == true)
        #expect(try CSVReader.read(path: file.directory + "/out-cleaned.csv").records.count == 55)
        #expect(try CSVReader.read(path: file.directory + "/out-flagged.csv").records.count == 5)
    }

    /// Defect 8: status messages never cleared and hid the row detail's hints. A notice
    /// belongs to its screen and gives way to hints when another comes up, or after a while.
    @Test func noticesExpireAndGiveWayToHints() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let clock = ManualClock()
        let w = await makeWorkbench(file)
        w.session.now = { clock.now }
        w.type(.enter, .enter)
        await waitForRun(w)
        await waitFor(w) { w.run?.reference != nil && !w.session.isMapping }
        w.type(.char("x"))
        #expect(w.status?.text == "the run has ended: there is nothing to cancel")
        #expect(render(w, 80, 24).line(23).hasPrefix("the run has ended"))
        w.type(.enter)                                  // the row detail: its hints, not the notice
        #expect(render(w, 80, 24).line(23).hasPrefix("j k next/previous row"))
        w.type(.escape)
        #expect(!render(w, 80, 24).line(23).hasPrefix("the run has ended"))
        w.type(.char("p"))
        #expect(render(w, 80, 24).line(23).hasPrefix("the run has ended"))
        clock.advance(.seconds(5))
        #expect(!w.poll() && w.status != nil)
        clock.advance(.seconds(5))
        #expect(w.poll() && w.status == nil)
        #expect(render(w, 80, 24).line(23).hasPrefix("↑↓ move"))
    }

    /// Defect 15: at 120 and 80 columns the parameter descriptions, the what-if title, the Run
    /// footer's keys and the title bar's "q:qu…" were cut. Lines are laid out to the width:
    /// shorter forms, whole words.
    @Test(arguments: [(80, 24), (120, 40)])
    func nothingIsCutAtNarrowWidths(width: Int, height: Int) async throws {
        let file = try FixtureFile(name: "a-rather-long-file-name.csv")
        defer { file.remove() }
        let w = await makeWorkbench(file, methods: MethodCatalog.all)
        let last = height - 1
        func uncut(_ g: Grid, _ rows: [Int], _ what: String) {
            for y in rows { #expect(!g.line(y).contains("…"), "\(what), line \(y): \(g.line(y))") }
        }
        var g = render(w, width, height)
        uncut(g, [0, last], "dataset")
        #expect(!g.line(0).contains("q:qu") || g.line(0).contains("q:quit"))
        w.type(.enter)
        // Every method, its fields focused one by one: the whole description shows somewhere.
        for m in MethodCatalog.all {
            g = render(w, width, height)
            uncut(g, Array(0..<height), m.title)
            #expect(g.text.replacingOccurrences(of: "\n", with: " ").contains(m.summary.split(separator: " ").prefix(3).joined(separator: " ")))
            w.type(.right, .home)
            for spec in m.parameters {
                g = render(w, width, height)
                uncut(g, Array(0..<height), "\(m.title) \(spec.name)")
                let shown = g.text.split(separator: "\n").map { $0.replacingOccurrences(of: "│", with: " ") }.joined(separator: " ")
                for word in spec.summary.split(separator: " ") { #expect(shown.contains(word), "\(spec.name): \(word)") }
                w.type(.down)
            }
            w.type(.left, .down)
        }
        w.type(.char("g"), .char("R"))                  // Data-OOB
        await waitForRun(w)
        g = render(w, width, height)
        uncut(g, [0, 1, 2, 3, last], "run")
        w.type(.char("f"), .enter, .char("r"))
        await waitFor(w) { w.whatIf != nil }
        g = render(w, width, height)
        uncut(g, Array(0..<height), "what-if")
        #expect(g.text.contains(width >= 80 ? "What if the flagged rows were removed?" : "What-if"))
    }

    /// Defect 17: g and G did nothing on the Method screen.
    @Test func firstAndLastOnTheMethodScreen() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        w.type(.enter, .char("G"))
        #expect(w.method.methodCursor == fixtureMethods.count - 1)
        w.type(.char("g"))
        #expect(w.method.methodCursor == 0)
        w.type(.right, .char("G"))
        #expect(w.method.fieldCursor == fixtureMethods[0].parameters.count + ExperimentSetting.allCases.count - 1)
        w.type(.home)
        #expect(w.method.fieldCursor == 0)
    }

    /// Defect 18: the Open list highlighted the first bundled sample, not the open file, and
    /// Enter then reopened the bundled copy. The open file is marked and chosen; a bundled
    /// sample opens from a copy in the working directory.
    @Test func theOpenListStartsOnTheOpenFileAndSamplesOpenFromACopy() async throws {
        let samples = try FixtureFile(name: "sample.csv"), here = try FixtureFile(name: "mine.csv")
        defer { samples.remove(); here.remove() }
        let discover: @Sendable () -> [FileEntry] = {
            FileEntry.discover(samplesDirectory: samples.directory, workingDirectory: here.directory)
        }
        let w = Workbench(services: fixtureServices(), discover: discover, workingDirectory: here.directory, workers: 1)
        var open: OpenScreen = w.screen(.open)
        #expect(open.entries.map(\.name) == ["sample.csv", "mine.csv"] && open.entries[0].bundled)
        w.open(path: here.path, label: nil)
        w.type(.enter)
        await waitForLoad(w)
        w.type(.escape)
        #expect(w.current == .open)
        open = w.screen(.open)
        #expect(open.entries[open.cursor].name == "mine.csv")
        #expect(render(w, 80, 24).text.contains("▸ mine.csv"))
        w.type(.enter)                                  // the open file: its data, not a reload
        #expect(w.current == .dataset && w.file?.path == here.path)
        w.type(.escape, .char("g"), .enter)             // the bundled sample
        let copy = here.directory + "/sample.csv"
        #expect(w.current == .label && w.session.preview?.path == copy)
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: samples.path))
        #expect(w.status?.text == "copied the bundled sample to \(copy): flags and exports go beside it")
        #expect(render(w, 100, 30).lines(28..<30).hasPrefix("copied the bundled sample"))
        w.type(.enter)
        await waitForLoad(w)
        #expect(w.file?.path == copy)
        w.type(.escape, .char("g"), .enter)             // again: the copy is the open file: its data
        #expect(w.current == .dataset && w.file?.path == copy)
    }

    /// Defect 19: Ctrl-C quit at once with a run going (q asked); Ctrl-Z did nothing. Ctrl-C
    /// asks as q does; Ctrl-Z suspends, the run paused meanwhile.
    @Test func ctrlCAsksAndCtrlZSuspendsWithTheRunPaused() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await runningEndlessly(file)
        defer { w.session.run?.cancel() }
        w.type(.interrupt)
        #expect(!w.quitRequested && w.prompt?.purpose == .quit)
        w.type(.char("n"), .suspend)
        #expect(w.suspendRequested && !w.quitRequested)
        var pausedMeanwhile = false
        w.suspending { pausedMeanwhile = w.run?.isPaused == true }
        #expect(pausedMeanwhile && w.run?.isPaused == false && !w.suspendRequested)
        // A run the person paused stays paused.
        w.type(.char("p"))
        w.suspending {}
        #expect(w.run?.isPaused == true)
        w.type(.interrupt, .interrupt)
        #expect(w.quitRequested)
    }
}
