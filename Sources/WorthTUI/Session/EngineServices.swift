import Foundation
import WorthEngine

extension WorkbenchServices {
    /// The real thing: files read with the engine's CSV reader and loader, every method of
    /// the catalog.
    static let engine = WorkbenchServices(preview: preview(path:), open: open(path:labelColumn:missing:progress:),
                                          methods: MethodCatalog.all)

    /// Rows the label picker shows.
    static let previewRows = 30

    /// The header and first rows of `path`, read from the start of the file only; the row
    /// count is exact for a file that short, else estimated from the bytes the rows take.
    static func preview(path: String) throws -> TablePreview {
        let head = try CSVReader.head(path: path, records: previewRows)
        let table = head.table
        let count: TablePreview.RowCount
        if head.isWholeFile {
            count = .exact(table.records.count)
        } else {
            let first = table.recordBytes.first?.lowerBound ?? 0
            let perRow = Double(head.bytesRead - first) / Double(max(1, table.records.count))
            count = .about(max(table.records.count, Int((Double(head.fileSize - first) / max(1, perRow)).rounded())))
        }
        return TablePreview(path: path, header: table.header, rows: table.records, rowCount: count)
    }

    /// Loads `path` with the engine's streaming loader (a block at a time on all cores, no
    /// `String` per cell), keeping where each record lies for the views, then fingerprints it.
    /// A file that changes while it is read (its size or modification time moves) is refused
    /// rather than cut at the wrong places.
    static func open(path: String, labelColumn: Int, missing: MissingPolicy,
                     progress: @escaping @Sendable (LoadStatus) -> Bool) throws -> OpenFile {
        let before = FileStamp(path: path)
        let options = LoadOptions(label: String(labelColumn + 1), missing: missing)
        let file = try DatasetLoader.loadFile(path: path, options: options, progress: {
            progress(LoadStatus(stage: $0.fraction < 1 ? .reading : .summarizing, fraction: $0.fraction, rows: $0.rows))
        })
        let rows = file.loaded.totalRows
        let fingerprint = try Fingerprint.ofFile(path) { progress(LoadStatus(stage: .fingerprinting, fraction: 1, rows: rows)) }
        guard let before, let after = FileStamp(path: path), before == after,
              (file.layout.recordBytes.last?.upperBound ?? 0) <= after.size else {
            throw InputError(file: path, "changed while it was being read; open it again")
        }
        let source = try SourceText(path: path, stamp: after, layout: file.layout, fingerprint: fingerprint)
        return OpenFile(path: path, header: file.loaded.header, loaded: file.loaded, source: source, columns: file.columns)
    }
}
