import Foundation
import Synchronization
import WorthEngine
@testable import WorthTUI
import WorthTestSupport

/// A valuator for tests: values valued row i at `(i mod 7) − 1` (so some are negative and the
/// order is known), with stderr 0.1, over `steps` updates and a convergence series.
struct FixtureValuator: Valuator {
    var steps = 3

    func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        let n = problem.count, steps = self.steps
        return AsyncThrowingStream { c in
            var series = ConvergenceSeries(name: "mean |Δvalue|", target: 0.01)
            for s in 1...steps {
                series.history.append(ConvergencePoint(done: s, value: 1 / Double(s)))
                let values = (0..<n).map { Double($0 % 7) - 1 }
                c.yield(ValuationUpdate(done: s, total: steps, unit: "steps",
                                        estimate: ValuationEstimate(values: values, standardErrors: Array(repeating: 0.1, count: n)),
                                        convergence: [series], elapsed: Double(s), stop: s == steps ? .completed : nil))
            }
            c.finish()
        }
    }
}

/// A valuator that fails at once, like an engine bug would.
struct FailingValuator: Valuator {
    func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        AsyncThrowingStream { $0.finish(throwing: InputError("the model could not be fitted")) }
    }
}

/// The fixture method's one parameter.
let fixtureSteps = Parameter<Int>("steps", default: 3, in: 1...10, summary: "updates sent")

let fixtureMethods = [
    MethodDescriptor(id: "fixture", title: "Fixture", summary: "values rows by their position (tests only)",
                     needsValidation: false, parameters: [fixtureSteps],
                     make: { values, _ in FixtureValuator(steps: values[fixtureSteps]) }),
    MethodDescriptor(id: "failing", title: "Failing", summary: "always fails", needsValidation: true, parameters: [],
                     make: { _, _ in FailingValuator() }),
    MethodDescriptor(id: "endless", title: "Endless", summary: "runs until cancelled (tests only)", needsValidation: false,
                     parameters: [], make: { _, _ in EndlessValuator() }),
]

/// A valuator that never finishes by itself: an update every 20 ms until it is cancelled, so
/// a test has a run going.
struct EndlessValuator: Valuator {
    func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        let n = problem.count
        return AsyncThrowingStream { c in
            let task = Task.detached {
                var done = 0
                while !Task.isCancelled {
                    done += 1
                    c.yield(ValuationUpdate(done: done, total: 1_000_000, unit: "steps",
                                            estimate: ValuationEstimate(values: (0..<n).map { Double($0 % 5) }), elapsed: Double(done) / 50))
                    try? await Task.sleep(for: .milliseconds(20))
                }
                c.finish()
            }
            c.onTermination = { _ in task.cancel() }
        }
    }
}

/// A directory with a small CSV of `rows` rows (2 features, 2 classes) written into it, each
/// line ended by the next of `lineEnds` in turn.
struct FixtureFile {
    let folder: TemporaryDirectory
    let path: String
    var directory: String { folder.path }

    init(rows: Int = 40, lineEnds: [String] = ["\n"], name: String = "small.csv") throws {
        folder = TemporaryDirectory(prefix: "worth-tui")
        var text = "x,y,label" + lineEnds[0]
        for i in 0..<rows {
            text += "\(i),\(Double(i % 5) / 2),\(i % 2 == 0 ? "even" : "odd")" + lineEnds[(i + 1) % lineEnds.count]
        }
        path = try folder.write(text, to: name)
    }

    /// `rows` rows of `features` features in `classes` well separated classes (`c0`, `c1`, …),
    /// row i of class i mod `classes`, in a file named `name`.
    init(classes: Int, features: Int, rows: Int, name: String = "classes.csv") throws {
        folder = TemporaryDirectory(prefix: "worth-tui")
        var text = (0..<features).map { "f\($0)" }.joined(separator: ",") + ",class\n"
        for i in 0..<rows {
            let c = i % classes
            let cells = (0..<features).map { j in String(Double((c * 7 + j * 3) % 11) + Double((i * 13 + j * 5) % 17) / 20) }
            text += cells.joined(separator: ",") + ",c\(c)\n"
        }
        path = try folder.write(text, to: name)
    }

    func remove() { folder.remove() }
}

/// The engine's loader and reader with `methods`.
func fixtureServices(_ methods: [MethodDescriptor] = fixtureMethods) -> WorkbenchServices {
    WorkbenchServices(preview: WorkbenchServices.engine.preview, open: WorkbenchServices.engine.open, methods: methods)
}

/// A workbench on the engine's loader with the fixture methods, nothing open, `entries` offered.
func emptyWorkbench(directory: String, methods: [MethodDescriptor] = fixtureMethods, entries: [FileEntry] = []) -> Workbench {
    Workbench(services: fixtureServices(methods), discover: { entries }, workingDirectory: directory, workers: 1)
}

/// A workbench on the engine's loader with the fixture methods, already showing the open file
/// (its last column the label).
func makeWorkbench(_ file: FixtureFile, methods: [MethodDescriptor] = fixtureMethods) async -> Workbench {
    let w = emptyWorkbench(directory: file.directory, methods: methods)
    w.open(path: file.path, label: nil)
    w.type(.enter)
    await waitForLoad(w)
    return w
}

/// Polls the workbench until the file it loads is loaded (or failed) (at most ~30 s: a load
/// waits for a thread of the task pool, which other tests may hold).
func waitForLoad(_ w: Workbench) async {
    await waitFor(w, seconds: 30) { !w.isLoading }
}

/// A workbench on `file` that ran the fixture method to its end (and, with `suggestions`,
/// fitted its suggested labels).
func ranWorkbench(_ file: FixtureFile, suggestions: Bool = false) async -> Workbench {
    let w = await makeWorkbench(file)
    w.type(.enter, .enter)
    await waitForRun(w)
    if suggestions { await waitFor(w) { w.run?.reference != nil } }
    return w
}

/// Polls the workbench until its run has ended (at most ~10 s).
func waitForRun(_ w: Workbench) async {
    for _ in 0..<1000 {
        w.poll()
        if !w.isRunning { return }
        try? await Task.sleep(for: .milliseconds(10))
    }
}

/// Polls the workbench until `condition` holds (at most ~`seconds` s).
func waitFor(_ w: Workbench, seconds: Int = 10, _ condition: () -> Bool) async {
    for _ in 0..<(seconds * 100) where !condition() {
        w.poll()
        try? await Task.sleep(for: .milliseconds(10))
    }
}

/// Polls the workbench until the open file's map is ready (at most ~10 s).
func waitForMap(_ w: Workbench) async {
    await waitFor(w) { !w.session.isMapping }
}

/// Renders the workbench at `width` × `height`.
func render(_ w: Workbench, _ width: Int, _ height: Int, glyphs: Glyphs = .unicode) -> Grid {
    var g = Grid(width: width, height: height, glyphs: glyphs)
    w.draw(into: &g)
    return g
}

extension Workbench {
    func type(_ keys: Key...) { for k in keys { handle(k) } }
    func type(text: String) { for c in text { handle(.char(c)) } }

    // Shorthands for what the tests look at.
    var run: Run? { session.run }
    var flags: Set<Int> { session.flags }
    var status: Notice? { session.notice }
    var file: OpenFile? { session.file }
    var overlay: ScreenID? { overlays.last }
    var flagsUnsaved: Bool { session.flagsUnsaved }
    var whatIf: WhatIfResult? { session.whatIf }
    var quitPrompt: Prompt.Purpose? { prompt?.purpose }
    var label: LabelScreen { screen(.label) }
    var method: MethodScreen { screen(.method) }

    /// Clears the prompt's proposed text and types `text`.
    func answer(_ text: String) {
        type(.char("\u{15}"))
        type(text: text)
        type(.enter)
    }
}

/// A clock tests move by hand (for notices that age).
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ d: Duration) { instant.withLock { $0 += d } }
}

extension Grid {
    /// Rows `rows` as text, joined by newlines.
    func lines(_ rows: Range<Int>) -> String { rows.map { line($0) }.joined(separator: "\n") }
}

extension String {
    /// The text as one line: frames and line breaks as spaces, runs of spaces as one (to find
    /// a sentence however it wrapped).
    var flattened: String {
        String(map { "│\n".contains($0) ? " " : $0 }).split(separator: " ").joined(separator: " ")
    }
}
