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
/// linear-time radix sort. Validation points run in chunks over `problem.workers`, and the
/// chunks' sums are added in index order, so results are identical on any number of workers.
/// Progress is counted in validation points.
public struct KNNShapley: ValuationRun {
    /// K of the utility, ≥ 1. OpenDataVal uses 10.
    public var neighbors: Int

    public init(neighbors: Int = 10) {
        precondition(neighbors >= 1)
        self.neighbors = neighbors
    }

    /// K of the utility.
    public static let k = Parameter<Int>("k", default: 10, in: 1...100_000, summary: "neighbours that vote in the k-NN utility")

    /// `knn-shapley` for the catalog, with parameter `k`.
    public static let descriptor = MethodDescriptor(
        id: "knn-shapley", title: "KNN-Shapley",
        summary: "Exact Shapley values of a k-nearest-neighbour classifier; seconds even on large data",
        needsValidation: true, parameters: [k],
        make: { values, _ in KNNShapley(neighbors: values[k]) })

    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let n = problem.count, validationCount = problem.validationLabels.count, k = neighbors
        var sums = [Double](repeating: 0, count: n)
        // Chunk size depends on the sizes only, so the summation order never depends on workers.
        let pass = ChunkedPass(units: validationCount, chunkSize: max(1, min(64, validationCount / 64)),
                               unit: "validation points")
        return try await pass.run(
            workers: problem.workers, reporter: reporter,
            work: { range in Self.partialSums(problem, validationRows: range, neighbors: k) },
            merge: { _, partial in
                for i in 0..<n { sums[i] += partial[i] }
            },
            estimate: { done in
                let scale = 1 / Double(done)
                return ValuationEstimate(values: done == 0 ? [Double](repeating: .nan, count: n) : sums.map { $0 * scale })
            })
    }

    /// Σ_t s_t(i) over validation points `validationRows`, one entry per valued row.
    static func partialSums(_ problem: ValuationProblem, validationRows: Range<Int>, neighbors k: Int) -> [Double] {
        let n = problem.count, d = problem.train.columns
        var sums = [Double](repeating: 0, count: n)
        guard n > 0 else { return sums }
        var sorter = RadixSorter(count: n)
        let kk = Double(k)
        problem.train.storage.withUnsafeBufferPointer { xs in
            problem.validation.storage.withUnsafeBufferPointer { vs in
                problem.trainLabels.withUnsafeBufferPointer { labels in
                    sums.withUnsafeMutableBufferPointer { s in
                        for t in validationRows {
                            let target = vs.baseAddress! + t * d
                            let yt = problem.validationLabels[t]
                            sorter.sort { keys in
                                for i in 0..<n {
                                    keys[i] = VectorKernels.squaredDistance(xs.baseAddress! + i * d, target, d).bitPattern
                                }
                            }
                            sorter.order.withUnsafeBufferPointer { order in
                                // 1-based rank i ↔ order[i − 1].
                                let last = Int(order[n - 1])
                                var nextMatch = labels[last] == yt ? 1.0 : 0.0
                                var value = nextMatch / Double(n)
                                s[last] += value
                                var i = n - 1
                                while i >= 1 {
                                    let row = Int(order[i - 1])
                                    let match = labels[row] == yt ? 1.0 : 0.0
                                    value += (match - nextMatch) / kk * (Double(min(k, i)) / Double(i))
                                    s[row] += value
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
