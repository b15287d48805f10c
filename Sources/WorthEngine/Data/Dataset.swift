/// A labelled classification dataset ready for models: numeric features (after one-hot
/// encoding, before standardisation), class indices and where each row came from.
public struct Dataset: Sendable {
    /// Names of the feature columns after encoding (a one-hot column is named `island=Dream`).
    public var featureNames: [String]
    /// Features by column, in the encoded but unstandardised scale: 32-bit floats from a file
    /// (doubles for a column whose values need them), doubles from a `Matrix`.
    public var columns: FeatureColumns
    /// The features as a row-major matrix of doubles, one row per sample: a copy made on each
    /// read (twice the memory of `columns`), for small data and tests.
    public var features: Matrix {
        get { columns.matrix }
        set { columns = FeatureColumns(newValue) }
    }
    /// Class index of each row, in `0..<classNames.count`.
    public var labels: [Int]
    /// Class names exactly as they appear in the file, sorted (numerically when every label is a
    /// number, else by string), so the class order is the same whatever the row order.
    public var classNames: [String]
    /// For each row, its 1-based data-row number in the input file (the header is not a data
    /// row), so results can always be joined back to the user's file.
    public var sourceRows: [Int]

    public init(featureNames: [String], features: Matrix, labels: [Int], classNames: [String], sourceRows: [Int]) {
        self.init(featureNames: featureNames, columns: FeatureColumns(features), labels: labels, classNames: classNames,
                  sourceRows: sourceRows)
    }

    public init(featureNames: [String], columns: FeatureColumns, labels: [Int], classNames: [String], sourceRows: [Int]) {
        precondition(columns.rows == labels.count && labels.count == sourceRows.count)
        precondition(columns.count == featureNames.count)
        self.featureNames = featureNames
        self.columns = columns
        self.labels = labels
        self.classNames = classNames
        self.sourceRows = sourceRows
    }

    /// Number of rows.
    public var count: Int { labels.count }
    /// Number of (encoded) features.
    public var featureCount: Int { columns.count }
    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// Rows per class, indexed by class.
    public var classCounts: [Int] {
        var c = Array(repeating: 0, count: classCount)
        for y in labels { c[y] += 1 }
        return c
    }
}
