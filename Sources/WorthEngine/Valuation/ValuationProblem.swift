/// Everything a valuation method needs: the rows being valued, an optional validation set,
/// and how to run (seed, workers).
///
/// Features are already standardised with statistics of the valued rows. Values are reported
/// per valued row, in the order of `train`'s rows.
public struct ValuationProblem: Sendable {
    /// The rows being valued (standardised features).
    public var train: Matrix
    /// Class index of each valued row (after any label flipping).
    public var trainLabels: [Int]
    /// Validation rows, standardised like `train`; some methods (Data-OOB, self-influence) do
    /// not need them.
    public var validation: Matrix
    /// Class index of each validation row.
    public var validationLabels: [Int]
    /// Number of classes; labels are in `0..<classCount`.
    public var classCount: Int
    /// The run's seed: the same seed gives the same values on any number of workers.
    public var seed: UInt64
    /// How many units of work run at once (≥ 1).
    public var workers: Int

    public init(train: Matrix, trainLabels: [Int], validation: Matrix, validationLabels: [Int],
                classCount: Int, seed: UInt64, workers: Int) {
        precondition(train.rows == trainLabels.count && validation.rows == validationLabels.count)
        precondition(train.columns == validation.columns || validation.rows == 0)
        self.train = train
        self.trainLabels = trainLabels
        self.validation = validation
        self.validationLabels = validationLabels
        self.classCount = classCount
        self.seed = seed
        self.workers = max(1, workers)
    }

    /// Number of valued rows.
    public var count: Int { trainLabels.count }
    /// `0..<count`, the indices of all valued rows.
    public var allRows: [Int] { Array(0..<trainLabels.count) }
    /// `0..<validation.rows`.
    public var allValidationRows: [Int] { Array(0..<validationLabels.count) }
}
