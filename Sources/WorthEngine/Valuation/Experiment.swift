/// Options that turn a loaded file into a valuation problem.
public struct ExperimentOptions: Sendable, Equatable {
    /// Fraction of each class held out for validation when no validation file is given, in [0, 1).
    public var validationFraction: Double
    /// Fraction of each class held out for testing (only `worth eval` and the what-if use it).
    public var testFraction: Double
    /// Fraction of the valued rows whose label is flipped to another class (experiments), in [0, 1].
    public var flipFraction: Double
    /// Seed of the split, the flips and the valuation.
    public var seed: UInt64
    /// Concurrent units of work for the valuation, ≥ 1.
    public var workers: Int

    public init(validationFraction: Double = 0.2, testFraction: Double = 0, flipFraction: Double = 0,
                seed: UInt64 = 0, workers: Int = 1) {
        self.validationFraction = validationFraction
        self.testFraction = testFraction
        self.flipFraction = flipFraction
        self.seed = seed
        self.workers = workers
    }
}

/// What became of a row of the user's file.
public enum RowRole: Sendable, Equatable {
    /// Valued: index into the problem's rows.
    case valued(Int)
    /// Held out for validation.
    case validation
    /// Held out for testing.
    case test
    /// Left out because of a missing cell (`--missing drop`).
    case dropped

    /// The text written in the `held_out` column: empty for valued rows.
    public var heldOutText: String {
        switch self {
        case .valued: ""
        case .validation: "validation"
        case .test: "test"
        case .dropped: "missing"
        }
    }
}

/// A loaded file made ready for valuation: split, labels flipped if asked, features
/// standardised with the valued rows' statistics. The command line and the terminal UI both
/// go through it, so they value the same rows the same way.
public struct Experiment: Sendable {
    /// The file being valued.
    public let source: LoadedDataset
    /// The problem handed to a valuator: valued rows (maybe with flipped labels) and validation.
    public let problem: ValuationProblem
    /// Test rows, standardised like the problem (empty when there is no test part).
    public let test: Matrix
    /// Class index of each test row.
    public let testLabels: [Int]
    /// For each valued row (problem order), its index in `source.dataset`.
    public let valuedRows: [Int]
    /// For each valued row, the label as in the file.
    public let originalLabels: [Int]
    /// For each valued row, whether its label was flipped (the ground truth of `worth eval`).
    public let flipped: [Bool]
    /// For each validation row (problem order), its 1-based data-row number in the file it came
    /// from (the valued file, or the `--valid` file).
    public let validationSourceRows: [Int]
    /// What became of each data row of the file, indexed by data-row number − 1.
    public let roles: [RowRole]
    /// The standardisation fitted on the valued rows.
    public let standardizer: Standardizer
    /// The options used.
    public let options: ExperimentOptions

    /// Splits `source` (or takes validation and test from their own files, which must have been
    /// loaded with `source.schema`), flips labels and standardises.
    public init(source: LoadedDataset, validationFile: LoadedDataset? = nil, testFile: LoadedDataset? = nil,
                options: ExperimentOptions) throws {
        guard (0..<1).contains(options.validationFraction), (0..<1).contains(options.testFraction),
              options.validationFraction + options.testFraction < 1 else {
            throw InputError("--valid-fraction and --test-fraction must be in [0, 1) and add up to less than 1")
        }
        guard (0...1).contains(options.flipFraction) else {
            throw InputError("--flip takes a fraction in [0, 1], not \(options.flipFraction)")
        }
        let data = source.dataset
        let split = Split.stratified(
            labels: data.labels, classCount: data.classCount,
            validationFraction: validationFile == nil ? options.validationFraction : 0,
            testFraction: testFile == nil ? options.testFraction : 0,
            seed: options.seed)

        let standardizer = Standardizer(fitting: data.features, rows: split.valued)
        let scaled = standardizer.apply(data.features)
        var labels = split.valued.map { data.labels[$0] }
        let original = labels
        let flippedAt = LabelNoise.flip(&labels, fraction: options.flipFraction,
                                        classCount: data.classCount, seed: options.seed)
        var flipped = [Bool](repeating: false, count: labels.count)
        for i in flippedAt { flipped[i] = true }

        func part(_ rows: [Int], file: LoadedDataset?) -> (Matrix, [Int]) {
            if let file { return (standardizer.apply(file.dataset.features), file.dataset.labels) }
            return (scaled.selecting(rows: rows), rows.map { data.labels[$0] })
        }
        let (validation, validationLabels) = part(split.validation, file: validationFile)
        let (test, testLabels) = part(split.test, file: testFile)

        var roles = [RowRole](repeating: .dropped, count: source.totalRows)
        for (k, i) in split.valued.enumerated() { roles[data.sourceRows[i] - 1] = .valued(k) }
        for i in split.validation { roles[data.sourceRows[i] - 1] = .validation }
        for i in split.test { roles[data.sourceRows[i] - 1] = .test }

        self.source = source
        self.problem = ValuationProblem(
            train: scaled.selecting(rows: split.valued), trainLabels: labels,
            validation: validation, validationLabels: validationLabels,
            classCount: data.classCount, seed: options.seed, workers: options.workers)
        self.validationSourceRows = validationFile?.dataset.sourceRows ?? split.validation.map { data.sourceRows[$0] }
        self.test = test
        self.testLabels = testLabels
        self.valuedRows = split.valued
        self.originalLabels = original
        self.flipped = flipped
        self.roles = roles
        self.standardizer = standardizer
        self.options = options
    }

    /// Class names, in class-index order.
    public var classNames: [String] { source.dataset.classNames }

    /// The 1-based data-row number in the file of valued row `i`.
    public func sourceRow(ofValued i: Int) -> Int { source.dataset.sourceRows[valuedRows[i]] }

    /// Positions (valued-row indices) of the flipped rows.
    public var flippedRows: [Int] { flipped.indices.filter { flipped[$0] } }
}
