import Synchronization

/// Everything a valuation method needs: the rows being valued, an optional validation set,
/// and how to run (seed, workers).
///
/// Features are already standardised with statistics of the valued rows. Values are reported
/// per valued row, in the order of `train`'s rows.
public struct ValuationProblem: Sendable {
    /// The rows being valued (standardised features), as a row-major matrix of doubles. A
    /// problem made by `Experiment` holds the dataset's columns and standardises them as they
    /// are read; this matrix is then made on the first read (and kept), so a method that only
    /// bins the features (Data-OOB's trees) never pays for it.
    public var train: Matrix {
        get { trainFeatures.matrix }
        set { trainFeatures = TrainFeatures(.matrix(newValue)) }
    }
    private var trainFeatures: TrainFeatures
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
        self.init(trainFeatures: TrainFeatures(.matrix(train)), trainLabels: trainLabels, validation: validation,
                  validationLabels: validationLabels, classCount: classCount, seed: seed, workers: workers)
    }

    /// A problem whose valued rows are read from a dataset's columns (see `train`).
    init(train: StandardizedRows, trainLabels: [Int], validation: Matrix, validationLabels: [Int],
         classCount: Int, seed: UInt64, workers: Int) {
        self.init(trainFeatures: TrainFeatures(.columns(train)), trainLabels: trainLabels, validation: validation,
                  validationLabels: validationLabels, classCount: classCount, seed: seed, workers: workers)
    }

    private init(trainFeatures: TrainFeatures, trainLabels: [Int], validation: Matrix, validationLabels: [Int],
                 classCount: Int, seed: UInt64, workers: Int) {
        precondition(trainFeatures.rowCount == trainLabels.count && validation.rows == validationLabels.count)
        precondition(trainFeatures.featureCount == validation.columns || validation.rows == 0)
        self.trainFeatures = trainFeatures
        self.trainLabels = trainLabels
        self.validation = validation
        self.validationLabels = validationLabels
        self.classCount = classCount
        self.seed = seed
        self.workers = max(1, workers)
    }

    /// Number of features.
    public var featureCount: Int { trainFeatures.featureCount }

    /// The valued rows' features for binning, without making `train` when it is not made yet.
    var trainSource: any FeatureSource { trainFeatures.source }

    /// Number of valued rows.
    public var count: Int { trainLabels.count }
    /// `0..<count`, the indices of all valued rows.
    public var allRows: [Int] { Array(0..<trainLabels.count) }
    /// `0..<validation.rows`.
    public var allValidationRows: [Int] { Array(0..<validationLabels.count) }
}

/// Where a problem's valued rows are: a matrix, or a dataset's columns with the matrix made on
/// the first read of `ValuationProblem.train` and kept (a class, so copies of the problem share
/// it).
private final class TrainFeatures: Sendable {
    enum Storage {
        case matrix(Matrix)
        case columns(StandardizedRows)
    }

    let storage: Storage
    private let made = Mutex<Matrix?>(nil)

    init(_ storage: Storage) { self.storage = storage }

    var matrix: Matrix {
        switch storage {
        case .matrix(let m): return m
        case .columns(let rows):
            return made.withLock { made in
                if let made { return made }
                let m = rows.matrix
                made = m
                return m
            }
        }
    }

    var featureCount: Int { source.featureCount }
    var rowCount: Int { source.rowCount }

    var source: any FeatureSource {
        switch storage {
        case .matrix(let m): MatrixRows(matrix: m, rows: nil)
        case .columns(let rows): rows
        }
    }
}
