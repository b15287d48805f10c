/// How far two valuations agree on the rows both of them value: Spearman's rank correlation,
/// and the overlap of their k lowest rows (the rows each would flag).
public struct RankAgreement: Sendable, Equatable {
    /// Rows both runs give a value.
    public var common: Int
    /// Spearman's ρ over the common rows, in [−1, 1] (mid-ranks for ties); NaN with fewer than
    /// two common rows or when one run gives them all one value.
    public var spearman: Double
    /// The k used, at most `common`.
    public var k: Int
    /// How many of the k lowest of one run are among the k lowest of the other (ranked over the
    /// common rows, ties in row order).
    public var overlap: Int

    /// The agreement of `a` and `b` (each: data-row numbers and values, NaN for none) with their
    /// `k` lowest rows compared.
    public init(_ a: Consensus.Input, _ b: Consensus.Input, k: Int) {
        var other: [Int: Double] = [:]
        for (r, v) in zip(b.rows, b.values) where !v.isNaN { other[r] = v }
        var x: [Double] = [], y: [Double] = []
        for (r, v) in zip(a.rows, a.values) where !v.isNaN {
            if let w = other[r] { x.append(v); y.append(w) }
        }
        common = x.count
        spearman = Self.spearman(x, y)
        let k = min(max(0, k), x.count)
        let ranksX = ascendingRanks(x), ranksY = ascendingRanks(y)
        self.k = k
        overlap = x.indices.filter { ranksX[$0]! <= k && ranksY[$0]! <= k }.count
    }

    /// Spearman's rank correlation of paired samples: Pearson's correlation of their mid-ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        guard x.count >= 2 else { return .nan }
        let rx = midRanks(x), ry = midRanks(y)
        let n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count {
            let dx = rx[i] - mx, dy = ry[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    /// 1-based ranks with ties given the mean of the ranks they span.
    static func midRanks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
        var out = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            for t in i...j { out[order[t]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        return out
    }
}
