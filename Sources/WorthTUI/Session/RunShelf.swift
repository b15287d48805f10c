import Foundation
import WorthEngine

/// Every run of the open file: those started here and those saved beside it (`RunStore`,
/// `<file>.worth-runs/`), which are listed again without running them. A run is saved when it
/// ends (finished or cancelled), atomically, one file per run; a failed save is kept on the run
/// and tried again until it works. A saved run that cannot be reopened on this version of the
/// file (another fingerprint, label column or split) is listed as stale and never used for
/// flags; a file that cannot be read is listed with why.
struct RunShelf: Sendable {
    let store: RunStore
    /// What a run of this file is saved for.
    let data: SavedRun.DataIdentity
    /// The runs that can be shown, oldest first.
    private(set) var runs: [Run] = []
    /// Saved runs that cannot be shown: stale or unreadable, in the store's order.
    private(set) var others: [Other] = []
    /// The run the Run screen shows, by index into `runs`.
    var shown: Int?

    /// A saved run that cannot be shown.
    enum Other {
        /// Saved for another version of the file (or another label column or split): why, in a few words.
        case stale(SavedRun, path: String, why: String)
        /// A file in the store that is not a readable run: the one-line reason.
        case unreadable(path: String, reason: String)
    }

    /// The shelf of `file` (label column and missing-cell policy as loaded), with its saved runs
    /// reopened on `workers` (which changes no value).
    init(file: OpenFile, missing: MissingPolicy, workers: Int, marks: RowMarks) {
        store = RunStore(dataPath: file.path)
        let column = file.loaded.labelColumn
        data = SavedRun.DataIdentity(fingerprint: file.source.fingerprint, dataRows: file.source.recordCount, labelColumn: column,
                                     labelName: file.header.indices.contains(column) ? file.header[column] : "", missing: missing)
        for entry in store.list() {
            switch entry {
            case .unreadable(let path, let reason): others.append(.unreadable(path: path, reason: reason))
            case .run(let saved, let path):
                if let why = staleness(saved) {
                    others.append(.stale(saved.summary, path: path, why: why))
                    continue
                }
                guard let experiment = try? Experiment(source: file.loaded, options: saved.settings.options(workers: workers), for: nil),
                      saved.matches(experiment) else {
                    others.append(.stale(saved.summary, path: path, why: "its split is not this file's"))
                    continue
                }
                runs.append(Run(saved: saved, path: path, experiment: experiment, marks: marks))
            }
        }
    }

    /// Why `saved` cannot be reopened on this file, or nil when it can.
    private func staleness(_ saved: SavedRun) -> String? {
        let d = saved.data
        if d.fingerprint != data.fingerprint { return "saved for another version of the file" }
        if d.labelColumn != data.labelColumn { return "label column \(d.labelName), not \(data.labelName)" }
        if d.missing != data.missing { return "missing cells: \(d.missing.rawValue), not \(data.missing.rawValue)" }
        if d.validationFile != nil || d.testFile != nil { return "held-out rows from other files" }
        return nil
    }

    /// The run the Run screen shows.
    var current: Run? {
        get { shown.flatMap { runs.indices.contains($0) ? runs[$0] : nil } }
        set { if let i = shown, runs.indices.contains(i), let newValue { runs[i] = newValue } }
    }

    /// Changes run `i` in place.
    mutating func mutate(_ i: Int, _ body: (inout Run) -> Void) { body(&runs[i]) }

    /// Whether any run is going.
    var isRunning: Bool { runs.contains { $0.isRunning } }

    /// Adds a run just started and shows it; no other run is touched.
    mutating func add(_ run: Run) {
        runs.append(run)
        shown = runs.count - 1
    }

    /// Takes every run's news and saves the runs that ended; `changed` when something on
    /// screen did, `failures` the saves that failed just now (one line each).
    mutating func poll(marks: RowMarks) -> (changed: Bool, failures: [String]) {
        var changed = false, failures: [String] = []
        for i in runs.indices {
            if runs[i].poll(marks: marks) { changed = true }
            if runs[i].saved == .notYet, runs[i].isSaveable, let failure = save(i) {
                failures.append(failure)
                changed = true
            }
        }
        return (changed, failures)
    }

    /// Saves run `i` (ended, or going when `evenIfRunning`, as cancelled); returns why it failed, or nil.
    @discardableResult
    mutating func save(_ i: Int, evenIfRunning: Bool = false) -> String? {
        guard let record = runs[i].record(data: data, evenIfRunning: evenIfRunning) else { return nil }
        return write(record, i)
    }

    private mutating func write(_ record: SavedRun, _ i: Int) -> String? {
        do {
            runs[i].saved = .saved(path: try store.save(record))
            return nil
        } catch {
            let why = EngineMessages.describe(error)
            runs[i].saved = .failed(why)
            return why
        }
    }

    /// Tries again every save that failed; returns how many still fail.
    mutating func retryFailedSaves() -> Int {
        var failing = 0
        for i in runs.indices { if case .failed = runs[i].saved, save(i) != nil { failing += 1 } }
        return failing
    }

    /// Ends every run going, saving what it found as cancelled (the file is closed or the
    /// program quits).
    mutating func close() {
        for i in runs.indices where runs[i].isRunning { save(i, evenIfRunning: true) }
        for r in runs { r.cancel() }
    }

    /// Deletes run `i`: cancels it if it is going, removes its saved file; returns why the file
    /// could not be removed, or nil.
    mutating func delete(_ i: Int) -> String? {
        let r = runs[i]
        r.cancel()
        if case .saved = r.saved {
            do { try store.delete(id: r.id) } catch { return EngineMessages.describe(error) }
        }
        runs.remove(at: i)
        if let s = shown { shown = s == i ? nil : (s > i ? s - 1 : s) }
        return nil
    }

    /// Deletes the stale run `k` of `others` (its file); an unreadable file is left alone.
    mutating func deleteOther(_ k: Int) -> String? {
        guard case .stale(let saved, _, _) = others[k] else { return "an unreadable file is left as it is: remove it by hand" }
        do { try store.delete(id: saved.id) } catch { return EngineMessages.describe(error) }
        others.remove(at: k)
        return nil
    }
}
