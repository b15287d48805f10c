import WorthEngine

extension WorkbenchServices {
    /// The real thing: files read with the engine's CSV reader and loader, every method of
    /// the catalog.
    public static let engine = WorkbenchServices(
        preview: { path in
            let table = try CSVReader.read(path: path)
            return TablePreview(path: path, header: table.header, rows: Array(table.records.prefix(30)), rowCount: table.records.count)
        },
        open: { path, labelColumn in
            let table = try CSVReader.read(path: path)
            let loaded = try DatasetLoader.load(table: table, path: path, options: LoadOptions(label: String(labelColumn + 1)))
            return OpenFile(path: path, header: table.header, records: table.records, loaded: loaded,
                            source: try SourceText(path: path, recordLines: table.lineNumbers),
                            columns: ColumnSummary.summarize(table, labelColumn: labelColumn))
        },
        methods: MethodCatalog.all)
}
