/// A Monte Carlo semivalue: Data Shapley (TMC), Beta Shapley and Data Banzhaf, which differ
/// by their weighting of subset sizes and by how subsets are sampled, as pyDVL's methods
/// differ by one coefficient.
///
/// Each unit of work (a permutation, or a random subset) is drawn from
/// `SeededGenerator(seed: problem.seed, stream: unit)` and scored with a fresh copy of the
/// utility fitted on all valued rows; the units' contributions enter exact fixed-point
/// statistics in index order (`SemivalueDriver`), so the values do not depend on the number of
/// workers, and shards (`session.shard`) and resumed runs (`session.resume`) combine bit for bit.
/// Stops by `stopping`: a unit budget, seconds, R-hat or the standard error, whichever comes
/// first. `SemivalueMethod` names the three methods and builds them from parameter values.
public struct SemivalueValuator: ValuationRun {
    /// How the subsets a row joins are sampled.
    public enum Sampling: Sendable, Equatable {
        /// Random permutations of the valued rows: rows are added in that order, the utility
        /// refitted (warm-started) after each, and a row is credited its marginal contribution
        /// times n · P(position) (`SemivalueWeighting.permutationWeights`), whose mean is the
        /// semivalue. Once `truncation` says the prefix scores as the full data does, the rest
        /// of the permutation is credited 0 and not fitted (nil: every prefix is fitted).
        case permutations(truncation: TruncationRule?)
        /// Maximum sample reuse (Wang & Jia 2023), for Banzhaf only: each unit scores one
        /// subset, every row in with probability 1/2, and that one score serves every row; a
        /// row's value is the mean score of the subsets holding it minus the mean score of those
        /// lacking it (nan while either side has no sample).
        case subsets

        /// What a unit is, plural.
        public var unitName: String {
            switch self {
            case .permutations: "permutations"
            case .subsets: "samples"
            }
        }
    }

    /// Builds the utility from the problem.
    public var utility: UtilityFactory
    /// How marginal contributions are weighed by the size of the subset they join.
    public var weighting: SemivalueWeighting
    /// How subsets are sampled; `.subsets` goes with `.banzhaf` only.
    public var sampling: Sampling
    /// When to stop; its unit budget counts `sampling.unitName`.
    public var stopping: StoppingRule
    /// Shard, resume, checkpoint and state files.
    public var session: RunSession

    public init(utility: @escaping UtilityFactory, weighting: SemivalueWeighting, sampling: Sampling,
                stopping: StoppingRule, session: RunSession = RunSession()) {
        precondition((weighting == .banzhaf) == (sampling == .subsets),
                     "maximum sample reuse estimates Banzhaf values, and Banzhaf values are sampled by it")
        self.utility = utility
        self.weighting = weighting
        self.sampling = sampling
        self.stopping = stopping
        self.session = session
    }

    /// The method this is, as its state files record it.
    public var method: SemivalueMethod {
        switch weighting {
        case .shapley: .tmcShapley
        case .beta: .betaShapley
        case .banzhaf: .banzhaf
        }
    }

    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let truncation: TruncationRule? = if case .permutations(let rule) = sampling { rule } else { nil }
        let settings = SemivalueSettings(method: method.rawValue, utility: "", weighting: weighting, truncation: truncation)
        let driver = SemivalueDriver(settings: settings, stopping: stopping, session: session)
        let weighting = self.weighting
        switch sampling {
        case .permutations:
            return try await driver.value(problem, utility: utility, unitName: sampling.unitName, reporter: reporter) { n, full in
                PermutationScheme(seed: problem.seed, weighting: weighting, truncation: truncation, rows: n, fullScore: full)
            }
        case .subsets:
            return try await driver.value(problem, utility: utility, unitName: sampling.unitName, reporter: reporter) { n, _ in
                SubsetScheme(seed: problem.seed, rows: n)
            }
        }
    }
}

extension SemivalueValuator {
    /// Truncated Monte Carlo Data Shapley (`SemivalueMethod.tmcShapley`); without truncation
    /// each permutation's contributions sum to V(D) − V(∅) exactly.
    public static func tmcShapley(utility: @escaping UtilityFactory, truncation: TruncationRule? = .standard,
                                  stopping: StoppingRule = .maxUnits(1000) || .rHat(below: 1.05),
                                  session: RunSession = RunSession()) -> SemivalueValuator {
        SemivalueValuator(utility: utility, weighting: .shapley, sampling: .permutations(truncation: truncation),
                          stopping: stopping, session: session)
    }

    /// Beta(α, β) Shapley (`SemivalueMethod.betaShapley`), α, β > 0.
    public static func betaShapley(utility: @escaping UtilityFactory, alpha: Double = 4, beta: Double = 1,
                                   truncation: TruncationRule? = .standard,
                                   stopping: StoppingRule = .maxUnits(1000) || .rHat(below: 1.05),
                                   session: RunSession = RunSession()) -> SemivalueValuator {
        SemivalueValuator(utility: utility, weighting: .beta(alpha: alpha, beta: beta),
                          sampling: .permutations(truncation: truncation), stopping: stopping, session: session)
    }

    /// Data Banzhaf by maximum sample reuse (`SemivalueMethod.banzhaf`).
    public static func banzhaf(utility: @escaping UtilityFactory, stopping: StoppingRule = .maxUnits(5000) || .rHat(below: 1.05),
                               session: RunSession = RunSession()) -> SemivalueValuator {
        SemivalueValuator(utility: utility, weighting: .banzhaf, sampling: .subsets, stopping: stopping, session: session)
    }
}
