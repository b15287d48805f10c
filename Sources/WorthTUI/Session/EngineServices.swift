import Foundation
import WorthEngine

extension WorkbenchServices {
    /// The real thing: files read with the engine's CSV reader and loader, every method of
    /// the catalog.
    static let engine = WorkbenchServices(
        preview: { path in
            let table = try CSVReader.read(path: path)
            return TablePreview(path: path, header: table.header, rows: Array(table.records.prefix(30)), rowCount: table.records.count)
        },
        open: { path, labelColumn, missing in
            let (table, source) = try readWithSource(path)
            let loaded = try DatasetLoader.load(table: table, path: path,
                                                options: LoadOptions(label: String(labelColumn + 1), missing: missing))
            // The columns as loaded: rows dropped for missing cells count nowhere.
            var kept = table
            if !loaded.droppedRows.isEmpty {
                let dropped = Set(loaded.droppedRows)
                let rows = table.records.indices.filter { !dropped.contains($0 + 1) }
                kept.records = rows.map { table.records[$0] }
                kept.lineNumbers = rows.map { table.lineNumbers[$0] }
                kept.recordBytes = rows.map { table.recordBytes[$0] }
            }
            return OpenFile(path: path, header: table.header, records: table.records, loaded: loaded, source: source,
                            columns: ColumnSummary.summarize(kept, labelColumn: labelColumn))
        },
        methods: MethodCatalog.all)

    /// Reads `path` with the engine's CSV reader and keeps the bytes it parsed, for exports
    /// that copy records at the reader's own boundaries. A file that changes while it is read
    /// (its size or modification time moves) is refused rather than cut at the wrong places.
    static func readWithSource(_ path: String) throws -> (CSVTable, SourceText) {
        func stamp() -> (Int, Int, Int)? {
            var s = stat()
            guard stat(path, &s) == 0 else { return nil }
            return (Int(s.st_size), s.st_mtim.tv_sec, s.st_mtim.tv_nsec)
        }
        let before = stamp()
        let table = try CSVReader.read(path: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read (check its permissions)")
        }
        let bytes = [UInt8](data)
        guard let before, let after = stamp(), before == after, before.0 == bytes.count,
              (table.recordBytes.last?.upperBound ?? 0) <= bytes.count else {
            throw InputError(file: path, "changed while it was being read; open it again")
        }
        return (table, SourceText(bytes: bytes, table: table))
    }
}
