/// The current estimate of every valued row's value.
public struct ValuationEstimate: Sendable, Equatable {
    /// One value per valued row; higher means the row helps more. `nan` where the method has
    /// no value for the row yet (a row never out-of-bag, say): never a silent 0.
    public var values: [Double]
    /// Standard error of each value where the method has one (Monte Carlo, bagging), else nil.
    public var standardErrors: [Double]?
    /// Extra per-row columns a method reports (name, one value per row), e.g. `oob_count`.
    public var extraColumns: [ExtraColumn]

    public init(values: [Double], standardErrors: [Double]? = nil, extraColumns: [ExtraColumn] = []) {
        self.values = values
        self.standardErrors = standardErrors
        self.extraColumns = extraColumns
    }
}

/// A method-specific per-row column of a result, e.g. the number of bags a row was out of.
public struct ExtraColumn: Sendable, Equatable {
    /// Column name in the output file, snake_case.
    public var name: String
    /// One entry per valued row.
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// One convergence figure over the run, for a live chart: e.g. R-hat, the mean relative
/// change of the values, or how much the out-of-bag estimate still moves.
public struct ConvergenceSeries: Sendable, Equatable {
    /// Short name shown to the user (`R-hat`, `mean |Δvalue|`).
    public var name: String
    /// (work done, figure) pairs in order; the last one is the current figure.
    public var history: [ConvergencePoint]
    /// The value at which the run counts as converged, if there is one.
    public var target: Double?

    public init(name: String, history: [ConvergencePoint] = [], target: Double? = nil) {
        self.name = name
        self.history = history
        self.target = target
    }

    /// The most recent figure.
    public var current: Double? { history.last?.value }
}

/// A point of a convergence chart.
public struct ConvergencePoint: Sendable, Equatable, Codable {
    /// Units of work done when the figure was taken (trees, permutations, …).
    public var done: Int
    public var value: Double

    public init(done: Int, value: Double) {
        self.done = done
        self.value = value
    }
}

/// Why a run ended.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// All the planned work was done.
    case completed
    /// A convergence target was met (the text says which).
    case converged(String)
    /// A budget ran out (the text says which: permutations, seconds).
    case budget(String)
    /// The run was cancelled; the estimate is what was done until then.
    case cancelled

    public var description: String {
        switch self {
        case .completed: "completed"
        case .converged(let why): "converged (\(why))"
        case .budget(let why): "budget reached (\(why))"
        case .cancelled: "cancelled"
        }
    }
}

/// One message on a valuation's progress stream: how far it is, the estimate so far and how
/// settled it is. The last update of a stream has `stop` set and is the result.
public struct ValuationUpdate: Sendable {
    /// Units of work done (trees, rows retrained, validation points, permutations).
    public var done: Int
    /// Units planned, when known in advance.
    public var total: Int?
    /// What a unit is, plural, for progress text (`trees`, `rows`, `permutations`).
    public var unit: String
    /// What the method is doing now when that is not counted work (`fitting full model`).
    public var phase: String?
    /// The estimate so far.
    public var estimate: ValuationEstimate
    /// Convergence figures with their history (may be empty for exact methods).
    public var convergence: [ConvergenceSeries]
    /// Wall-clock seconds since the run started.
    public var elapsed: Double
    /// Set on the final update only: why the run ended.
    public var stop: StopReason?

    public init(done: Int, total: Int?, unit: String, phase: String? = nil, estimate: ValuationEstimate,
                convergence: [ConvergenceSeries] = [], elapsed: Double, stop: StopReason? = nil) {
        self.done = done
        self.total = total
        self.unit = unit
        self.phase = phase
        self.estimate = estimate
        self.convergence = convergence
        self.elapsed = elapsed
        self.stop = stop
    }

    /// Fraction done in [0, 1], when the total is known.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, Double(done) / Double(total))
    }

    /// True for the last update of a run.
    public var isFinal: Bool { stop != nil }

    /// Units of work done per second so far; nil before any unit is done or in the first
    /// `ValuationUpdate.rateWarmUp` seconds, when the figure is mostly noise.
    public var rate: Double? {
        guard elapsed > Self.rateWarmUp, done > 0 else { return nil }
        return Double(done) / elapsed
    }

    /// Seconds until the planned units are done at `rate`; nil without a total, a rate, or
    /// once the run has ended.
    public var timeLeft: Double? {
        guard !isFinal, let total, total > done, let rate, rate > 0 else { return nil }
        return Double(total - done) / rate
    }

    /// Seconds of a run before `rate` is given.
    public static let rateWarmUp = 0.2
}
