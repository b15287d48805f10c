/// How well low values single out the rows whose labels were flipped: the measures used to
/// compare valuation methods (OpenDataVal's among them, so numbers compare with published ones).
public struct NoisyLabelDetection: Sendable, Equatable {
    /// Area under the ROC curve of "lower value = flipped", in [0, 1]; 0.5 is chance. Ties
    /// count one half. Rows without a value are left out.
    public var auroc: Double
    /// Number of flipped rows, also the size of the detected set below.
    public var k: Int
    /// Precision of the k lowest-valued rows as the detected set.
    public var precisionAtK: Double
    /// Recall of the k lowest-valued rows.
    public var recallAtK: Double
    /// F1 of the k lowest-valued rows (equal to precision and recall, as the set has size k).
    public var f1AtK: Double
    /// OpenDataVal's F1: the values are split in two by an exact 1-D two-means clustering and the
    /// lower cluster is the detected set.
    public var twoMeansF1: Double
    /// Size of the lower two-means cluster.
    public var twoMeansDetected: Int
    /// Rows left out because the method gave them no value.
    public var unvalued: Int

    /// Scores `values` (NaN = no value) against the ground truth `flipped`.
    public init(values: [Double], flipped: [Bool]) {
        precondition(values.count == flipped.count)
        let idx = values.indices.filter { !values[$0].isNaN }
        unvalued = values.count - idx.count
        let v = idx.map { values[$0] }
        let f = idx.map { flipped[$0] }
        auroc = Self.auroc(lowIsPositive: v, positive: f)

        let positives = f.filter { $0 }.count
        k = positives
        let order = v.indices.sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
        let hits = order.prefix(k).filter { f[$0] }.count
        precisionAtK = k > 0 ? Double(hits) / Double(k) : 0
        recallAtK = positives > 0 ? Double(hits) / Double(positives) : 0
        f1AtK = Self.f1(precision: precisionAtK, recall: recallAtK)

        let cut = Self.twoMeansCut(order.map { v[$0] })
        twoMeansDetected = cut
        let detectedHits = order.prefix(cut).filter { f[$0] }.count
        let p = cut > 0 ? Double(detectedHits) / Double(cut) : 0
        let r = positives > 0 ? Double(detectedHits) / Double(positives) : 0
        twoMeansF1 = Self.f1(precision: p, recall: r)
    }

    static func f1(precision: Double, recall: Double) -> Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// Mann-Whitney AUROC of the score −value for the positive class, with mid-ranks for ties.
    static func auroc(lowIsPositive values: [Double], positive: [Bool]) -> Double {
        let nPos = positive.filter { $0 }.count
        let nNeg = positive.count - nPos
        guard nPos > 0 && nNeg > 0 else { return .nan }
        let order = values.indices.sorted { values[$0] < values[$1] }
        // Sum over positives of their (1-based, mid-rank) position in descending-suspicion order:
        // rank in ascending value order, so a low value has a low rank.
        var rankSumPositive = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for t in i...j where positive[order[t]] { rankSumPositive += midRank }
            i = j + 1
        }
        // U counts (positive, negative) pairs where the positive has the HIGHER value.
        let u = rankSumPositive - Double(nPos * (nPos + 1)) / 2
        return 1 - u / Double(nPos * nNeg)
    }

    /// Size of the lower cluster of the exact two-means split of ascending `sorted`: the cut
    /// c in 1..<n minimising the summed within-cluster squared error (prefix sums, O(n)).
    static func twoMeansCut(_ sorted: [Double]) -> Int {
        let n = sorted.count
        guard n >= 2 else { return 0 }
        var prefix = [Double](repeating: 0, count: n + 1)
        var prefixSquares = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            prefix[i + 1] = prefix[i] + sorted[i]
            prefixSquares[i + 1] = prefixSquares[i] + sorted[i] * sorted[i]
        }
        func sse(_ a: Int, _ b: Int) -> Double {
            let m = Double(b - a)
            let s = prefix[b] - prefix[a]
            return (prefixSquares[b] - prefixSquares[a]) - s * s / m
        }
        var best = 1
        var bestCost = sse(0, 1) + sse(1, n)
        for c in 2..<max(2, n) {
            let cost = sse(0, c) + sse(c, n)
            if cost < bestCost - 1e-12 * max(1, abs(bestCost)) { best = c; bestCost = cost }
        }
        return best
    }
}
