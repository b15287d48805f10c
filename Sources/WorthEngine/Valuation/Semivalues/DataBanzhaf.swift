/// Data Banzhaf by maximum sample reuse (Wang & Jia, AISTATS 2023).
///
/// Each unit scores one random subset, every row in independently with probability 1/2, and
/// that one score serves every row: a row's value is the mean score of the sampled subsets that
/// hold it minus the mean score of those that lack it (nan while either side has no sample).
/// Banzhaf weighs all subsets alike, which makes it robust to the noise of a stochastic
/// learner. Stops by budget, time, R-hat or standard error, whichever comes first.
public struct DataBanzhaf: Valuator {
    /// Builds the utility from the problem.
    public var utility: UtilityFactory
    /// When to stop; its unit budget counts sampled subsets.
    public var stopping: StoppingRule
    /// Shard, resume and checkpoint files.
    public var session: SemivalueRun

    public init(utility: @escaping UtilityFactory, stopping: StoppingRule = .maxUnits(5000) || .rHat(below: 1.05),
                session: SemivalueRun = SemivalueRun()) {
        self.utility = utility
        self.stopping = stopping
        self.session = session
    }

    /// Command-line name.
    public static let id = "banzhaf"

    public func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        makeValuationStream { reporter in try await execute(problem, reporter: reporter) }
    }

    /// The run, returning its final update (the stream's body).
    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let settings = SemivalueSettings(method: Self.id, utility: "", weighting: .banzhaf, truncation: nil)
        let driver = SemivalueDriver(settings: settings, stopping: stopping, session: session)
        return try await driver.value(problem, utility: utility, unitName: "samples", reporter: reporter) { n, _ in
            SubsetScheme(seed: problem.seed, rows: n)
        }
    }
}
