/// A convergence series fed one figure per iteration and kept short: each point is the mean of
/// a block of consecutive iterations, and whenever `limit` points have accumulated, neighbouring
/// pairs are merged and the block size doubles.
///
/// So a run of any length is charted with between `limit / 2` and `limit` points, all
/// averaging the same number of iterations, and the history is a pure function of the figures
/// fed (deterministic). A point is dated by the last iteration of its block; iterations of an
/// unfinished block are not shown yet.
struct AveragedSeries: Sendable {
    /// The series so far.
    private(set) var series: ConvergenceSeries
    /// Most points kept, even, ≥ 2.
    let limit: Int
    /// Iterations per point.
    private(set) var blockSize = 1
    private var pendingSum = 0.0
    private var pendingCount = 0

    init(name: String, limit: Int = 256) {
        precondition(limit >= 2 && limit % 2 == 0)
        series = ConvergenceSeries(name: name)
        self.limit = limit
    }

    /// Adds the figure of iteration `done` (the count of iterations done, counting this one).
    mutating func append(_ value: Double, done: Int) {
        pendingSum += value
        pendingCount += 1
        guard pendingCount == blockSize else { return }
        series.history.append(ConvergencePoint(done: done, value: pendingSum / Double(blockSize)))
        pendingSum = 0
        pendingCount = 0
        if series.history.count == limit {
            let h = series.history
            series.history = stride(from: 0, to: limit, by: 2).map {
                ConvergencePoint(done: h[$0 + 1].done, value: (h[$0].value + h[$0 + 1].value) / 2)
            }
            blockSize *= 2
        }
    }
}
