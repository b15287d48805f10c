import Foundation

/// How far a load is.
public struct LoadProgress: Sendable, Equatable {
    /// Fraction of the file's bytes read, in 0...1.
    public var fraction: Double
    /// Data rows read so far.
    public var rows: Int

    public init(fraction: Double, rows: Int) {
        self.fraction = fraction
        self.rows = rows
    }
}

/// Where a CSV file's records lie in its bytes, as the reader cut them: what a viewer needs to
/// show a row's cells (`CSVReader.fields(ofRecord:delimiter:)`) or copy a row exactly as
/// written, from the file itself, instead of keeping its text.
public struct RecordLayout: Sendable, Equatable {
    /// The field delimiter found in the header: `,`, `;` or a tab.
    public var delimiter: Character
    /// The header record's bytes, line end excluded (as `CSVTable.headerBytes`).
    public var headerBytes: Range<Int>
    /// Each data record's bytes, line end excluded (as `CSVTable.recordBytes`): every data
    /// record of the file, rows the loader dropped included.
    public var recordBytes: [Range<Int>]

    public init(delimiter: Character, headerBytes: Range<Int>, recordBytes: [Range<Int>]) {
        self.delimiter = delimiter
        self.headerBytes = headerBytes
        self.recordBytes = recordBytes
    }
}

/// A file loaded for browsing it (the workbench): the dataset, where each record lies in the
/// file, and what each column holds. Read once, a block at a time on all cores, without a
/// `String` per cell.
public struct LoadedFile: Sendable {
    /// The dataset and what the loader did.
    public var loaded: LoadedDataset
    /// Where each record lies in the file's bytes.
    public var layout: RecordLayout
    /// What each input column holds over the rows loaded (dropped rows count nowhere), in
    /// header order, text columns with their 5 most frequent values.
    public var columns: [ColumnSummary]
}

extension DatasetLoader {
    /// Loads the file at `path` as `load(path:options:matching:progress:)` does, keeping where
    /// each record lies and summarising each column over the rows loaded.
    ///
    /// - Parameter progress: called as the file is read, and once before the columns are
    ///   encoded and before each is summarised (fraction 1); returning false stops the load
    ///   (`CancellationError`).
    /// - Throws: `InputError` as `load(path:options:matching:progress:)`.
    public static func loadFile(path: String, options: LoadOptions,
                                progress: ((LoadProgress) -> Bool)? = nil) throws -> LoadedFile {
        var lookup: Result<Int, Error> = .success(0)
        // Blocks of about a hundredth of the file (1 to 8 MiB): progress in steps a person sees.
        let size = CSVReader.fileSize(path) ?? 0
        let sizes = CSVStreamReader.Sizes(block: min(8 << 20, max(1 << 20, size / 100)))
        var columns = try CSVStreamReader.read(path: path, interned: { header in
            lookup = Result { try labelColumn(in: header, path: path, options: options, schema: nil) }
            return (try? lookup.get()).map { [$0] } ?? []
        }, keepingRecordBytes: true, progress: progress.map { report in { report(LoadProgress(fraction: $0, rows: $1)) } },
           sizes: sizes)
        _ = try lookup.get()
        let rows = columns.rows
        let goOn = { progress?(LoadProgress(fraction: 1, rows: rows)) ?? true }
        guard goOn() else { throw CancellationError() }
        let loaded = try load(columns: columns, path: path, options: options, matching: nil)
        let dropped = Set(loaded.droppedRows)
        let kept = dropped.isEmpty ? nil : (0..<rows).filter { !dropped.contains($0 + 1) }
        let summaries = try ColumnSummary.summarize(&columns, labelColumn: loaded.labelColumn, top: 5, rows: kept,
                                                    shouldContinue: goOn)
        let layout = RecordLayout(delimiter: Character(Unicode.Scalar(columns.delimiter)), headerBytes: columns.headerBytes,
                                  recordBytes: columns.recordBytes ?? [])
        return LoadedFile(loaded: loaded, layout: layout, columns: summaries)
    }
}
