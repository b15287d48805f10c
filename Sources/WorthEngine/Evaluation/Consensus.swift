/// A ranking several valuations agree on: the rows every one of them values, ordered by where
/// the runs put them. Rows that every method puts low are the ones a person should look at
/// first, whatever the methods' scales (a Data-OOB accuracy and a KNN-Shapley value cannot be
/// averaged, their ranks can).
///
/// Each run's values are ranked over the common rows (1 = lowest, ties in row order, as
/// `ascendingRanks`), and a row's consensus value is, by `Rule`:
/// - `.meanRank`: the mean of its ranks, in 1…m (m common rows): 1 = every run puts it lowest;
/// - `.votes(k)`: the number of runs that do *not* put it among their k lowest, plus its mean
///   rank scaled into [0, 1) to order rows with as many votes: 0.0… = every run puts it low.
///
/// Lower is more suspect, as for any value, so a consensus can be ranked, flagged and exported
/// like a run's values.
public struct Consensus: Sendable, Equatable {
    /// How the runs' ranks become one value.
    public enum Rule: Sendable, Equatable, Hashable {
        /// The mean rank over the runs.
        case meanRank
        /// How many runs put the row among their `k` lowest (k ≥ 1), ties by mean rank.
        case votes(Int)
    }

    /// One run's values: the 1-based data-row number of each valued row and its value (NaN: none).
    public struct Input: Sendable, Equatable {
        public var rows: [Int]
        public var values: [Double]
        public init(rows: [Int], values: [Double]) {
            precondition(rows.count == values.count)
            self.rows = rows
            self.values = values
        }
    }

    /// The rule used.
    public let rule: Rule
    /// The rows every run gives a value, as data-row numbers, ascending.
    public let rows: [Int]
    /// Each common row's consensus value (see the type).
    public let values: [Double]
    /// Each common row's mean rank over the runs, in 1…m.
    public let meanRanks: [Double]
    /// The standard deviation of each common row's ranks over the runs: how much they disagree.
    public let spread: [Double]
    /// How many runs put each common row among their k lowest (`k`).
    public let votes: [Int]
    /// The k of `votes`: the rule's, else 10% of the common rows (at least 1).
    public let k: Int

    /// The consensus of `runs` (at least one) by `rule`.
    public init(_ runs: [Input], rule: Rule) {
        precondition(!runs.isEmpty, "a consensus needs at least one run")
        // The rows every run values: counted over the runs, kept where all of them have a value.
        var seen: [Int: Int] = [:]
        for run in runs {
            for (r, v) in zip(run.rows, run.values) where !v.isNaN { seen[r, default: 0] += 1 }
        }
        let common = seen.filter { $0.value == runs.count }.map(\.key).sorted()
        let m = common.count
        let position = Dictionary(uniqueKeysWithValues: common.enumerated().map { ($1, $0) })
        var k = 0
        switch rule {
        case .meanRank: k = max(1, Int((Double(m) * 0.1).rounded(.up)))
        case .votes(let n): k = max(1, n)
        }
        var sums = [Double](repeating: 0, count: m), squares = sums
        var votes = [Int](repeating: 0, count: m)
        for run in runs {
            var values = [Double](repeating: .nan, count: m)
            for (r, v) in zip(run.rows, run.values) { if let p = position[r] { values[p] = v } }
            for (p, rank) in ascendingRanks(values).enumerated() {
                let r = Double(rank!)
                sums[p] += r
                squares[p] += r * r
                if rank! <= k { votes[p] += 1 }
            }
        }
        let n = Double(runs.count)
        meanRanks = sums.map { $0 / n }
        spread = zip(sums, squares).map { s, q in (max(0, q / n - (s / n) * (s / n))).squareRoot() }
        switch rule {
        case .meanRank: values = meanRanks
        case .votes:
            let (means, count) = (meanRanks, runs.count)
            values = (0..<m).map { p in Double(count - votes[p]) + (means[p] - 1) / Double(max(1, m)) }
        }
        self.rule = rule
        self.rows = common
        self.votes = votes
        self.k = k
    }
}
