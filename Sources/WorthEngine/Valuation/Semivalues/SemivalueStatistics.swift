/// The sufficient statistics of a Monte Carlo semivalue run: everything needed for the values,
/// their standard errors and R-hat, and exactly mergeable.
///
/// Contributions of unit u go to chain u mod `chainCount`. Units are independent and identically
/// distributed, so these interleaved chains are as good for Gelman-Rubin as OpenDataVal's
/// consecutive blocks, and unlike blocks they can be accumulated as the run goes and summed
/// across shards.
public struct SemivalueStatistics: Sendable, Equatable, Codable {
    /// Number of chains for R-hat (OpenDataVal uses 10).
    public static let chainCount = 10

    /// Permutation semivalues: each row's weighted marginal contributions. Data Banzhaf: the
    /// scores of the sampled subsets that contain the row.
    var positive: ChainMoments
    /// Data Banzhaf only: the scores of the sampled subsets that lack the row.
    var negative: ChainMoments?

    /// Empty statistics for `rows` rows; `twoSided` for a difference of means (Data Banzhaf).
    init(rows: Int, twoSided: Bool) {
        positive = ChainMoments(rows: rows, chains: Self.chainCount)
        negative = twoSided ? ChainMoments(rows: rows, chains: Self.chainCount) : nil
    }

    /// Number of rows valued.
    public var rows: Int { positive.rows }

    /// Counts one permutation's (weighted) marginal contribution of every row.
    mutating func addMarginals(_ marginals: [Double], unit: Int) {
        let chain = unit % Self.chainCount
        for (row, x) in marginals.enumerated() { positive.add(x, row: row, chain: chain) }
    }

    /// Counts one sampled subset's score for every row, on the side the row is on.
    mutating func addSubset(_ members: [Bool], score: Double, unit: Int) {
        precondition(negative != nil, "subset scores need two-sided statistics")
        let chain = unit % Self.chainCount
        for (row, isIn) in members.enumerated() {
            if isIn { positive.add(score, row: row, chain: chain) } else { negative!.add(score, row: row, chain: chain) }
        }
    }

    /// Adds everything `other` counted. Exact: any grouping and order gives the same result.
    /// Throws `ChainMoments.Overflow` (leaving `self` unchanged) when a sum would not fit.
    mutating func add(_ other: SemivalueStatistics) throws {
        var result = self
        try result.positive.add(other.positive)
        switch (negative, other.negative) {
        case (nil, nil): break
        case (.some, .some(let theirs)): try result.negative!.add(theirs)
        default: preconditionFailure("one-sided and two-sided statistics do not mix")
        }
        self = result
    }

    /// Row `row`'s estimate over `chains`: its value (nan until every side has a contribution),
    /// the estimated variance of that value (nan below two contributions on a side) and the
    /// number of units behind it.
    func estimate(row: Int, chains: Range<Int>) -> GelmanRubin.Chain {
        let p = positive.moments(row: row, chains: chains)
        guard let negative else {
            return GelmanRubin.Chain(value: p.mean, variance: p.varianceOfMean, length: p.count)
        }
        let q = negative.moments(row: row, chains: chains)
        return GelmanRubin.Chain(value: p.mean - q.mean, variance: p.varianceOfMean + q.varianceOfMean,
                                 length: p.count + q.count)
    }

    /// The values and standard errors so far, per row; nan where not yet defined.
    public var estimate: ValuationEstimate {
        let all = 0..<Self.chainCount
        var values = [Double](repeating: .nan, count: rows)
        var errors = [Double](repeating: .nan, count: rows)
        for row in 0..<rows {
            let e = estimate(row: row, chains: all)
            values[row] = e.value
            errors[row] = e.variance.squareRoot()
        }
        return ValuationEstimate(values: values, standardErrors: errors)
    }

    /// The largest R-hat over rows, or nil while some chain of some row has fewer than two
    /// contributions on a side.
    public var rHat: Double? {
        var worst = 0.0
        for row in 0..<rows {
            let chains = (0..<Self.chainCount).map { estimate(row: row, chains: $0..<($0 + 1)) }
            guard let r = GelmanRubin.statistic(chains) else { return nil }
            worst = max(worst, r)
        }
        return rows > 0 ? worst : nil
    }
}
