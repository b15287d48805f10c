import Synchronization
import Foundation
import WorthEngine

/// One valuation of the open file: what was asked, the engine job computing it (pausable), and
/// its results as the Run screen shows them: progress, convergence, the ranked table and, in a
/// label-flip experiment, how well the values find the flipped rows so far. A run reopened from
/// the file's saved runs (`RunStore`) is the same value without an engine job.
///
/// A value: the session keeps it, the Run screen draws it. Its engine job and pause gate are
/// references, so copies of a run share them.
struct Run: Sendable {
    /// Its name in the file's saved runs (also its file name there).
    let id: String
    /// When it was started.
    let created: Date
    /// The method's catalog id, its name, and its parameters that differ from the method's defaults.
    let methodID: String
    let methodTitle: String
    let changedParameters: [(name: String, value: String)]
    /// The split and labels the run values.
    let experiment: Experiment
    var table: RankedTable
    /// The newest update taken from the engine (for a reopened run: its last one).
    private(set) var latest: ValuationUpdate?
    /// Set once the run has ended: why.
    private(set) var stop: StopReason?
    /// Set when the engine failed; shown in the run view, the UI stays up.
    private(set) var failure: String?
    /// How well low values find the flipped rows, in a flip experiment (nil otherwise or
    /// before any row has a value).
    private(set) var detection: NoisyLabelDetection?
    /// Snapshots of all values over the run, for a row's trajectory in the detail view.
    private(set) var history = ValueHistory()
    /// Class probabilities of each valued row from models that did not see it (cross-fitted),
    /// with its suggested label, once their background fit is done.
    private(set) var reference: ReferenceModel?
    /// For a consensus: the runs it is made of (their ids).
    private(set) var members: [String] = []
    /// Whether it is saved among the file's runs: not yet, where, or why the save failed.
    var saved: SaveState = .notYet
    /// The engine's pause gate for this run.
    let control = RunControl()
    /// Whether the table is sorted by standard error: then the job finds that order of each
    /// update too (a sort), off the key loop.
    private let sortsByStandardError = SharedFlag()
    /// What a saved run needs of the method that made it (nil for a reopened run: it is saved).
    private let recipe: (method: MethodDescriptor, parameters: ParameterValues)?
    private var job: BackgroundJob<RunNews>?
    private var referenceJob: BackgroundJob<ReferenceModel>?

    /// Whether a run is saved beside the data.
    enum SaveState: Equatable {
        case notYet
        case saved(path: String)
        case failed(String)
    }

    /// What the engine has delivered since the session last looked: its newest update, with
    /// what takes a sort to find of it (the ranking, the detection), found where it arrived
    /// so the key loop does not.
    struct RunNews: Sendable {
        var update: ValuationUpdate?
        var ranking: RankedTable.Ranking?
        var detection: NoisyLabelDetection?
        var failure: String?
    }

    /// How many labels the experiment flipped (counted once: drawing asks every frame).
    let flips: Int
    /// Whether the experiment flipped any label.
    var hasFlips: Bool { flips > 0 }

    /// Starts `method`'s `valuator` (made from `parameters`) on `experiment`'s problem in the background.
    init(method: MethodDescriptor, parameters: ParameterValues, changedParameters: [(name: String, value: String)],
         experiment: Experiment, valuator: any Valuator, marks: RowMarks, created: Date = Date()) {
        id = SavedRun.makeID(method: method.id, date: created)
        self.created = created
        methodID = method.id
        methodTitle = method.title
        self.changedParameters = changedParameters
        self.experiment = experiment
        recipe = (method, parameters)
        table = RankedTable(sourceRows: experiment.valuedRows.indices.map { experiment.sourceRow(ofValued: $0) },
                            labels: experiment.problem.trainLabels)
        table.marksChanged(marks)
        flips = experiment.flipped.count(where: { $0 })
        let (problem, control, flipped, hasFlips) = (experiment.problem, control, experiment.flipped, flips > 0)
        let bySE = sortsByStandardError
        job = BackgroundJob { box in
            do {
                for try await update in valuator.run(problem, control: control) {
                    let values = update.estimate.values
                    let se = bySE.isSet ? update.estimate.standardErrors : nil
                    box.post(RunNews(update: update, ranking: RankedTable.Ranking(values, standardErrors: se),
                                     detection: Self.detection(values, flipped: flipped, hasFlips: hasFlips)))
                }
            } catch is CancellationError {
            } catch {
                let text = EngineMessages.describe(error)
                box.post(merging: { $0 = RunNews(update: $0?.update, ranking: $0?.ranking, detection: $0?.detection, failure: text) })
            }
        }
    }

    /// The run `saved` (from `path`), on `experiment`, which values the same rows (`saved.matches`).
    init(saved: SavedRun, path: String, experiment: Experiment, marks: RowMarks) {
        id = saved.id
        created = Date(timeIntervalSince1970: saved.created)
        methodID = saved.method
        methodTitle = saved.methodTitle
        changedParameters = saved.changedParameters.map { ($0.name, $0.value) }
        self.experiment = experiment
        recipe = nil
        table = RankedTable(sourceRows: saved.rows, labels: experiment.problem.trainLabels)
        self.saved = .saved(path: path)
        flips = experiment.flipped.count(where: { $0 })
        apply(saved.finalUpdate, marks: marks)
    }

    /// A run that ranks the rows by `consensus` of `runs` (its rule: mean rank, or votes), on the first
    /// run's split: rows some run does not value have no value. It is not saved: `C` on the
    /// Runs screen makes it again in a moment.
    init(consensus: Consensus, of runs: [Run], marks: RowMarks, created: Date = Date()) {
        let base = runs[0]
        id = SavedRun.makeID(method: "consensus", date: created)
        self.created = created
        methodID = "consensus"
        methodTitle = "Consensus"
        changedParameters = [("of", runs.map(\.methodTitle).joined(separator: "+")), ("by", Self.describe(consensus.rule))]
        experiment = base.experiment
        recipe = nil
        members = runs.map(\.id)
        flips = base.flips
        table = RankedTable(sourceRows: base.table.sourceRows, labels: base.experiment.problem.trainLabels)
        let position = Dictionary(uniqueKeysWithValues: consensus.rows.enumerated().map { ($1, $0) })
        let values = base.table.sourceRows.map { position[$0].map { consensus.values[$0] } ?? .nan }
        apply(ValuationUpdate(done: runs.count, total: runs.count, unit: "runs", estimate: ValuationEstimate(values: values),
                              elapsed: 0, stop: .completed), marks: marks)
    }

    /// A consensus rule in a few words.
    static func describe(_ rule: Consensus.Rule) -> String {
        switch rule {
        case .meanRank: "mean rank"
        case .votes(let k): "votes in the lowest \(k)"
        }
    }

    /// Whether it is a consensus of other runs.
    var isConsensus: Bool { !members.isEmpty }

    /// Whether the engine is still working on it (paused or not).
    var isRunning: Bool { job != nil }

    /// Whether it is paused (its engine job waits at the gate).
    var isPaused: Bool { isRunning && control.isPaused }

    /// Asks the engine to stop; the estimate so far stays.
    func cancel() { job?.cancel() }

    /// Takes the engine's news; true when something changed on screen.
    mutating func poll(marks: RowMarks) -> Bool {
        var changed = false
        sortsByStandardError.isSet = table.sort.column == .stderr
        if let j = job {
            let (news, finished) = j.take()
            if let n = news, let u = n.update {
                apply(u, ranking: n.ranking, detection: n.detection, marks: marks)
                changed = true
            }
            if let f = news?.failure { failure = f; changed = true }
            if finished {
                if stop == nil && failure == nil { stop = .cancelled }
                job = nil
                changed = true
                fitReferenceModel()
            }
        }
        if let j = referenceJob, let model = j.take().news {
            reference = model
            referenceJob = nil
            table.setPredicted(model.predicted, marks: marks)
            changed = true
        }
        return changed
    }

    /// Takes `update`, with its ranking and detection when they were found already.
    private mutating func apply(_ update: ValuationUpdate, ranking: RankedTable.Ranking? = nil,
                                detection: NoisyLabelDetection?? = nil, marks: RowMarks) {
        latest = update
        if let s = update.stop { stop = s }
        let values = update.estimate.values
        table.update(values: values, standardErrors: update.estimate.standardErrors, ranking: ranking, marks: marks)
        history.record(done: update.done, values: values)
        if let found = detection ?? Self.detection(values, flipped: experiment.flipped, hasFlips: hasFlips) {
            self.detection = found
        }
    }

    /// How well low `values` find the `flipped` rows; nil without flips or values.
    private static func detection(_ values: [Double], flipped: [Bool], hasFlips: Bool) -> NoisyLabelDetection? {
        guard hasFlips, values.contains(where: { !$0.isNaN }) else { return nil }
        return NoisyLabelDetection(values: values, flipped: flipped)
    }

    /// Starts fitting the reference model unless it is fitted or under way. Called when the run
    /// ends, or earlier when a row's details are opened: fitting while the engine runs would
    /// take a core from it.
    mutating func fitReferenceModel() {
        guard reference == nil, referenceJob == nil else { return }
        referenceJob = BackgroundJob(experiment: experiment)
    }

    /// Whether the suggested labels are being fitted in the background.
    var isFittingReference: Bool { referenceJob != nil }

    /// The suggested label of valued row `i`; nil while it is being fitted.
    func predicted(_ i: Int) -> Int? { reference?.predicted[i] }

    /// How far it is, for the header.
    var progress: RunProgress { RunProgress(latest: latest, stop: stop, paused: isPaused) }

    /// The convergence figures it reports, in the engine's order.
    var series: [ConvergenceSeries] { latest?.convergence ?? [] }

    /// Whether it has ended with values worth keeping (finished or cancelled, not failed).
    var isSaveable: Bool { !isRunning && failure == nil && latest != nil }

    /// The record to save of it, for the data file `data`; nil while it runs (unless
    /// `evenIfRunning`: then as cancelled), when it failed, or when it is a reopened run (saved
    /// already).
    func record(data: SavedRun.DataIdentity, evenIfRunning: Bool = false) -> SavedRun? {
        guard isSaveable || (evenIfRunning && failure == nil), let recipe, var update = latest else { return nil }
        update.stop = stop ?? .cancelled
        return SavedRun(id: id, created: created, method: recipe.method, parameters: recipe.parameters, experiment: experiment,
                        data: data, update: update)
    }

    /// The detection AUROC of its values, in a flip experiment.
    var auroc: Double? { detection.map(\.auroc).flatMap { $0.isFinite ? $0 : nil } }
}

/// A flag the key loop sets and a background job reads.
final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool {
        get { value.load(ordering: .relaxed) }
        set { value.store(newValue, ordering: .relaxed) }
    }
}
