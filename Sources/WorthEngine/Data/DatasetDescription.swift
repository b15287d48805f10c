/// What a CSV file holds, as the loader sees it, without loading it: the Dataset screen's facts
/// for `worth describe`. The file is read as the loader reads it (a block at a time, on all
/// cores), so describing a file is as fast as loading it.
public struct DatasetDescription: Sendable {
    /// The file, as the user named it.
    public var path: String
    /// Data rows (the header excluded).
    public var rows: Int
    /// 0-based index of the label column.
    public var labelColumn: Int
    /// One summary per column, in header order (text columns list their 5 most frequent values).
    public var columns: [ColumnSummary]
    /// Every class with its row count, most frequent first (ties in string order); rows with a
    /// missing label are not counted.
    public var classCounts: [ColumnSummary.ValueCount]
    /// 1-based data-row numbers of the rows with a missing cell: those `--missing drop` leaves
    /// out.
    public var rowsWithMissing: [Int]
    /// 1-based data-row numbers of the rows whose label is missing: `--missing impute` does not
    /// impute a label, so these are an error unless dropped.
    public var rowsWithMissingLabel: [Int]
    /// Missing feature cells: those `--missing impute` fills (mean or most frequent value).
    public var imputedCells: Int

    /// Describes the file at `path` with the label column `label` (a header name, a 1-based
    /// number, or nil for the last column).
    ///
    /// - Parameter progress: called as the file is read with the fraction read; returning
    ///   false stops (`CancellationError`).
    /// - Throws: `InputError` as the loader does for a file it cannot read or parse, or an
    ///   unknown label column.
    public static func describe(path: String, label: String?, progress: ((Double) -> Bool)? = nil) throws -> DatasetDescription {
        let options = LoadOptions(label: label)
        var lookup: Result<Int, Error> = .success(0)
        var parsed = try CSVStreamReader.read(path: path, interned: { header in
            lookup = Result { try DatasetLoader.labelColumn(in: header, path: path, options: options, schema: nil) }
            return (try? lookup.get()).map { [$0] } ?? []
        }, progress: progress.map { report in { fraction, _ in report(fraction) } })
        let labelColumn = try lookup.get()

        let n = parsed.rows
        var missing = [Bool](repeating: false, count: n)
        var imputed = 0
        for (c, column) in parsed.columns.enumerated() {
            for r in 0..<n where column.isMissing(r) {
                missing[r] = true
                if c != labelColumn { imputed += 1 }
            }
        }
        let label = parsed.columns[labelColumn]
        let summaries = try ColumnSummary.summarize(&parsed, labelColumn: labelColumn, top: 5)
        let classes = ColumnEncoder.textCounts(label, rows: Array(0..<n))
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { ColumnSummary.ValueCount(value: $0.key, count: $0.value) }
        return DatasetDescription(path: path, rows: n, labelColumn: labelColumn, columns: summaries, classCounts: classes,
                                  rowsWithMissing: (0..<n).filter { missing[$0] }.map { $0 + 1 },
                                  rowsWithMissingLabel: (0..<n).filter { label.isMissing($0) }.map { $0 + 1 },
                                  imputedCells: imputed)
    }
}
