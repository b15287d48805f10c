/// What defines the numbers of a Monte Carlo semivalue run, beyond seed and data: two runs (or
/// shards, or a run and the state it resumes) can only be combined when these are equal.
///
/// Stopping rules are not part of it: they decide how much work is done, not what each unit
/// computes, so a resumed run may extend the budget.
public struct SemivalueSettings: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The method's command-line name (`tmc-shapley`, `beta-shapley`, `banzhaf`).
    public var method: String
    /// The utility's `identity` (model and score).
    public var utility: String
    /// The semivalue's weighting.
    public var weighting: SemivalueWeighting
    /// The truncation rule, for permutation methods that truncate.
    public var truncation: TruncationRule?

    public init(method: String, utility: String, weighting: SemivalueWeighting, truncation: TruncationRule?) {
        self.method = method
        self.utility = utility
        self.weighting = weighting
        self.truncation = truncation
    }

    public var description: String {
        var text = "\(method), \(weighting), utility \(utility)"
        if let truncation { text += ", truncation \(truncation.tolerance) × \(truncation.steps)" }
        return text
    }
}
