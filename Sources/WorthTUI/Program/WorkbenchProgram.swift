import CNcurses
import Foundation
import WorthEngine

/// How `worth` starts the workbench.
public struct WorkbenchOptions: Sendable {
    /// The label column for a file given on the command line (name or 1-based number); nil
    /// shows the label picker.
    public var label: String?
    /// Concurrent units of work for valuations, ≥ 1.
    public var workers: Int
    /// Where the bundled samples are; nil searches next to the executable and the working directory.
    public var samplesDirectory: String?

    public init(label: String? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount, samplesDirectory: String? = nil) {
        self.label = label
        self.workers = max(1, workers)
        self.samplesDirectory = samplesDirectory
    }
}

/// Runs the terminal workbench until the user quits; returns the process exit status
/// (0 after a normal quit, 2 when there is no usable terminal, 130/143 after a signal).
///
/// The key loop blocks its thread for the whole session, so it runs on the main actor (the
/// main thread): called from a nonisolated async function it would otherwise hold one of the
/// cooperative pool's threads, of which there are only as many as cores, and the engine would
/// run on one core fewer (on 2 cores the UI then ran Data-OOB about half as fast as `worth value`).
///
/// - Parameter path: a CSV to open at once (`worth data.csv`), or nil for the Open screen.
@MainActor
public func runWorkbench(path: String?, options: WorkbenchOptions) -> Int32 {
    let env = ProcessInfo.processInfo.environment
    guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0, let term = env["TERM"], !term.isEmpty, term != "dumb" else {
        FileHandle.standardError.write(Data("worth: the workbench needs a terminal (TERM is dumb, unset, or output is not a terminal); use `worth value FILE` for a headless run\n".utf8))
        return 2
    }
    setlocale(LC_ALL, "")
    let cwd = FileManager.default.currentDirectoryPath
    let samples = options.samplesDirectory
    let workbench = Workbench(services: .engine, discover: { FileEntry.discover(samplesDirectory: samples, workingDirectory: cwd) },
                              workingDirectory: cwd, workers: options.workers)
    if let path { workbench.open(path: path, label: options.label) }

    installSignalHandlers()
    // Flags that could not be saved are printed once the terminal is back (this defer runs
    // after the one that restores it), so quitting without them or a SIGTERM loses nothing.
    var lostFlags: String?
    defer { if let lostFlags { FileHandle.standardError.write(Data((lostFlags + "\n").utf8)) } }
    let terminal = Terminal(noColor: !(env["NO_COLOR"] ?? "").isEmpty)
    defer { terminal.restore() }
    let glyphs: Glyphs = terminal.unicode ? .unicode : .ascii
    let frame = Duration.milliseconds(33)
    let clock = ContinuousClock()
    var lastDraw = clock.now - frame
    var dirty = true

    while !workbench.quitRequested {
        if terminationSignal.load(ordering: .relaxed) != 0 { break }
        if suspendSignal.exchange(false, ordering: .relaxed) { workbench.suspendRequested = true }
        if workbench.suspendRequested {
            workbench.suspending { terminal.suspend() }
            dirty = true
        }
        let wait = dirty ? max(0, (frame - (clock.now - lastDraw)).milliseconds) : 33
        if var key = terminal.readKey(timeout: wait) {
            // Take every key already typed before drawing, so held keys never lag behind.
            while true {
                if key == .resize { terminal.invalidate() } else { workbench.handle(key) }
                guard !workbench.quitRequested, !workbench.suspendRequested, let next = terminal.readKey(timeout: 0) else { break }
                key = next
            }
            dirty = true
        }
        if workbench.poll() { dirty = true }
        if dirty && clock.now - lastDraw >= frame {
            let (w, h) = terminal.size
            var grid = Grid(width: w, height: h, glyphs: glyphs)
            grid.colors = terminal.colors
            workbench.draw(into: &grid)
            terminal.show(grid)
            lastDraw = clock.now
            dirty = false
        }
    }
    workbench.session.closeRuns()
    lostFlags = workbench.session.flagSession?.lostFlagsNote
    ValuationWork.finishBlocking()   // a cancelled run may still be saving its state
    let signal = terminationSignal.load(ordering: .relaxed)
    return signal == 0 ? 0 : 128 + signal
}

extension Duration {
    /// Whole milliseconds (truncated).
    var milliseconds: Int { Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000) }
}
