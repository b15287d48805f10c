/// Exact KNN-Shapley (Jia et al., VLDB 2019): the Shapley value of every valued row for the
/// K-nearest-neighbour utility U(S) = (1/K) Σ_{j ≤ min(K,|S|)} 1[label of the j-th nearest
/// row of S to t = y_t], averaged over the validation points t.
///
/// For one validation point, rows sorted by Euclidean distance (ties by row index) α_1 … α_n
/// get, with m_i = 1[y_{α_i} = y_t],
///
///     s(α_n) = m_n / n,   s(α_i) = s(α_{i+1}) + (m_i − m_{i+1}) / K · min(K, i) / i,
///
/// an O(n log n) closed form in place of 2ⁿ subsets; here O(n·d) for the distances plus a
/// linear-time radix sort (see `NeighbourOrder`). Every row's value depends on the rank of
/// every label change beyond it, so the order must be complete and exact: no partial selection
/// can give the same values. Validation points run in chunks over `problem.workers`; each
/// chunk's sums are rounded once to 2⁻⁶⁴ and added exactly, so results are identical on any
/// number of workers, and the shards of a run (`--shard K/N`, by validation points) merge to it
/// bit for bit. Progress is counted in validation points.
public struct KNNShapley: ValuationRun {
    /// K of the utility, ≥ 1. OpenDataVal uses 10.
    public var neighbors: Int
    /// One shard of the validation points (cut between chunks only) and a state file.
    public var session: RunSession

    public init(neighbors: Int = 10, session: RunSession = RunSession()) {
        precondition(neighbors >= 1)
        self.neighbors = neighbors
        self.session = session
    }

    /// K of the utility.
    public static let k = Parameter<Int>("k", default: 10, in: 1...100_000, summary: "neighbours that vote in the k-NN utility")

    /// `knn-shapley` for the catalog, with parameter `k`; it shards by validation points.
    public static let descriptor = MethodDescriptor(
        id: "knn-shapley", title: "KNN-Shapley",
        summary: "Exact Shapley values of a k-nearest-neighbour classifier; seconds even on large data",
        needsValidation: true, parameters: [k], sessionSettings: [.shard, .stateOut],
        make: { values, session in KNNShapley(neighbors: values[k], session: session) })

    /// Validation points per chunk: a function of their number only, so that the chunks, and
    /// hence the sums rounded per chunk, never depend on the workers or the shards.
    static func chunkSize(points: Int) -> Int { max(1, min(64, points / 64)) }

    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let n = problem.count, validationCount = problem.validationLabels.count, k = neighbors
        // Each chunk's sums are rounded once to fixed point and added as integers: exact, so
        // shards' sums add to one run's whatever their grouping.
        var sums = [Int128](repeating: 0, count: n)
        let chunk = Self.chunkSize(points: validationCount)
        let plan = session.plan(units: validationCount, granule: chunk)
        let pass = ChunkedPass(units: plan, chunkSize: chunk, unit: "validation points")
        let final = try await pass.run(
            workers: problem.workers, reporter: reporter,
            work: { range in Self.partialSums(problem, validationRows: range, neighbors: k) },
            merge: { _, partial in
                for i in 0..<n { sums[i] += FixedPoint.encode(partial[i]) }
            },
            estimate: { done in Self.estimate(sums: sums, points: done) })
        try session.saveState(method: Self.descriptor.id, seed: problem.seed, unitName: pass.unit, units: validationCount,
                              granule: chunk, done: plan.lowerBound..<(plan.lowerBound + final.done), results: .sums(sums))
        return final
    }

    /// The values of sums over `points` validation points (2⁻⁶⁴ fixed point): their means.
    static func estimate(sums: [Int128], points: Int) -> ValuationEstimate {
        guard points > 0 else { return ValuationEstimate(values: [Double](repeating: .nan, count: sums.count)) }
        let scale = 1 / Double(points)
        return ValuationEstimate(values: sums.map { FixedPoint.decode($0) * scale })
    }

    /// Σ_t s_t(i) over validation points `validationRows` (added in that order), one entry per
    /// valued row.
    ///
    /// The rows' order for each point comes from `NeighbourOrder` (distances in tiles of points,
    /// a radix sort on their upper bits, exact ties settled on the full distance). The
    /// recursion then walks it from the farthest row: the step at rank i is
    /// (m_i − m_{i+1})/K · min(K, i)/i, which is 0 (adding nothing) unless the match changes and
    /// otherwise ±g(i) with g(i) = (1/K)·(min(K, i)/i) tabulated once: the same bits as
    /// evaluating the formula, without two divisions per row.
    static func partialSums(_ problem: ValuationProblem, validationRows: Range<Int>, neighbors k: Int) -> [Double] {
        let n = problem.count
        var sums = [Double](repeating: 0, count: n)
        guard n > 0 else { return sums }
        let kk = Double(k)
        var step = [Double](repeating: 0, count: n)
        for i in 1..<max(n, 1) { step[i] = (1 / kk) * (Double(min(k, i)) / Double(i)) }
        var ranking = NeighbourOrder(rows: problem.train)
        problem.trainLabels.withUnsafeBufferPointer { labels in
            for first in stride(from: validationRows.lowerBound, to: validationRows.upperBound, by: ranking.tileSize) {
                let tile = first..<min(first + ranking.tileSize, validationRows.upperBound)
                ranking.computeTile(problem.validation, points: tile)
                for (query, t) in tile.enumerated() {
                    ranking.order(query: query, labels: labels, label: problem.validationLabels[t])
                    ranking.words.withUnsafeBufferPointer { order in
                        sums.withUnsafeMutableBufferPointer { s in
                            step.withUnsafeBufferPointer { g in
                                // 1-based rank i ↔ order[i − 1]; bit 31: the row's label is t's.
                                let last = order[n - 1]
                                var nextMatch = Int(last >> 31 & 1)
                                var value = Double(nextMatch) / Double(n)
                                s[Int(last & 0x7FFF_FFFF)] += value
                                var i = n - 1
                                while i >= 1 {
                                    let word = order[i - 1]
                                    let match = Int(word >> 31 & 1)
                                    value += Double(match - nextMatch) * g[i]
                                    s[Int(word & 0x7FFF_FFFF)] += value
                                    nextMatch = match
                                    i -= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return sums
    }
}
