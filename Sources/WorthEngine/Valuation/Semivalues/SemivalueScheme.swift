/// How a Monte Carlo semivalue draws and scores one unit of work, and how a unit's outcome
/// enters the statistics. The two schemes are permutation sampling (Shapley, Beta Shapley) and
/// maximum sample reuse over Bernoulli subsets (Data Banzhaf).
protocol SemivalueScheme: Sendable {
    /// A unit's outcome, handed from the worker that computed it to the merge.
    associatedtype Sample: Sendable
    /// What a unit is, plural (`permutations`).
    var unitName: String { get }
    /// Whether the statistics are a difference of two means (Data Banzhaf).
    var twoSided: Bool { get }
    /// Units per chunk handed to a worker.
    var chunkSize: Int { get }
    /// Draws unit `unit` and scores it with `utility` (a fresh copy of the run's fitted
    /// utility). Calls `interrupt.check()` between model fits.
    func draw(unit: Int, utility: inout any Utility, interrupt: UnitInterrupt) throws -> Sample
    /// Adds a unit's outcome to the statistics.
    func accumulate(_ sample: Sample, unit: Int, into statistics: inout SemivalueStatistics)
}

/// Ends a unit early when the run is cancelled, paused or its time budget is spent, so a
/// permutation of thousands of fits holds neither a cancellation nor a pause back.
struct UnitInterrupt: Sendable {
    /// Thrown when the time budget ran out inside a unit.
    struct DeadlineReached: Error {}

    /// When the time budget runs out, if there is one (later by the time spent paused).
    var deadline: ContinuousClock.Instant?
    /// The run's pause gate, if it has one.
    var control: RunControl? = RunControl.current

    func check() throws {
        try Task.checkCancellation()
        if control?.isPaused == true { throw UnitPaused() }
        if let deadline, ContinuousClock.now - (control?.pausedTime ?? .zero) >= deadline { throw DeadlineReached() }
    }
}

/// A utility returned something other than a finite number.
func nonFiniteScore(_ utility: any Utility, rows: Int) -> InputError {
    InputError("the \(utility.identity) utility scored a subset of \(rows) rows as a non-finite number")
}

/// Permutation sampling: add the rows of a random order one by one, refitting the utility (warm
/// started from the previous prefix), and credit each row its weighted marginal contribution.
struct PermutationScheme: SemivalueScheme {
    let sampler: PermutationSampler
    /// n · P(position) for each position (all 1 for Shapley).
    let weights: [Double]
    let truncation: TruncationRule?
    /// The score of all rows, which truncation compares against.
    let fullScore: Double

    var unitName: String { "permutations" }
    var twoSided: Bool { false }
    var chunkSize: Int { 1 }

    init(seed: UInt64, weighting: SemivalueWeighting, truncation: TruncationRule?, rows: Int, fullScore: Double) {
        sampler = PermutationSampler(seed: seed)
        weights = weighting.permutationWeights(rows: rows)
        self.truncation = truncation
        self.fullScore = fullScore
    }

    /// The weighted marginal contribution of every row (0 after truncation).
    func draw(unit: Int, utility: inout any Utility, interrupt: UnitInterrupt) throws -> [Double] {
        let n = weights.count
        let order = sampler.permutation(unit: unit, count: n)
        var marginals = [Double](repeating: 0, count: n)
        var prefix: [Int] = []
        prefix.reserveCapacity(n)
        var previous = utility.emptyScore
        var tracker = truncation.map { TruncationRule.Tracker(rule: $0, full: fullScore) }
        for (position, row) in order.enumerated() {
            try interrupt.check()
            prefix.append(row)
            let score = utility.score(prefix)
            guard score.isFinite else { throw nonFiniteScore(utility, rows: prefix.count) }
            marginals[row] = (score - previous) * weights[position]
            previous = score
            if tracker?.truncates(after: score) == true { break }
        }
        return marginals
    }

    func accumulate(_ sample: [Double], unit: Int, into statistics: inout SemivalueStatistics) {
        statistics.addMarginals(sample, unit: unit)
    }
}

/// Maximum sample reuse (Wang & Jia 2023): score one random subset per unit, each row in with
/// probability 1/2; a row's value is the mean score of the subsets holding it minus the mean
/// score of those lacking it.
struct SubsetScheme: SemivalueScheme {
    let sampler: BernoulliSubsetSampler
    let rows: Int

    var unitName: String { "samples" }
    var twoSided: Bool { true }
    var chunkSize: Int { 4 }

    init(seed: UInt64, rows: Int) {
        sampler = BernoulliSubsetSampler(seed: seed)
        self.rows = rows
    }

    func draw(unit: Int, utility: inout any Utility, interrupt: UnitInterrupt) throws -> (members: [Bool], score: Double) {
        try interrupt.check()
        let members = sampler.subset(unit: unit, count: rows)
        let subset = members.indices.filter { members[$0] }
        let score = subset.isEmpty ? utility.emptyScore : utility.score(subset)
        guard score.isFinite else { throw nonFiniteScore(utility, rows: subset.count) }
        return (members, score)
    }

    func accumulate(_ sample: (members: [Bool], score: Double), unit: Int, into statistics: inout SemivalueStatistics) {
        statistics.addSubset(sample.members, score: sample.score, unit: unit)
    }
}
