/// TMC-Shapley's truncation: once a growing prefix of a permutation scores within `tolerance`
/// of the full data's score for `steps` additions in a row, the rest of that permutation's rows
/// get marginal contribution 0 and are not fitted (Ghorbani & Zou 2019: 1%, 6 steps).
public struct TruncationRule: Sendable, Equatable, Codable {
    /// Relative tolerance: a prefix is close when |score − full| ≤ tolerance · |full|; > 0.
    public var tolerance: Double
    /// How many consecutive close prefixes end the permutation; ≥ 1.
    public var steps: Int

    public init(tolerance: Double = 0.01, steps: Int = 6) {
        precondition(tolerance > 0 && steps >= 1, "truncation needs a positive tolerance and steps")
        self.tolerance = tolerance
        self.steps = steps
    }

    /// The paper's rule: 1% for 6 steps.
    public static let standard = TruncationRule()

    /// Follows one permutation and says when to stop fitting.
    struct Tracker {
        let rule: TruncationRule
        let full: Double
        private var closeInARow = 0

        init(rule: TruncationRule, full: Double) {
            self.rule = rule
            self.full = full
        }

        /// Records the score of the prefix just fitted; true when the rest of the permutation
        /// is truncated.
        mutating func truncates(after score: Double) -> Bool {
            if abs(score - full) <= rule.tolerance * abs(full) {
                closeInARow += 1
            } else {
                closeInARow = 0
            }
            return closeInARow >= rule.steps
        }
    }
}
