/// Truncated Monte Carlo Data Shapley (Ghorbani & Zou, ICML 2019).
///
/// Each unit is a random permutation of the valued rows; rows are added in that order, the
/// utility refitted (warm started) after each, and a row's marginal contribution is the change
/// in score it brings. A row's value is the mean of its contributions over permutations: the
/// Shapley value of the utility, estimated. Once the prefix scores within the truncation
/// tolerance of the full data for a few steps in a row, the rest of the permutation is credited
/// 0 and not fitted. Stops by budget, time, R-hat or standard error, whichever comes first.
public struct TMCShapley: Valuator {
    /// Builds the utility from the problem.
    public var utility: UtilityFactory
    /// Truncation, or nil to fit every prefix (then each permutation's contributions sum to
    /// V(D) − V(∅) exactly).
    public var truncation: TruncationRule?
    /// When to stop; its unit budget counts permutations.
    public var stopping: StoppingRule
    /// Shard, resume and checkpoint files.
    public var session: SemivalueRun

    public init(utility: @escaping UtilityFactory, truncation: TruncationRule? = .standard,
                stopping: StoppingRule = .maxUnits(1000) || .rHat(below: 1.05), session: SemivalueRun = SemivalueRun()) {
        self.utility = utility
        self.truncation = truncation
        self.stopping = stopping
        self.session = session
    }

    /// Command-line name.
    public static let id = "tmc-shapley"

    public func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        makeValuationStream { reporter in try await execute(problem, reporter: reporter) }
    }

    /// The run, returning its final update (the stream's body).
    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let settings = SemivalueSettings(method: Self.id, utility: "", weighting: .shapley, truncation: truncation)
        let driver = SemivalueDriver(settings: settings, stopping: stopping, session: session)
        return try await driver.value(problem, utility: utility, unitName: "permutations", reporter: reporter) { n, full in
            PermutationScheme(seed: problem.seed, weighting: .shapley, truncation: truncation, rows: n, fullScore: full)
        }
    }
}
