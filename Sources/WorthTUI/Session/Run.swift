import WorthEngine

/// One valuation of the open file: what was asked, the engine job computing it (pausable), and
/// its results as the Run screen shows them: progress, convergence, the ranked table and, in a
/// label-flip experiment, how well the values find the flipped rows so far.
///
/// A value: the session keeps it, the Run screen draws it. Its engine job and pause gate are
/// references, so copies of a run share them.
struct Run {
    /// The method's name, and its parameters that differ from the method's defaults.
    let methodTitle: String
    let changedParameters: [(name: String, value: String)]
    /// The split and labels the run values.
    let experiment: Experiment
    var table: RankedTable
    /// The newest update taken from the engine.
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
    /// The logistic regression fitted on the valued rows (predicted labels, class
    /// probabilities), once its background fit is done.
    private(set) var reference: ReferenceModel?
    /// Whether its values were exported since it started.
    var exported = false
    /// The engine's pause gate for this run.
    let control = RunControl()
    private var job: BackgroundJob<RunNews>?
    private var referenceJob: BackgroundJob<ReferenceModel>?

    /// What the engine has delivered since the session last looked.
    struct RunNews: Sendable {
        var update: ValuationUpdate?
        var failure: String?
    }

    /// Starts `valuator` on `experiment`'s problem in the background.
    init(methodTitle: String, changedParameters: [(name: String, value: String)], experiment: Experiment,
         valuator: any Valuator, flags: Set<Int>) {
        self.methodTitle = methodTitle
        self.changedParameters = changedParameters
        self.experiment = experiment
        table = RankedTable(sourceRows: experiment.valuedRows.indices.map { experiment.sourceRow(ofValued: $0) })
        table.flagsChanged(flags)
        let (problem, control) = (experiment.problem, control)
        job = BackgroundJob { box in
            do {
                for try await update in valuator.run(problem, control: control) {
                    box.post(RunNews(update: update))
                }
            } catch is CancellationError {
            } catch {
                let text = EngineMessages.describe(error)
                box.post(merging: { $0 = RunNews(update: $0?.update, failure: text) })
            }
        }
    }

    /// Whether the engine is still working on it (paused or not).
    var isRunning: Bool { job != nil }

    /// Whether it is paused (its engine job waits at the gate).
    var isPaused: Bool { isRunning && control.isPaused }

    /// Asks the engine to stop; the estimate so far stays.
    func cancel() { job?.cancel() }

    /// Takes the engine's news; true when something changed on screen.
    mutating func poll(flags: Set<Int>) -> Bool {
        var changed = false
        if let j = job {
            let (news, finished) = j.take()
            if let u = news?.update { apply(u, flags: flags); changed = true }
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
            changed = true
        }
        return changed
    }

    private mutating func apply(_ update: ValuationUpdate, flags: Set<Int>) {
        latest = update
        if let s = update.stop { stop = s }
        table.update(values: update.estimate.values, standardErrors: update.estimate.standardErrors, flags: flags)
        history.record(done: update.done, values: update.estimate.values)
        if experiment.flipped.contains(true), update.estimate.values.contains(where: { !$0.isNaN }) {
            detection = NoisyLabelDetection(values: update.estimate.values, flipped: experiment.flipped)
        }
    }

    /// Starts fitting the reference model unless it is fitted or under way. Called when the run
    /// ends, or earlier when a row's details are opened: fitting while the engine runs would
    /// take a core from it.
    mutating func fitReferenceModel() {
        guard reference == nil, referenceJob == nil else { return }
        referenceJob = BackgroundJob(problem: experiment.problem)
    }

    /// The class the reference model predicts for valued row `i`; nil while it is being fitted.
    func predicted(_ i: Int) -> Int? { reference?.predicted[i] }

    /// How far it is, for the header.
    var progress: RunProgress { RunProgress(latest: latest, stop: stop, paused: isPaused) }

    /// The convergence figures it reports, in the engine's order.
    var series: [ConvergenceSeries] { latest?.convergence ?? [] }
}
