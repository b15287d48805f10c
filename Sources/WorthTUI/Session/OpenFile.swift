import WorthEngine

/// A CSV file read but not yet turned into a dataset: what the label-column picker shows.
struct TablePreview: Sendable {
    /// The path as given.
    var path: String
    /// Header names.
    var header: [String]
    /// The first data rows (a handful), as text cells.
    var rows: [[String]]
    /// Number of data rows in the file.
    var rowCount: Int

    init(path: String, header: [String], rows: [[String]], rowCount: Int) {
        self.path = path
        self.header = header
        self.rows = rows
        self.rowCount = rowCount
    }
}

/// A file the workbench has opened: the engine's dataset plus what the views need of the
/// original text (cells for the row detail, lines for exports).
struct OpenFile: Sendable {
    /// The path as given.
    var path: String
    /// Header names and each data row's cells, as in the file.
    var header: [String]
    var records: [[String]]
    /// The dataset the engine values.
    var loaded: LoadedDataset
    /// The file's physical lines, for exports that copy rows verbatim, and its fingerprint.
    var source: SourceText
    /// What each input column holds (kind, missing cells, range), for the Dataset screen.
    var columns: [ColumnSummary]

    init(path: String, header: [String], records: [[String]], loaded: LoadedDataset, source: SourceText,
                columns: [ColumnSummary]) {
        self.path = path
        self.header = header
        self.records = records
        self.loaded = loaded
        self.source = source
        self.columns = columns
    }
}

/// What the workbench needs from the outside world, so tests can hand it fixtures (a tiny
/// dataset, a scripted valuator) while the program hands it the engine.
struct WorkbenchServices: Sendable {
    /// Reads a CSV's header and first rows (for the label picker); throws a one-line error.
    var preview: @Sendable (_ path: String) throws -> TablePreview
    /// Loads a CSV with the given 0-based label column into a dataset, treating missing cells
    /// as `missing` says.
    var open: @Sendable (_ path: String, _ labelColumn: Int, _ missing: MissingPolicy) throws -> OpenFile
    /// The methods offered, in menu order.
    var methods: [MethodDescriptor]

    init(preview: @escaping @Sendable (String) throws -> TablePreview,
                open: @escaping @Sendable (String, Int, MissingPolicy) throws -> OpenFile,
                methods: [MethodDescriptor]) {
        self.preview = preview
        self.open = open
        self.methods = methods
    }
}
