/// The Monte Carlo semivalue methods as the command line and the UI see them: their catalog
/// descriptors, and valuators built from parameter values plus the invocation's shard, resume
/// and checkpoint settings. The raw value is the command-line name: `SemivalueMethod(rawValue:
/// "tmc-shapley")`.
public enum SemivalueMethod: String, Sendable, CaseIterable {
    case tmcShapley = "tmc-shapley"
    case betaShapley = "beta-shapley"
    case banzhaf

    /// The catalog entry (its `make` runs without shard, resume or checkpoint).
    public var descriptor: MethodDescriptor {
        switch self {
        case .tmcShapley:
            MethodDescriptor(
                id: rawValue, title: "TMC-Shapley",
                summary: "Data Shapley by truncated Monte Carlo over permutations, refitting the model on each growing prefix",
                needsValidation: true, parameters: Self.permutationParameters,
                make: { try SemivalueMethod.tmcShapley.valuator(parameters: $0, session: SemivalueRun()) })
        case .betaShapley:
            MethodDescriptor(
                id: rawValue, title: "Beta Shapley",
                summary: "Shapley weighted towards small subsets by Beta(α, β), more robust to noisy labels",
                needsValidation: true,
                parameters: Self.permutationParameters + [
                    ParameterSpec(name: "alpha", summary: "Beta α (paper's convention): α > β favours small subsets",
                                  kind: .real(1...100), defaultValue: "4"),
                    ParameterSpec(name: "beta", summary: "Beta β (paper's convention); α = β = 1 is Shapley",
                                  kind: .real(1...100), defaultValue: "1"),
                ],
                make: { try SemivalueMethod.betaShapley.valuator(parameters: $0, session: SemivalueRun()) })
        case .banzhaf:
            MethodDescriptor(
                id: rawValue, title: "Data Banzhaf",
                summary: "Banzhaf value by maximum sample reuse: one fit per random half-subset serves every row",
                needsValidation: true,
                parameters: [
                    ParameterSpec(name: "permutations", summary: "random subsets (samples) to fit and score (at most)",
                                  kind: .integer(1...100_000_000), defaultValue: "5000"),
                ] + Self.sharedParameters(rHat: "0"),
                make: { try SemivalueMethod.banzhaf.valuator(parameters: $0, session: SemivalueRun()) })
        }
    }

    /// The valuator for `parameters` (this method's, from `descriptor`), running as `session`
    /// says: this is what `worth value --shard/--resume/--checkpoint/--state-out` calls.
    public func valuator(parameters p: ParameterValues, session: SemivalueRun) throws -> any Valuator {
        let utility = Self.utility(id: rawValue, model: p.text("model"), measure: p.text("utility"))
        switch self {
        case .tmcShapley:
            return TMCShapley(utility: utility, truncation: Self.truncation(p),
                              stopping: Self.stopping(p, budget: "permutations"), session: session)
        case .betaShapley:
            return BetaShapley(utility: utility, alpha: p.real("alpha"), beta: p.real("beta"), truncation: Self.truncation(p),
                               stopping: Self.stopping(p, budget: "permutations"), session: session)
        case .banzhaf:
            return DataBanzhaf(utility: utility, stopping: Self.stopping(p, budget: "permutations"), session: session)
        }
    }

    /// Parameters every semivalue has. R-hat defaults to off for Banzhaf: its samples are
    /// independent, so OpenDataVal's R-hat falls below 1.05 at the first check (500 samples),
    /// long before the ranking settles (AUROC 0.70 there vs 0.74 at 5,000 on breast_cancer).
    private static func sharedParameters(rHat: String) -> [ParameterSpec] { [
        ParameterSpec(name: "max-seconds", summary: "stop after this many seconds (0: no time limit)",
                      kind: .real(0...31_536_000), defaultValue: "0"),
        ParameterSpec(name: "rhat", summary: "stop once Gelman-Rubin R-hat is below this (0: never)",
                      kind: .real(0...10), defaultValue: rHat),
        ParameterSpec(name: "stderr", summary: "stop once every value's standard error is at most this (0: never)",
                      kind: .real(0...1_000), defaultValue: "0"),
        ParameterSpec(name: "utility", summary: "validation score of a subset's model: accuracy or logloss (as −log-loss)",
                      kind: .choice(UtilityScore.allCases.map(\.rawValue)), defaultValue: UtilityScore.accuracy.rawValue),
        ParameterSpec(name: "model", summary: "model fitted on each subset",
                      kind: .choice(["logistic", "knn", "tree"]), defaultValue: "logistic"),
    ] }

    private static let permutationParameters = [
        ParameterSpec(name: "permutations", summary: "random permutations to run (at most)",
                      kind: .integer(1...100_000_000), defaultValue: "1000"),
    ] + sharedParameters(rHat: "1.05") + [
        ParameterSpec(name: "tolerance", summary: "truncate a permutation once its score is this close (relative) to the full score (0: never)",
                      kind: .real(0...1), defaultValue: "0.01"),
        ParameterSpec(name: "truncation-steps", summary: "for this many additions in a row",
                      kind: .integer(1...1_000_000), defaultValue: "6"),
    ]

    private static func stopping(_ p: ParameterValues, budget: String) -> StoppingRule {
        var rule = StoppingRule.maxUnits(p.integer(budget))
        if p.real("max-seconds") > 0 { rule = rule || .maxSeconds(p.real("max-seconds")) }
        if p.real("rhat") > 0 { rule = rule || .rHat(below: p.real("rhat")) }
        if p.real("stderr") > 0 { rule = rule || .standardError(below: p.real("stderr")) }
        return rule
    }

    private static func truncation(_ p: ParameterValues) -> TruncationRule? {
        p.real("tolerance") > 0 ? TruncationRule(tolerance: p.real("tolerance"), steps: p.integer("truncation-steps")) : nil
    }

    /// A classifier utility with the named model (L2 logistic regression, k-NN with k = 5, or an
    /// unpruned CART tree over all features) and measure.
    private static func utility(id: String, model: String, measure: String) -> UtilityFactory {
        let measure = UtilityScore(rawValue: measure) ?? .accuracy
        return { problem in
            guard !problem.validationLabels.isEmpty else {
                throw InputError("\(id) needs validation rows: give --valid FILE or a validation fraction above 0")
            }
            let classifier: any Classifier = switch model {
            case "knn": KNearestNeighbors(classCount: problem.classCount)
            case "tree": DecisionTree(classCount: problem.classCount, maxFeatures: .max,
                                      generator: SeededGenerator(seed: problem.seed, stream: 0x7EE))
            // A gradient norm of 1e-4 is ample for a validation score and saves Newton steps on
            // every refit: TMC on breast_cancer with 10% flipped labels (50 permutations, no
            // truncation) took 2.3 s instead of 3.8 s at 1e-8, with values of Pearson 0.99995 to
            // those. L-BFGS was faster on clean data but slower on noisy data, or less exact.
            default: LogisticRegression(classCount: problem.classCount, tolerance: 1e-4)
            }
            return ClassifierUtility(model: classifier, modelName: model, measure: measure, problem: problem)
        }
    }
}
