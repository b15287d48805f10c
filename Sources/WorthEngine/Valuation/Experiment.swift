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
    /// loaded with `source.schema`), flips labels and standardises, for valuing with `method`.
    ///
    /// Throws an `InputError` for options out of range (`ExperimentOptions.validate()`), and
    /// `.needsValidation` (naming the data file) when `method` scores models on validation rows
    /// and none are left: the one place that check is made.
    public init(source: LoadedDataset, validationFile: LoadedDataset? = nil, testFile: LoadedDataset? = nil,
                options: ExperimentOptions, for method: MethodDescriptor?) throws {
        try options.validate()
        let data = source.dataset
        let split = Split.stratified(
            labels: data.labels, classCount: data.classCount,
            validationFraction: validationFile == nil ? options.validationFraction : 0,
            testFraction: testFile == nil ? options.testFraction : 0,
            seed: options.seed)

        // The valued rows stay in the dataset's columns, standardised as a method reads them.
        let standardizer = Standardizer(fitting: data.columns, rows: split.valued)
        var labels = split.valued.map { data.labels[$0] }
        let original = labels
        let flippedAt = LabelNoise.flip(&labels, fraction: options.flipFraction,
                                        classCount: data.classCount, seed: options.seed)
        var flipped = [Bool](repeating: false, count: labels.count)
        for i in flippedAt { flipped[i] = true }

        func part(_ rows: [Int], file: LoadedDataset?) -> (Matrix, [Int]) {
            if let file {
                let all = file.dataset
                return (StandardizedRows(columns: all.columns, standardizer: standardizer, rows: Array(0..<all.count)).matrix,
                        all.labels)
            }
            return (StandardizedRows(columns: data.columns, standardizer: standardizer, rows: rows).matrix,
                    rows.map { data.labels[$0] })
        }
        let (validation, validationLabels) = part(split.validation, file: validationFile)
        let (test, testLabels) = part(split.test, file: testFile)

        var roles = [RowRole](repeating: .dropped, count: source.totalRows)
        for (k, i) in split.valued.enumerated() { roles[data.sourceRows[i] - 1] = .valued(k) }
        for i in split.validation { roles[data.sourceRows[i] - 1] = .validation }
        for i in split.test { roles[data.sourceRows[i] - 1] = .test }

        self.source = source
        self.problem = ValuationProblem(
            train: StandardizedRows(columns: data.columns, standardizer: standardizer, rows: split.valued), trainLabels: labels,
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
        if let method, method.needsValidation && problem.validationLabels.isEmpty {
            throw InputError(file: source.path, .needsValidation(method: method.id))
        }
    }

    /// Class names, in class-index order.
    public var classNames: [String] { source.dataset.classNames }

    /// The 1-based data-row number in the file of valued row `i`.
    public func sourceRow(ofValued i: Int) -> Int { source.dataset.sourceRows[valuedRows[i]] }

    /// Positions (valued-row indices) of the flipped rows.
    public var flippedRows: [Int] { flipped.indices.filter { flipped[$0] } }
}
