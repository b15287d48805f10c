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

/// What the workbench is working on, shared by its screens: the open file, its flags and
/// relabels (with their undo history) and where they are saved, its runs, the background jobs
/// (map, what-if), and the status line's notice.
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
    /// The file being loaded in the background, if one is.
    private(set) var loading: Loading?
    /// How the last load ended, until the workbench takes it (`takeLoadOutcome`).
    private var loadOutcome: LoadOutcome?
    private(set) var file: OpenFile?
    private(set) var flagSession: FlagSession?
    /// Every flag and relabel change of the open file, for undo and redo.
    private(set) var history = MarkHistory()
    /// The marks as the ranked tables use them (relabels as class indices).
    private(set) var rowMarks = RowMarks()
    /// The Dataset screen's map of the rows, once its background job is done.
    private(set) var map: DatasetMap?
    private var mapJob: BackgroundJob<DatasetMap>?
    /// Every run of the open file, started here or saved beside it.
    private(set) var shelf: RunShelf?
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

    /// A load going on in the background: what it loads, since when, how far it is.
    struct Loading {
        let path: String
        /// The file's size in bytes, when it could be looked at.
        let size: Int?
        let started: ContinuousClock.Instant
        var status = LoadStatus()
        /// When the load screen last changed (its clock is redrawn a few times a second).
        var shown: ContinuousClock.Instant
        fileprivate let job: BackgroundJob<LoadNews>
    }

    /// What a load posts: how far it is, then how it ended.
    enum LoadNews: Sendable {
        case progress(LoadStatus)
        case done(Result<Opened, any Error>)
    }

    /// A file loaded, with what was found beside it: its saved flags and relabels, and its
    /// saved runs reopened (an experiment each: seconds at a million rows), all made where it
    /// was loaded, off the key loop.
    struct Opened: Sendable {
        let file: OpenFile
        let flags: FlagSession
        let note: (text: String, style: Style)?
        let marks: RowMarks
        let shelf: RunShelf

        init(_ file: OpenFile, missing: MissingPolicy, workers: Int) {
            self.file = file
            (flags, note) = FlagSession.open(FlagStore(dataPath: file.path, fingerprint: file.source.fingerprint,
                                                       rowCount: file.source.recordCount))
            marks = RowMarks(flags.marks, classNames: file.loaded.dataset.classNames)
            shelf = RunShelf(file: file, missing: missing, workers: workers, marks: marks)
        }
    }

    /// How a load ended: the file installed, or why not (in one line).
    enum LoadOutcome: Equatable {
        case opened
        case failed(String)
    }

    /// Starts loading the previewed file with label column `labelColumn` in the background; the
    /// open file stays until it is loaded, then `poll` installs it (a failure or cancel leaves
    /// it open).
    mutating func load(labelColumn: Int, missing: MissingPolicy) {
        guard let p = preview else { return }
        cancelLoad()
        // The runs going were to be cut short (the person was asked): they end now, saved, so
        // the file's saved runs, listed where it loads, hold them when it is this file again.
        shelf?.close()
        let (open, workers) = (services.open, workers)
        let job = BackgroundJob<LoadNews> { box in
            let result = Result {
                let file = try open(p.path, labelColumn, missing) { status in
                    box.post(.progress(status))
                    return !Task.isCancelled
                }
                return Opened(file, missing: missing, workers: workers)
            }
            if case .failure(is CancellationError) = result { return }
            if !Task.isCancelled { box.post(.done(result)) }
        }
        loading = Loading(path: p.path, size: FileStamp(path: p.path)?.size, started: now(), shown: now(),
                          job: job)
    }

    /// Stops the load going, if any (the open file, if any, stays).
    mutating func cancelLoad() {
        loading?.job.cancel()
        loading = nil
    }

    /// How the last load ended, once (nil while loading or when already taken).
    mutating func takeLoadOutcome() -> LoadOutcome? {
        defer { loadOutcome = nil }
        return loadOutcome
    }

    /// Makes the file `opened` the open file: ends the runs of the one open (saving them), takes
    /// its saved flags, relabels and runs, maps its rows.
    mutating func install(_ opened: Opened) {
        shelf?.close()
        whatIf = nil
        let f = opened.file
        file = f
        let note = opened.note
        flagSession = opened.flags
        history = MarkHistory()
        chosenRuns = []
        rowMarks = opened.marks
        shelf = opened.shelf
        notice = nil
        var text = note?.text
        if let s = shelf, !s.runs.isEmpty || !s.others.isEmpty {
            let stale = s.others.count
            text = (text.map { $0 + "; " } ?? "") + "\(s.runs.count) saved run\(s.runs.count == 1 ? "" : "s") on the Runs screen"
                + (stale == 0 ? "" : " (\(stale) stale or unreadable)")
        }
        if let text { say(text, note?.style ?? .plain) }
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

    /// The open file's flags and relabels.
    var marks: Marks { flagSession?.marks ?? Marks() }

    /// Flags or unflags data rows and saves them; `action` (asked after the save) is what the
    /// status line says then; a failed save always says so as well. One undo step.
    mutating func setFlags(_ rows: [Int], on: Bool, action: ((FlagCounts) -> String)? = nil) {
        let what = rows.count == 1 ? "\(on ? "flag" : "unflag") row \(rows[0])" : "\(on ? "flag" : "unflag") \(rows.count) rows"
        changeMarks(what, action) { $0.set(rows, on: on) }
    }

    /// Unflags every row: one undo step.
    mutating func unflagAll() {
        let n = flags.count
        changeMarks("unflag all \(n)", { _ in "unflagged \(n) row\(n == 1 ? "" : "s") (u undoes)" }) { $0.removeAll() }
    }

    /// Gives data row `row` the label `label` (a class name of the file), or its own again (nil). One undo step.
    mutating func relabel(_ row: Int, to label: String?) {
        let what = label.map { "relabel row \(row) as \($0)" } ?? "restore row \(row)'s label"
        let old = originalLabel(row) ?? "?"
        changeMarks(what, { _ in label.map { "row \(row) relabeled \(old) → \($0) (u undoes)" } ?? "row \(row) has its own label again" }) {
            $0.relabel(row, to: label)
        }
    }

    /// The label data row `row` has in the file (before any relabel), when it is loaded.
    func originalLabel(_ row: Int) -> String? {
        file?.label(ofRow: row)
    }

    /// Undoes the last flag or relabel change; false (with a notice) when there is none.
    @discardableResult
    mutating func undo() -> Bool {
        guard let change = history.undo() else { say("nothing to undo", .warn); return false }
        apply(change, verb: "undid")
        return true
    }

    /// Redoes the last change undone; false (with a notice) when there is none.
    @discardableResult
    mutating func redo() -> Bool {
        guard let change = history.redo() else { say("nothing to redo", .warn); return false }
        apply(change, verb: "redid")
        return true
    }

    private mutating func apply(_ change: MarkChange, verb: String) {
        changeMarks(nil, { _ in "\(verb): \(change.what)" }, record: false) { s in
            s.set(change.flagged, on: true)
            s.set(change.unflagged, on: false)
            for r in change.relabels { s.relabel(r.row, to: r.to) }
        }
    }

    /// Tries the save again (the quit question's `r`); true when it worked.
    mutating func retrySavingFlags() -> Bool {
        changeMarks(nil, nil, record: false) { _ in }
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

    /// Applies `change` to the marks, records it for undo (`what` it did, unless `record` is
    /// false), saves them (merged with what is on disk) and reports.
    private mutating func changeMarks(_ what: String?, _ action: ((FlagCounts) -> String)?, record: Bool = true,
                                      _ change: (inout FlagSession) -> Void) {
        guard var session = flagSession else { return }
        let wasSaved = session.isSaved, before = session.marks
        change(&session)
        if record, let what { history.record(MarkChange(from: before, to: session.marks, what: what)) }
        let outcome = session.save()
        flagSession = session
        afterFlagsChanged()
        let counts = flagCounts
        if let message = FlagSession.message(outcome, after: action?(counts), wasSaved: wasSaved, path: session.store.path) {
            say(message.text, message.style)
        }
    }

    private mutating func afterFlagsChanged() {
        rowMarks = RowMarks(marks, classNames: file?.loaded.dataset.classNames ?? [])
        if var s = shelf {
            shelf = nil
            let m = rowMarks
            for i in s.runs.indices { s.mutate(i) { $0.table.marksChanged(m) } }
            shelf = s
        }
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

    /// The run the Run screen shows.
    var run: Run? {
        get { shelf?.current }
        set { shelf?.current = newValue }
    }

    /// Every run of the open file that can be shown.
    var runs: [Run] { shelf?.runs ?? [] }

    /// Shows run `i` on the Run screen.
    mutating func show(run i: Int) {
        shelf?.shown = i
        countFlags()
    }

    /// Splits the open file, makes `method`'s valuator and starts it in the background, beside
    /// the runs there are (none is discarded), and shows it.
    mutating func startRun(_ method: MethodDescriptor, choices: MethodChoices) throws {
        guard let f = file else { return }
        let experiment = try Experiment(source: f.loaded, options: choices.options(for: method), for: method)
        let parameters = choices.values(of: method)
        let valuator = try method.make(parameters)
        whatIf = nil
        shelf?.add(Run(method: method, parameters: parameters, changedParameters: choices.changed(of: method),
                       experiment: experiment, valuator: valuator, marks: rowMarks))
        countFlags()
    }

    /// The runs chosen on the Runs screen for Compare and consensus (by id).
    var chosenRuns: Set<String> = []

    /// The runs Compare and consensus take: those chosen, or every run when fewer than two are.
    var comparedRuns: [Run] {
        let chosen = runs.filter { chosenRuns.contains($0.id) }
        return chosen.count >= 2 ? chosen : runs
    }

    /// Adds the consensus of `runs` by `rule` as a run and shows it.
    mutating func addConsensus(of runs: [Run], rule: Consensus.Rule = .meanRank) {
        guard !runs.isEmpty else { return }
        let consensus = Consensus(runs.map(RunComparison.input), rule: rule)
        shelf?.add(Run(consensus: consensus, of: runs, marks: rowMarks))
        say("consensus of \(runs.count) runs by \(Run.describe(rule)): the \(consensus.rows.count) rows they all value", .good)
        countFlags()
    }

    /// Deletes run `i` (cancelling it if it is going) and its saved file.
    mutating func deleteRun(_ i: Int) {
        guard var s = shelf, s.runs.indices.contains(i) else { return }
        let title = s.runs[i].methodTitle
        if let why = s.delete(i) { say("the \(title) run is not deleted: \(why)", .error) } else { say("deleted the \(title) run", .plain) }
        shelf = s
        countFlags()
    }

    /// Deletes the stale saved run `k` (of `shelf.others`).
    mutating func deleteOtherRun(_ k: Int) {
        guard var s = shelf, s.others.indices.contains(k) else { return }
        if let why = s.deleteOther(k) { say(why, .warn) } else { say("deleted the stale run", .plain) }
        shelf = s
    }

    /// Tries again to save the runs whose save failed (the Runs screen does when it comes up).
    mutating func retryRunSaves() {
        guard var s = shelf else { return }
        if s.runs.contains(where: { if case .failed = $0.saved { true } else { false } }) {
            let failing = s.retryFailedSaves()
            if failing > 0 { say("\(failing) run\(failing == 1 ? "" : "s") NOT SAVED in \(s.store.directory): see the Runs screen", .error) }
        }
        shelf = s
    }

    /// Ends the runs going, saving what they found (quitting).
    mutating func closeRuns() { shelf?.close() }

    /// What quitting or opening another file would lose now, in a few words; nil when nothing
    /// (ended runs are saved beside the data).
    var workAtStake: String? {
        if let r = runs.first(where: { $0.isRunning }) {
            let percent = r.progress.fraction.map { " (\(NumberFormat.percent($0)))" } ?? ""
            return "the \(r.methodTitle) run\(percent) is \(r.isPaused ? "paused" : "going")"
        }
        let unsaved = runs.filter { if case .failed = $0.saved { true } else { false } }.count
        return unsaved == 0 ? nil : "\(unsaved) run\(unsaved == 1 ? " is" : "s are") NOT SAVED"
    }

    /// The question to ask before `action` (e.g. "Open iris.csv") when it would discard work,
    /// or nil when nothing would be lost.
    func discardQuestion(_ action: String) -> String? {
        workAtStake.map { "\(action)? \($0.prefix(1).uppercased() + $0.dropFirst()) and would be cut short (y/n)" }
    }

    /// Takes the engine's and the background jobs' news, and ages the notice; returns true when
    /// something on screen changed.
    mutating func poll() -> Bool {
        var changed = false
        if let l = loading {
            let (news, finished) = l.job.take()
            switch news {
            case .progress(let status)?:
                loading?.status = status
                changed = true
            case .done(.success(let opened))?:
                loading = nil
                install(opened)
                loadOutcome = .opened
                changed = true
            case .done(.failure(let error))?:
                loading = nil
                loadOutcome = .failed(EngineMessages.describe(error))
                changed = true
            case nil:
                if finished {   // ended without news: cancelled
                    loading = nil
                    changed = true
                }
            }
            if let shown = loading?.shown, changed || now() - shown >= .milliseconds(250) {
                loading?.shown = now()
                changed = true
            }
        }
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
        if var s = shelf {
            shelf = nil   // s alone holds the runs: their tables change in place
            let (news, failures) = s.poll(marks: rowMarks)
            shelf = s
            if news { changed = true; countFlags() }
            if let first = failures.first { say("run NOT SAVED: \(first)", .error) }
        }
        if let n = notice, now() - n.posted > n.lifetime {
            notice = nil
            changed = true
        }
        return changed
    }

    /// Retrains without the flagged rows and with the relabels in the background; false (with
    /// a notice) when no valued row is flagged or relabeled.
    mutating func startWhatIf() -> Bool {
        guard let r = run else { return false }
        let m = rowMarks
        guard flagCounts.valued > 0 || r.table.sourceRows.contains(where: { m.relabels[$0] != nil }) else {
            say("flag rows (Space, f) or relabel them (l) first: the what-if retrains with those changes", .warn)
            return false
        }
        whatIf = nil
        whatIfJob?.cancel()
        whatIfJob = BackgroundJob(experiment: r.experiment, marks: m)
        return true
    }

    // MARK: - Export

    /// Writes the values, the flagged rows and the file without them, at `prefix`.
    mutating func export(prefix: String) {
        guard let f = file, let r = run else {
            return say("run a method first: there are no values to export", .warn)
        }
        do {
            let files = try Exporter(file: f, run: r, runs: runs, marks: marks).write(prefix: prefix)
            let n = flagCounts.total, l = marks.relabels.count
            say("exported \(files[0]), \(files[1]) (\(n) flagged), \(files[2]) (the other \(f.source.recordCount - n) rows), "
                + "\(files[3]) (\(l) relabeled, flagged dropped), \(files[4])", .good)
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
