/// Class probabilities for every row from a model that never saw it, so a mislabeled row
/// cannot vouch for its own label.
///
/// The rows are dealt into `folds` seeded, stratified folds (each class's rows shuffled by the
/// seed, then dealt in turn, so every fold has its share of each class); for each fold a model
/// (by default the engine's L2 logistic regression) is fitted on the other folds' rows and
/// gives the probabilities of the fold's rows. A row's suggested label is its most probable
/// class. Folds are fitted in parallel, each on its own, so the numbers depend only on the
/// data, the labels and the seed, never on the number of workers.
public struct CrossFittedProbabilities: Sendable {
    /// The number of folds used when none is given.
    public static let defaultFolds = 5

    public let classCount: Int
    /// The fold of each row, in `0..<folds`.
    public let fold: [Int]
    public let folds: Int
    /// Class probabilities of row i at `i * classCount ..< (i + 1) * classCount`.
    private let table: [Double]
    /// The most probable class of each row (ties to the lowest class index): its suggested label.
    public let predicted: [Int]

    /// Fits `folds` models (`model`, unfitted; logistic regression when nil) on the rows of `x`
    /// with `labels`, folds dealt by `seed`, up to `workers` at once. Throws
    /// `CancellationError` when the task is cancelled.
    public static func fit(_ x: Matrix, labels: [Int], classCount: Int, folds: Int = defaultFolds, seed: UInt64,
                           workers: Int = 1, model: (any Classifier)? = nil) async throws -> CrossFittedProbabilities {
        precondition(x.rows == labels.count && classCount >= 1)
        let n = x.rows
        let folds = max(1, min(folds, n))
        let fold = Self.deal(labels: labels, classCount: classCount, folds: folds, seed: seed)
        let prototype = model ?? LogisticRegression(classCount: classCount)
        var table = [Double](repeating: 1 / Double(classCount), count: n * classCount)
        let outcome = try await runChunks(units: 0..<folds, chunkSize: 1, workers: workers, work: { range in
            let f = range.lowerBound
            var m = prototype
            // With a single fold there is nothing to fit on: the prior, uniform, stays.
            let trainRows = folds == 1 ? [] : (0..<n).filter { fold[$0] != f }
            let held = (0..<n).filter { fold[$0] == f }
            m.fit(x, labels: labels, rows: trainRows)
            return (held, held.flatMap { m.probabilities(x, row: $0) })
        }, merge: { _, part in
            for (k, row) in part.0.enumerated() {
                for c in 0..<classCount { table[row * classCount + c] = part.1[k * classCount + c] }
            }
            return .proceed
        })
        guard outcome == .completed else { throw CancellationError() }
        let predicted = (0..<n).map { i in
            table[(i * classCount)..<((i + 1) * classCount)].withUnsafeBufferPointer { argmax($0) }
        }
        return CrossFittedProbabilities(classCount: classCount, fold: fold, folds: folds, table: table, predicted: predicted)
    }

    private init(classCount: Int, fold: [Int], folds: Int, table: [Double], predicted: [Int]) {
        self.classCount = classCount
        self.fold = fold
        self.folds = folds
        self.table = table
        self.predicted = predicted
    }

    /// Class probabilities of row `i`, in class-index order; they sum to 1.
    public func probabilities(of i: Int) -> [Double] {
        Array(table[(i * classCount)..<((i + 1) * classCount)])
    }

    /// The stratified folds: each class's rows shuffled by `seed` and dealt round the folds,
    /// each class starting where the last one stopped.
    static func deal(labels: [Int], classCount: Int, folds: Int, seed: UInt64) -> [Int] {
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, y) in labels.enumerated() { byClass[y].append(i) }
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for (c, rows) in byClass.enumerated() where !rows.isEmpty {
            var rng = SeededGenerator(seed: seed, stream: 0xC205_5F17 &+ UInt64(c))
            var shuffled = rows
            rng.shuffle(&shuffled)
            for r in shuffled {
                fold[r] = next
                next = (next + 1) % folds
            }
        }
        return fold
    }
}
