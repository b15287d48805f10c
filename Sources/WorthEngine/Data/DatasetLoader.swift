/// What to do with missing cells (`""`, `NA`, `NaN`, `?`, `null`).
public enum MissingPolicy: String, Sendable, CaseIterable {
    /// A missing cell is an error naming its line and column.
    case error
    /// Rows with a missing cell are left out (and reported as held out).
    case drop
    /// Missing numeric cells get the column mean, missing text cells the most frequent value.
    /// A missing label is still an error.
    case impute
}

/// How to turn a CSV file into a `Dataset`.
public struct LoadOptions: Sendable {
    /// The label column: a header name, or a 1-based column number; nil means the last column.
    public var label: String?
    /// What to do with missing cells.
    public var missing: MissingPolicy
    /// A text column with at most this many distinct values is one-hot encoded; with more it is
    /// an error (it is likely an identifier or free text).
    public var maxCategories: Int

    public init(label: String? = nil, missing: MissingPolicy = .error, maxCategories: Int = 20) {
        self.label = label
        self.missing = missing
        self.maxCategories = maxCategories
    }
}

/// A dataset together with what the loader did to the user's file.
public struct LoadedDataset: Sendable {
    /// The path as the user gave it (used in messages).
    public var path: String
    /// The header of the file, unchanged.
    public var header: [String]
    /// 0-based index in `header` of the label column.
    public var labelColumn: Int
    /// Number of data rows in the file.
    public var totalRows: Int
    /// The rows that became the dataset.
    public var dataset: Dataset
    /// 1-based data-row numbers of rows left out because of missing cells (`--missing drop`).
    public var droppedRows: [Int]
    /// Things the user should know, one line each: one-hot encodings, imputations, drops.
    public var notes: [String]

    public init(path: String, header: [String], labelColumn: Int, totalRows: Int, dataset: Dataset,
                droppedRows: [Int], notes: [String]) {
        self.path = path
        self.header = header
        self.labelColumn = labelColumn
        self.totalRows = totalRows
        self.dataset = dataset
        self.droppedRows = droppedRows
        self.notes = notes
    }
}

/// How a file's columns were turned into features, so that a second file (`--valid FILE`,
/// `--test FILE`) is encoded the same way: same columns, same one-hot categories, same class
/// order, same imputed values.
public struct DatasetSchema: Sendable, Equatable {
    /// How one input column becomes features.
    public enum ColumnEncoding: Sendable, Equatable {
        /// A numeric column, kept as is; `fill` replaces missing cells under `--missing impute`.
        case numeric(fill: Double)
        /// A text column one-hot encoded over `categories` (a feature each); `fill` replaces
        /// missing cells under `--missing impute`.
        case oneHot(categories: [String], fill: String)
    }

    /// The header names of the feature columns (the label column excluded), in file order.
    public var columnNames: [String]
    /// The encoding of each feature column, parallel to `columnNames`.
    public var encodings: [ColumnEncoding]
    /// Header name of the label column.
    public var labelName: String
    /// Class names, in class-index order.
    public var classNames: [String]

    public init(columnNames: [String], encodings: [ColumnEncoding], labelName: String, classNames: [String]) {
        self.columnNames = columnNames
        self.encodings = encodings
        self.labelName = labelName
        self.classNames = classNames
    }
}
