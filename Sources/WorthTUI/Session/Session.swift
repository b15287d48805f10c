import Foundation
import WorthEngine

/// A line on the status bar: what just happened, or what went wrong. It belongs to the screen
/// it was said on, and gives way to that screen's key hints after a while, or at once when
/// another screen or panel comes up.
struct Notice: Sendable {
    var text: String
    var style: Style
    let posted: ContinuousClock.Instant
    /// The screen it was said on; the workbench sets it once the key that caused it is handled.
    var screen: ScreenID?

    /// How long it stays up: errors longer than news.
    var lifetime: Duration { style == .error ? .seconds(20) : .seconds(8) }
}

/// What the workbench is working on, shared by its screens: the open file, its flags and where
/// they are saved, the run, the background jobs (map, what-if), and the status line's notice.
/// Used from the key loop's thread only; the engine works elsewhere and `poll()` takes its news.
struct Session {
    let services: WorkbenchServices
    let workingDirectory: String
    /// Concurrent units of work for valuations, ≥ 1.
    let workers: Int
    /// The clock notices age by (tests set their own).
    var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }

    /// The file being opened: read, its label column not chosen yet.
    var preview: TablePreview?
    private(set) var file: OpenFile?
    private(set) var flagSession: FlagSession?
    /// The Dataset screen's map of the rows, once its background job is done.
    private(set) var map: DatasetMap?
    private var mapJob: BackgroundJob<DatasetMap>?
    /// The valuation of the open file, running or done.
    var run: Run?
    /// The what-if retraining, once done.
    private(set) var whatIf: WhatIfResult?
    private var whatIfJob: BackgroundJob<WhatIfResult>?
    /// The flags counted by where they are: the one count every screen shows.
    private(set) var flagCounts = FlagCounts(flags: [], experiment: nil)
    var notice: Notice?

    init(services: WorkbenchServices, workingDirectory: String, workers: Int) {
        self.services = services
        self.workingDirectory = workingDirectory
        self.workers = max(1, workers)
    }

    /// Shows `text` on the status line.
    mutating func say(_ text: String, _ style: Style = .plain) {
        notice = Notice(text: text, style: style, posted: now())
    }

    // MARK: - Files

    /// Reads `path`'s header and first rows for the label picker.
    mutating func preview(_ path: String) throws {
        preview = try services.preview(path)
    }

    /// Loads the previewed file with label column `labelColumn` and makes it the open file.
    mutating func load(labelColumn: Int, missing: MissingPolicy) throws {
        guard let p = preview else { return }
        install(try services.open(p.path, labelColumn, missing))
    }

    /// Makes `f` the open file: ends the run, restores the file's saved flags, maps its rows.
    mutating func install(_ f: OpenFile) {
        run?.cancel()
        run = nil
        whatIf = nil
        file = f
        let (session, note) = FlagSession.open(FlagStore(dataPath: f.path, fingerprint: f.source.fingerprint,
                                                         rowCount: f.source.recordCount))
        flagSession = session
        notice = nil
        if let note { say(note.text, note.style) }
        mapJob?.cancel()
        map = nil
        mapJob = BackgroundJob(dataset: f.loaded.dataset)
        countFlags()
    }

    /// Whether the open file's map is still being computed.
    var isMapping: Bool { mapJob != nil }

    // MARK: - Flags

    /// The flagged data rows (1-based) of the open file.
    var flags: Set<Int> { flagSession?.flags ?? [] }

    /// Whether the open file's flags could not be saved (the title bar and the quit say so).
    var flagsUnsaved: Bool { flagSession.map { !$0.isSaved } ?? false }

    /// Flags or unflags data rows and saves them; `action` (asked after the save) is what the
    /// status line says then; a failed save always says so as well.
    mutating func setFlags(_ rows: [Int], on: Bool, action: ((FlagCounts) -> String)? = nil) {
        changeFlags(action) { $0.set(rows, on: on) }
    }

    mutating func unflagAll() {
        let n = flags.count
        changeFlags({ _ in "unflagged \(n) row\(n == 1 ? "" : "s")" }) { $0.removeAll() }
    }

    /// Tries the save again (the quit question's `r`); true when it worked.
    mutating func retrySavingFlags() -> Bool {
        changeFlags(nil) { _ in }
        return !flagsUnsaved
    }

    /// Saves the flags to `path` from now on; returns why not, or nil.
    mutating func saveFlags(to path: String) -> String? {
        guard var session = flagSession else { return "no file is open" }
        let outcome = session.save(to: path)
        flagSession = session
        if case .failed(let reason) = outcome { return reason }
        afterFlagsChanged()
        let beside = FlagStore.path(besideData: session.store.dataPath)
        say("flags saved to \(session.store.path); reopening restores them only from \(beside): copy the file there", .good)
        return nil
    }

    /// Applies `change` to the flags, saves them (merged with what is on disk) and reports.
    private mutating func changeFlags(_ action: ((FlagCounts) -> String)?, _ change: (inout FlagSession) -> Void) {
        guard var session = flagSession else { return }
        let wasSaved = session.isSaved
        change(&session)
        let outcome = session.save()
        flagSession = session
        afterFlagsChanged()
        let counts = flagCounts
        if let message = FlagSession.message(outcome, after: action?(counts), wasSaved: wasSaved, path: session.store.path) {
            say(message.text, message.style)
        }
    }

    private mutating func afterFlagsChanged() {
        let flags = self.flags
        run?.table.flagsChanged(flags)
        countFlags()
    }

    private mutating func countFlags() {
        flagCounts = FlagCounts(flags: flags, experiment: run?.experiment)
    }

    /// Where the quit question proposes to save flags that cannot be saved beside the data: the
    /// working directory, else the home directory, else the temporary one, under the data
    /// file's name.
    var flagsFallbackPath: String {
        let name = URL(fileURLWithPath: flagSession?.store.path ?? "worth.worth-flags.csv").lastPathComponent
        let failed = URL(fileURLWithPath: flagSession?.store.path ?? "/").deletingLastPathComponent().standardizedFileURL.path
        let candidates = [workingDirectory, ProcessInfo.processInfo.environment["HOME"] ?? "", NSTemporaryDirectory()]
        let directory = candidates.first {
            !$0.isEmpty && URL(fileURLWithPath: $0).standardizedFileURL.path != failed && access($0, W_OK) == 0
        } ?? NSTemporaryDirectory()
        return (directory as NSString).appendingPathComponent(name)
    }

    // MARK: - Runs

    /// Splits the open file, makes `method`'s valuator and starts it in the background, in
    /// place of the run there is (the Method screen asks first when that would lose work).
    mutating func startRun(_ method: MethodDescriptor, choices: MethodChoices) throws {
        guard let f = file else { return }
        let experiment = try Experiment(source: f.loaded, options: choices.options(for: method), for: method)
        let valuator = try method.make(choices.values(of: method))
        run?.cancel()
        whatIf = nil
        run = Run(methodTitle: method.title, changedParameters: choices.changed(of: method), experiment: experiment,
                  valuator: valuator, flags: flags)
        countFlags()
    }

    /// What a new run or quitting would lose now, in a few words; nil when nothing.
    var workAtStake: String? {
        guard let r = run else { return nil }
        if r.isRunning {
            let percent = r.progress.fraction.map { " (\(NumberFormat.percent($0)))" } ?? ""
            return "the \(r.methodTitle) run\(percent) is \(r.isPaused ? "paused" : "going")"
        }
        return r.exported || r.failure != nil ? nil : "the \(r.methodTitle) values are not exported"
    }

    /// The question to ask before `action` (e.g. "Run Data-OOB") when it would discard work,
    /// or nil when nothing would be lost.
    func discardQuestion(_ action: String) -> String? {
        workAtStake.map { "\(action)? \($0.prefix(1).uppercased() + $0.dropFirst()) and would be discarded (y/n)" }
    }

    /// Takes the engine's and the background jobs' news, and ages the notice; returns true when
    /// something on screen changed.
    mutating func poll() -> Bool {
        var changed = false
        if let job = mapJob {
            let (news, finished) = job.take()
            if let news { map = news }
            if news != nil || finished { mapJob = nil; changed = true }
        }
        if let job = whatIfJob {
            let (news, finished) = job.take()
            if let news { whatIf = news }
            if news != nil || finished { whatIfJob = nil; changed = true }
        }
        let flags = self.flags
        if run?.poll(flags: flags) == true { changed = true }
        if let n = notice, now() - n.posted > n.lifetime {
            notice = nil
            changed = true
        }
        return changed
    }

    /// Retrains without the flagged rows in the background; false (with a notice) when no
    /// valued row is flagged.
    mutating func startWhatIf() -> Bool {
        guard let r = run else { return false }
        guard flagCounts.valued > 0 else {
            say("flag rows first (Space, or f for the lowest N%): the what-if retrains without them", .warn)
            return false
        }
        whatIf = nil
        whatIfJob?.cancel()
        whatIfJob = BackgroundJob(experiment: r.experiment, flags: flags)
        return true
    }

    // MARK: - Export

    /// Writes the values, the flagged rows and the file without them, at `prefix`.
    mutating func export(prefix: String) {
        guard let f = file, let r = run else {
            return say("run a method first: there are no values to export", .warn)
        }
        do {
            let files = try Exporter(file: f, run: r, flags: flags).write(prefix: prefix)
            run?.exported = true
            let n = flagCounts.total
            say("exported \(files[0]), \(files[1]) (\(n) flagged), \(files[2]) (the other \(f.source.recordCount - n) rows)", .good)
        } catch {
            say(EngineMessages.describe(error), .error)
        }
    }

    /// The export prefix offered: the data file's name in the working directory.
    var defaultExportPrefix: String {
        guard let f = file else { return "worth" }
        return URL(fileURLWithPath: f.path).deletingPathExtension().lastPathComponent + "-worth"
    }
}
