import WorthEngine

/// A CSV file read but not yet turned into a dataset: what the label-column picker shows,
/// read from the file's first rows only.
struct TablePreview: Sendable {
    /// How many data rows the file holds, as far as the preview can tell.
    enum RowCount: Sendable, Equatable {
        /// Every row was read.
        case exact(Int)
        /// Estimated from the size of the rows read and of the file (the load counts them).
        case about(Int)
    }

    /// The path as given.
    var path: String
    /// Header names.
    var header: [String]
    /// The first data rows (a handful), as text cells.
    var rows: [[String]]
    /// Number of data rows in the file.
    var rowCount: RowCount

    init(path: String, header: [String], rows: [[String]], rowCount: RowCount) {
        self.path = path
        self.header = header
        self.rows = rows
        self.rowCount = rowCount
    }

    /// "40 rows", "about 1,000,000 rows".
    var rowCountText: String {
        switch rowCount {
        case .exact(let n): "\(n) row\(n == 1 ? "" : "s")"
        case .about(let n): "about \(NumberFormat.grouped(n)) rows"
        }
    }
}

/// A file the workbench has opened: the engine's dataset plus what the views need of the
/// original file: where its records lie (their cells are read back from the file on demand,
/// for the row detail, relabels and exports), and what each column holds.
struct OpenFile: Sendable {
    /// The path as given.
    var path: String
    /// Header names, as in the file.
    var header: [String]
    /// The dataset the engine values.
    var loaded: LoadedDataset
    /// Where each record lies in the file, and its fingerprint.
    var source: SourceText
    /// What each input column holds (kind, missing cells, range), for the Dataset screen.
    var columns: [ColumnSummary]
    /// Rows of the dataset per class (counted once: the Dataset screen shows them every frame).
    let classCounts: [Int]

    init(path: String, header: [String], loaded: LoadedDataset, source: SourceText, columns: [ColumnSummary]) {
        self.path = path
        self.header = header
        self.loaded = loaded
        self.source = source
        self.columns = columns
        classCounts = loaded.dataset.classCounts
    }

    /// The cells of data row `row` (1-based) as written, read from the file; nil for a row not
    /// in the file.
    func cells(ofRow row: Int) throws -> [String]? { try source.cells(ofRow: row) }

    /// The label cell of data row `row` as written (before any relabel); nil when it cannot be read.
    func label(ofRow row: Int) -> String? {
        guard let cells = try? cells(ofRow: row), cells.indices.contains(loaded.labelColumn) else { return nil }
        return cells[loaded.labelColumn]
    }
}

/// How far opening a file is, as the load screen shows it.
struct LoadStatus: Sendable, Equatable {
    enum Stage: Sendable, Equatable {
        /// Reading and parsing the file (`fraction` of its bytes so far).
        case reading
        /// Encoding the features and summarising the columns.
        case summarizing
        /// Fingerprinting the file (to find its saved flags and runs).
        case fingerprinting
    }

    var stage: Stage
    /// Fraction of the file's bytes read, 0...1.
    var fraction: Double
    /// Data rows read so far.
    var rows: Int

    init(stage: Stage = .reading, fraction: Double = 0, rows: Int = 0) {
        self.stage = stage
        self.fraction = fraction
        self.rows = rows
    }
}

/// What the workbench needs from the outside world, so tests can hand it fixtures (a tiny
/// dataset, a scripted loader or valuator) while the program hands it the engine.
struct WorkbenchServices: Sendable {
    /// Reads a CSV's header and first rows (for the label picker), not the whole file; throws
    /// a one-line error.
    var preview: @Sendable (_ path: String) throws -> TablePreview
    /// Loads a CSV with the given 0-based label column into a dataset, treating missing cells
    /// as `missing` says. Called off the key loop; it reports how far it is to `progress`, and
    /// stops (throwing `CancellationError`) when `progress` returns false.
    var open: @Sendable (_ path: String, _ labelColumn: Int, _ missing: MissingPolicy,
                         _ progress: @escaping @Sendable (LoadStatus) -> Bool) throws -> OpenFile
    /// The methods offered, in menu order.
    var methods: [MethodDescriptor]

    init(preview: @escaping @Sendable (String) throws -> TablePreview,
         open: @escaping @Sendable (String, Int, MissingPolicy, @escaping @Sendable (LoadStatus) -> Bool) throws -> OpenFile,
         methods: [MethodDescriptor]) {
        self.preview = preview
        self.open = open
        self.methods = methods
    }
}
