import Foundation
import Synchronization
import Testing
import WorthEngine
@testable import WorthTUI

/// A slow loader for tests: it reports reading a quarter of the file at a time, each quarter
/// only once the test allows it, then loads the file with the engine, or fails as told. It
/// waits at most 30 s for a quarter (a test that stopped early must not leave it waiting).
/// While it waits it holds one of the few threads of the task pool: its tests run one at a time.
final class ScriptedLoad: Sendable {
    private let allowed = Mutex(0)
    /// What the load throws once every quarter is read, instead of loading.
    let failure: InputError?

    init(failure: InputError? = nil) { self.failure = failure }

    /// Lets the load read `quarters` quarters (1…4) of the file.
    func allow(_ quarters: Int) { allowed.withLock { $0 = quarters } }

    var services: WorkbenchServices {
        WorkbenchServices(preview: WorkbenchServices.engine.preview, open: { path, label, missing, progress in
            for quarter in 1...4 {
                let deadline = ContinuousClock.now + .seconds(30)
                while self.allowed.withLock({ $0 }) < quarter {
                    guard progress(LoadStatus(fraction: Double(quarter - 1) / 4, rows: (quarter - 1) * 1000)),
                          ContinuousClock.now < deadline else { throw CancellationError() }
                    Thread.sleep(forTimeInterval: 0.002)
                }
            }
            if let failure = self.failure { throw failure }
            return try WorkbenchServices.engine.open(path, label, missing, progress)
        }, methods: fixtureMethods)
    }
}

@Suite(.serialized) struct LoadScreenTests {
    func loading(_ file: FixtureFile, _ script: ScriptedLoad) -> Workbench {
        let w = Workbench(services: script.services, discover: { [] }, workingDirectory: file.directory, workers: 1)
        w.open(path: file.path, label: nil)
        w.type(.enter)
        return w
    }

    /// The load runs in the background: its screen shows a bar of the bytes read, the rows so
    /// far and the keys; help opens meanwhile; Esc stops it and goes back to the Open screen
    /// with the file chosen; a second load ends on the Dataset screen.
    @Test func theLoadShowsProgressAnswersKeysAndStops() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let script = ScriptedLoad()
        let w = loading(file, script)
        #expect(w.current == .loading && w.isLoading)
        script.allow(2)   // it reads two quarters, then waits
        await waitFor(w, seconds: 30) { w.session.loading?.status.fraction == 0.5 }
        let text = render(w, 80, 24).text
        #expect(text.contains("Loading small.csv") && text.contains(file.path))
        #expect(text.contains("50%") && text.contains("reading: 2,000 rows so far, 50%"))
        #expect(text.contains("Esc or x stops the load"))
        let bar = try #require(text.split(separator: "\n").first { $0.contains("50%") })
        let full = bar.filter { $0 == "█" }.count, empty = bar.filter { $0 == "·" || $0 == " " }.count
        #expect(full > 20 && full < 50 && empty > 0)
        #expect(render(w, 80, 24).lines(23..<24).contains("Esc stop loading"))

        w.type(.char("?"))
        #expect(w.overlay == .help)
        #expect(render(w, 100, 40).text.contains("Loading a file"))
        w.type(.escape)
        #expect(w.overlay == nil && w.current == .loading && w.isLoading)

        w.type(.escape)
        #expect(w.current == .open && !w.isLoading && w.file == nil)
        let open: OpenScreen = w.screen(.open)
        #expect(open.entries[open.cursor].path == file.path)
        #expect(w.status?.text == "stopped loading small.csv: Enter loads it again")

        script.allow(4)
        w.type(.enter, .enter)
        #expect(w.current == .loading)
        await waitForLoad(w)
        #expect(w.current == .dataset)
        #expect(render(w, 80, 24).text.contains("40 rows, 3 columns, label 'label', 2 classes"))
    }

    /// `x` stops the load too; a load that fails shows its one-line error in the label picker,
    /// with its line and column; the open file stays open meanwhile.
    @Test func xStopsAndAFailureShowsItsLine() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = loading(file, ScriptedLoad())
        w.type(.char("x"))
        #expect(w.current == .open && !w.isLoading)

        let failing = ScriptedLoad(failure: InputError(file: file.path, line: 7, column: 2, columnName: "y", "not a number: \"abc\""))
        let v = loading(file, failing)
        failing.allow(4)
        await waitForLoad(v)
        #expect(v.current == .label)
        let text = render(v, 100, 30).text
        #expect(text.contains("line 7, column 2 (y)") && text.contains("not a number"))
    }

    /// Quitting while a file loads quits (stopping the load) as it would anywhere.
    @Test func quittingWhileLoadingStopsTheLoad() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = loading(file, ScriptedLoad())
        w.type(.tab)
        #expect(w.current == .loading)
        w.type(.char("q"))
        #expect(w.quitRequested && !w.isLoading)
    }

    /// The label picker reads the file's first rows only: a bad row far down is the load's to
    /// report, and the row count of a long file is an estimate until it is loaded.
    @Test func thePreviewReadsOnlyTheFirstRows() async throws {
        let file = try FixtureFile(rows: 20_000)
        defer { file.remove() }
        let path = file.directory + "/ragged.csv"
        try (String(contentsOfFile: file.path, encoding: .utf8) + "1,2\n").write(toFile: path, atomically: true, encoding: .utf8)
        let w = emptyWorkbench(directory: file.directory)
        w.open(path: path, label: nil)
        #expect(w.current == .label)
        let preview = try #require(w.session.preview)
        #expect(preview.rows.count == WorkbenchServices.previewRows && preview.rows[29] == ["29", "2.0", "odd"])
        guard case .about(let estimate) = preview.rowCount else { Issue.record("\(preview.rowCount)"); return }
        #expect(abs(estimate - 20_000) < 6_000)   // the first rows are shorter than the last
        #expect(render(w, 100, 30).text.contains("about \(NumberFormat.grouped(estimate)) rows, 3 columns"))
        w.type(.enter)
        await waitForLoad(w)
        #expect(w.current == .label && w.label.error?.contains("line 20002") == true)
    }
}
