import Foundation
import Testing
@testable import WorthTUI

/// The workbench's flags file as the person sees it: restored, saved, failing to save, shared.
@Suite struct WorkbenchFlagTests {
    var sidecarPath: (FixtureFile) -> String { { $0.path + ".worth-flags.csv" } }

    /// When the flags file cannot be written, `f` says so instead of reporting success, the
    /// title and the run header show it, and `q` asks, offering another path.
    @Test func aFailedSaveIsShownAndQuittingOffersAnotherPath() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        try FileManager.default.createDirectory(atPath: sidecarPath(file), withIntermediateDirectories: false)
        let w = await ranWorkbench(file)
        w.type(.char("f"), .enter)
        #expect(w.flags.count == 4)
        let status = try #require(w.status)
        #expect(status.text.hasPrefix("flags NOT SAVED: \(sidecarPath(file)): "))
        #expect(status.text.hasSuffix(" (flagged 4 rows; 4 flagged in all)"))
        #expect(status.style == .error)
        for (width, height) in [(80, 24), (120, 40)] {
            let g = render(w, width, height)
            #expect(g.line(0).contains("4 flagged NOT SAVED"))
            #expect(g.line(3).contains("4 flagged, NOT SAVED"))
            #expect((g.line(height - 2) + g.line(height - 1)).contains("NOT SAVED"))
        }
        // Another flag change fails again and says so again.
        w.session.notice = nil
        w.type(.char("G"), .char(" "))
        #expect(w.status?.text.hasPrefix("flags NOT SAVED") == true)

        w.type(.char("q"))
        #expect(!w.quitRequested)
        let prompt = render(w, 80, 24).line(23)
        #expect(prompt.hasPrefix("5 flags NOT SAVED: s save to another file, r retry, y quit without, n stay"))
        w.type(.char("s"))
        guard case .saveFlagsAs? = w.prompt?.purpose else { Issue.record("no path asked"); return }
        #expect(w.prompt?.text.hasSuffix("/small.csv.worth-flags.csv") == true)
        #expect(w.prompt?.text != sidecarPath(file))
        w.type(.char("\u{15}"))
        w.type(text: file.path)                     // the data file itself is refused
        w.type(.enter)
        #expect(w.prompt?.error?.contains("not a flags file") == true)
        w.type(.char("\u{15}"))
        w.type(text: file.directory + "/kept-flags.csv")
        w.type(.enter)
        #expect(FlagStore(dataPath: file.path, fingerprint: w.file!.source.fingerprint, rowCount: 40)
            .moved(to: file.directory + "/kept-flags.csv").load() == .flags(w.flags, ignored: []))
        #expect(!w.flagsUnsaved)
        // The run is saved beside the data: nothing else to ask about.
        #expect(w.quitRequested)
    }

    @Test func retryingAfterTheCauseIsGoneSavesAndQuits() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        try FileManager.default.createDirectory(atPath: sidecarPath(file), withIntermediateDirectories: false)
        let w = await makeWorkbench(file)
        w.type(.enter, .enter)
        await waitForRun(w)
        w.session.export(prefix: file.directory + "/out")
        w.type(.char(" "))
        #expect(w.flagsUnsaved)
        w.type(.char("q"), .char("r"))
        #expect(w.prompt?.error == "still not saved" && !w.quitRequested)
        try FileManager.default.removeItem(atPath: sidecarPath(file))
        w.type(.char("r"))
        #expect(w.quitRequested)
        #expect(FlagSession.open(FlagStore(dataPath: file.path, fingerprint: w.file!.source.fingerprint, rowCount: 40))
            .session.flags == w.flags)
    }

    /// Ctrl-C asks as q does: about unsaved flags first, then about a run going; a second
    /// Ctrl-C while asked quits.
    @Test func ctrlCAsksLikeQ() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let saved = await ranWorkbench(file)
        saved.type(.escape, .escape, .down, .down, .enter)     // Endless, going
        saved.type(.char(" "), .interrupt)
        #expect(!saved.quitRequested)
        guard case .quit? = saved.prompt?.purpose else { Issue.record("did not ask"); return }
        saved.type(.interrupt)
        #expect(saved.quitRequested)

        try FileManager.default.removeItem(atPath: sidecarPath(file))
        try FileManager.default.createDirectory(atPath: sidecarPath(file), withIntermediateDirectories: false)
        let unsaved = await ranWorkbench(file)
        unsaved.type(.char(" "), .interrupt)
        #expect(!unsaved.quitRequested)
        guard case .unsavedFlags? = unsaved.prompt?.purpose else { Issue.record("did not ask"); return }
        unsaved.type(.interrupt)
        #expect(unsaved.quitRequested)
    }

    /// Two workbenches on one file keep each other's flags.
    @Test func twoWorkbenchesOnOneFileMergeTheirFlags() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let a = await ranWorkbench(file), b = await ranWorkbench(file)
        a.type(.char(" "))
        let rowA = try #require(a.flags.first)
        b.type(.char("j"), .char(" "))
        let rowB = try #require(b.flags.subtracting([rowA]).first)
        #expect(b.flags == [rowA, rowB])
        #expect(b.status?.text.contains("1 flag changed by another workbench merged in") == true)
        a.type(.char("f"), .enter)
        #expect(a.flags.isSuperset(of: [rowA, rowB]))
        #expect(await makeWorkbench(file).flags == a.flags)
    }

    /// A damaged flags file is called unreadable (and kept), rows outside the file are
    /// ignored with a note.
    @Test func openingReportsUnreadableFilesAndIgnoredRows() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let fingerprint = await makeWorkbench(file).file!.source.fingerprint
        try "# worth flags, fingerprint \(fingerprint)\nrow\n2\n41\n99\n".write(toFile: sidecarPath(file), atomically: true, encoding: .utf8)
        let w = await makeWorkbench(file)
        #expect(w.flags == [2])
        #expect(w.status?.text == "restored 1 flagged row from \(sidecarPath(file)); ignored 2 saved rows outside the file's 40 (row 41, …)")

        try "# worth flags, fingerprint \(fingerprint)\nrow\n2\nx\n".write(toFile: sidecarPath(file), atomically: true, encoding: .utf8)
        let damaged = await makeWorkbench(file)
        #expect(damaged.flags.isEmpty)
        #expect(damaged.status?.text.hasPrefix("unreadable flags file \(sidecarPath(file)): line 4, 'x', is not a row number") == true)
        #expect(damaged.status?.text.contains("another version") == false)
    }
}
