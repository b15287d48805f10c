/// Beta(α, β) Shapley (Kwon & Zou, AISTATS 2022): a semivalue that weighs a row's marginal
/// contributions by the size of the subset it joins with a beta-binomial distribution.
///
/// In the paper's convention α > β favours small subsets, where a noisy label shows most;
/// Beta(4, 1) is OpenDataVal's default, Beta(16, 1) the paper's other choice, Beta(1, 1) is
/// Shapley. (The reference code passes its parameters transposed; this follows the paper.)
/// Estimated from the same random permutations as TMC-Shapley, each contribution multiplied by
/// n · P(position) so its mean is the semivalue; truncation and stopping as TMC-Shapley.
public struct BetaShapley: Valuator {
    /// Builds the utility from the problem.
    public var utility: UtilityFactory
    /// α > 0: weight towards small subsets.
    public var alpha: Double
    /// β > 0: weight towards large subsets.
    public var beta: Double
    /// Truncation, or nil to fit every prefix.
    public var truncation: TruncationRule?
    /// When to stop; its unit budget counts permutations.
    public var stopping: StoppingRule
    /// Shard, resume and checkpoint files.
    public var session: SemivalueRun

    public init(utility: @escaping UtilityFactory, alpha: Double = 4, beta: Double = 1,
                truncation: TruncationRule? = .standard,
                stopping: StoppingRule = .maxUnits(1000) || .rHat(below: 1.05), session: SemivalueRun = SemivalueRun()) {
        precondition(alpha > 0 && beta > 0, "Beta parameters must be positive")
        self.utility = utility
        self.alpha = alpha
        self.beta = beta
        self.truncation = truncation
        self.stopping = stopping
        self.session = session
    }

    /// Command-line name.
    public static let id = "beta-shapley"

    public func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        makeValuationStream { reporter in try await execute(problem, reporter: reporter) }
    }

    /// The run, returning its final update (the stream's body).
    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let weighting = SemivalueWeighting.beta(alpha: alpha, beta: beta)
        let settings = SemivalueSettings(method: Self.id, utility: "", weighting: weighting, truncation: truncation)
        let driver = SemivalueDriver(settings: settings, stopping: stopping, session: session)
        return try await driver.value(problem, utility: utility, unitName: "permutations", reporter: reporter) { n, full in
            PermutationScheme(seed: problem.seed, weighting: weighting, truncation: truncation, rows: n, fullScore: full)
        }
    }
}
