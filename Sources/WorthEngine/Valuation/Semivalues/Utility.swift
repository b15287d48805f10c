/// The score of a subset of the valued rows: the one function Monte Carlo semivalues call.
///
/// A semivalue averages marginal contributions `U(S ∪ {i}) − U(S)`, so every method needs only
/// this. Higher is better. Conforming types are values: the estimators copy one fitted utility
/// at the start of every unit of work (a permutation, a sampled subset), so a unit's numbers
/// depend only on the unit and never on which units a worker ran before it. Within a unit,
/// `score` may reuse what the previous call left behind (a warm start when the subset grows by
/// one row).
public protocol Utility: Sendable {
    /// Number of valued rows; subsets hold indices in `0..<count`.
    var count: Int { get }

    /// The score of the empty subset: the chance level of the score (for accuracy 1/C with C
    /// classes, for negative log-loss −log C). Never computed by fitting anything.
    var emptyScore: Double { get }

    /// Names what is scored (`logistic accuracy`); kept in state files so that runs scored
    /// differently are never merged or resumed into each other.
    var identity: String { get }

    /// The score of the subset `rows` (distinct indices into `0..<count`, not empty, in the
    /// order they were added). Must be finite, and must not trap for any subset: a subset
    /// lacking some classes still gets a meaningful score.
    mutating func score(_ rows: [Int]) -> Double
}

/// Builds the utility a Monte Carlo semivalue scores subsets with, from the problem's data.
public typealias UtilityFactory = @Sendable (ValuationProblem) throws -> any Utility
