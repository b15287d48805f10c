import WorthEngine

/// A valuation run as the run view shows it: progress, convergence, the ranked table and,
/// in a label-flip experiment, how well the values find the flipped rows so far.
struct RunModel {
    /// The method's name and its parameters as `name=value`, for the header.
    let methodTitle: String
    let parameterText: String
    /// The split and labels the run values.
    let experiment: Experiment
    var table: RankedTable
    /// The newest update drawn.
    private(set) var latest: ValuationUpdate?
    /// Set once the run has ended: why.
    private(set) var stop: StopReason?
    /// Set when the engine failed; shown in the run view, the UI stays up.
    private(set) var failure: String?
    /// While true, updates are held back so the display stands still; the run continues (the
    /// engine's stream has no pause, and `Valuator` stays as it is).
    var frozen = false
    /// How well low values find the flipped rows, in a flip experiment (nil otherwise or
    /// before any row has a value).
    private(set) var detection: NoisyLabelDetection?
    /// Snapshots of all values over the run, for a row's trajectory in the detail view.
    private(set) var history = ValueHistory()
    /// The logistic regression fitted on the valued rows (predicted labels, class
    /// probabilities), once its background fit is done.
    var reference: ReferenceModel?

    init(methodTitle: String, parameterText: String, experiment: Experiment) {
        self.methodTitle = methodTitle
        self.parameterText = parameterText
        self.experiment = experiment
        table = RankedTable(sourceRows: experiment.valuedRows.indices.map { experiment.sourceRow(ofValued: $0) })
    }

    /// Whether the run is still going.
    var isRunning: Bool { stop == nil && failure == nil }

    /// Takes an update from the engine.
    mutating func apply(_ update: ValuationUpdate, flags: Set<Int>) {
        latest = update
        if let s = update.stop { stop = s }
        table.update(values: update.estimate.values, standardErrors: update.estimate.standardErrors, flags: flags)
        history.record(done: update.done, values: update.estimate.values)
        if experiment.flipped.contains(true), update.estimate.values.contains(where: { !$0.isNaN }) {
            detection = NoisyLabelDetection(values: update.estimate.values, flipped: experiment.flipped)
        }
    }

    /// The engine failed with `message`.
    mutating func fail(_ message: String) { failure = message }

    /// The stream ended without a final update (the run was cancelled from the UI).
    mutating func ended() { if stop == nil && failure == nil { stop = .cancelled } }

    /// Units per second so far.
    var rate: Double? {
        guard let u = latest, u.elapsed > 0.05, u.done > 0 else { return nil }
        return Double(u.done) / u.elapsed
    }

    /// Seconds left at the current rate, when the total is known.
    var eta: Double? {
        guard isRunning, let u = latest, let total = u.total, let rate, rate > 0 else { return nil }
        return Double(max(0, total - u.done)) / rate
    }

    /// The class the reference model predicts for valued row `i`; nil while it is being fitted.
    func predicted(_ i: Int) -> Int? { reference?.predicted[i] }
}

/// Up to `capacity` snapshots of every row's value, thinned by half when full, so a row's
/// trajectory over a long run costs bounded memory (Float: 4 bytes per row per snapshot).
struct ValueHistory {
    let capacity = 48
    private(set) var done: [Int] = []
    private(set) var snapshots: [[Float]] = []
    private var stride = 1
    private var seen = 0

    mutating func record(done units: Int, values: [Double]) {
        seen += 1
        guard seen % stride == 0 else { return }
        done.append(units)
        snapshots.append(values.map(Float.init))
        if snapshots.count >= capacity {
            snapshots = snapshots.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            done = done.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            stride *= 2
        }
    }

    /// (work done, value) of valued row `i` over the run.
    func trajectory(of i: Int) -> [ConvergencePointValue] {
        zip(done, snapshots).map { ConvergencePointValue(x: Double($0), y: Double($1[i])) }
    }
}
