import Foundation

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
    /// How the columns were encoded; pass it to `DatasetLoader.load(table:path:options:matching:)`
    /// to encode a validation or test file the same way.
    public var schema: DatasetSchema

    public init(path: String, header: [String], labelColumn: Int, totalRows: Int, dataset: Dataset,
                droppedRows: [Int], notes: [String], schema: DatasetSchema) {
        self.path = path
        self.header = header
        self.labelColumn = labelColumn
        self.totalRows = totalRows
        self.dataset = dataset
        self.droppedRows = droppedRows
        self.notes = notes
        self.schema = schema
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

/// Turns a CSV file into a `Dataset`: picks the label column, applies the missing-value
/// policy, types and encodes the feature columns, and indexes the classes.
///
/// Rules, in the order they apply:
/// - The label is `options.label` (an exact header name, else a name ignoring case, else a
///   1-based column number) or the last column. Labels may be text or numbers; classes are
///   sorted numerically when every label is a number, else as strings, and keep the file's
///   spelling (the first seen).
/// - Missing cells (`""`, `NA`, `NaN`, `?`, `null`) follow `options.missing`. A missing label is
///   never imputed.
/// - A feature column is numeric when more than half of its present cells are finite numbers
///   (any other cell is then an error); otherwise it is text, one-hot encoded over its sorted
///   distinct values when there are at most `options.maxCategories`.
/// - The result needs at least two classes with at least two rows each.
public enum DatasetLoader {
    /// Reads the CSV file at `path` and loads it (see `load(table:path:options:matching:)`),
    /// a block at a time on all cores (`CSVStreamReader`): the file's text is never held, and
    /// no cell becomes a `String` unless it is text.
    ///
    /// - Parameter progress: called as the file is read with the fraction read; returning
    ///   false stops the load (`CancellationError`).
    public static func load(path: String, options: LoadOptions, matching schema: DatasetSchema? = nil,
                            progress: ((Double) -> Bool)? = nil) throws -> LoadedDataset {
        var lookup: Result<Int, Error> = .success(0)
        let columns = try CSVStreamReader.read(path: path, interned: { header in
            lookup = Result { try labelColumn(in: header, path: path, options: options, schema: schema) }
            return (try? lookup.get()).map { [$0] } ?? []
        }, progress: progress.map { report in { fraction, _ in report(fraction) } })
        // As for a table: a bad label column is reported once the whole file has parsed.
        _ = try lookup.get()
        return try load(columns: columns, path: path, options: options, matching: schema)
    }

    /// Loads `table`, read from `path` (which names it in messages).
    ///
    /// With `schema` (from the file being valued, for `--valid FILE` or `--test FILE`) the
    /// table is encoded exactly like that file: its feature columns by name, its one-hot
    /// categories (an unseen value becomes all zeros, with a note), its class order (an unseen
    /// class is an error) and its imputed values. The label column is then the schema's (by
    /// name) and `options.label` and `options.maxCategories` are not used; `options.missing`
    /// still applies. The class-count checks do not apply either: a validation or test file
    /// may hold a single class.
    ///
    /// - Throws: `InputError` naming the file, and the line and column where there is one.
    public static func load(table: CSVTable, path: String, options: LoadOptions,
                            matching schema: DatasetSchema? = nil) throws -> LoadedDataset {
        let label = try labelColumn(in: table.header, path: path, options: options, schema: schema)
        return try load(columns: CSVColumns(table: table, interned: [label]), path: path, options: options, matching: schema)
    }

    /// The label column of `header`: the schema's, `options.label`, or the last.
    static func labelColumn(in header: [String], path: String, options: LoadOptions, schema: DatasetSchema?) throws -> Int {
        if let schema { return try column(schema.labelName, in: header, file: path, allowNumber: false) }
        return try options.label.map { try column($0, in: header, file: path, allowNumber: true) } ?? header.count - 1
    }

    /// The load behind both entry points, on the file's cells by column (the label column
    /// interned).
    static func load(columns parsed: CSVColumns, path: String, options: LoadOptions,
                     matching schema: DatasetSchema?) throws -> LoadedDataset {
        var parsed = parsed
        let header = parsed.header
        let labelColumn = try self.labelColumn(in: header, path: path, options: options, schema: schema)
        let featureColumns = try schema?.columnNames.map { try column($0, in: header, file: path, allowNumber: false) }
            ?? header.indices.filter { $0 != labelColumn }
        guard !featureColumns.isEmpty else {
            throw InputError(file: path, "has no feature columns besides the label \(header[labelColumn])")
        }

        let (kept, dropped) = try applyMissingPolicy(parsed, columns: (featureColumns + [labelColumn]).sorted(),
                                                     labelColumn: labelColumn, policy: options.missing, file: path)
        var notes: [String] = []
        if !dropped.isEmpty {
            let shown = dropped.prefix(10).map(String.init).joined(separator: ", ")
            notes.append("dropped \(rows(dropped.count)) with missing values (data rows \(shown)\(dropped.count > 10 ? ", …" : ""))")
        }

        let encodings = try schema?.encodings ?? featureColumns.map {
            try ColumnEncoder.fit(&parsed, column: $0, rows: kept, maxCategories: options.maxCategories, file: path)
        }
        let columnNames = schema?.columnNames ?? featureColumns.map { header[$0] }
        var features: [FeatureColumn] = []
        var featureNames: [String] = []
        for (k, c) in featureColumns.enumerated() {
            let encoding = encodings[k]
            let name = columnNames[k]
            let (encoded, outcome) = try ColumnEncoder.encode(&parsed, column: c, rows: kept, as: encoding, file: path)
            features += encoded
            featureNames += encoding.featureNames(column: name)
            notes += columnNotes(name: name, encoding: encoding, outcome: outcome, fitted: schema == nil)
        }

        let labelName = schema?.labelName ?? header[labelColumn]
        let label = parsed.columns[labelColumn]
        let ids = kept.map { Int(label.textIDs![$0]) }
        let labels: [Int]
        let classNames: [String]
        if let schema {
            classNames = schema.classNames
            labels = try match(ids, of: parsed, rows: kept, labelColumn: labelColumn, classNames: classNames, file: path)
        } else {
            (labels, classNames) = classes(of: ids, texts: label.texts)
        }

        let dataset = Dataset(featureNames: featureNames, columns: FeatureColumns(rows: kept.count, columns: features),
                              labels: labels, classNames: classNames, sourceRows: kept.map { $0 + 1 })
        if schema == nil {
            try checkClasses(dataset, labelColumn: labelColumn, labelName: labelName, file: path)
        }
        return LoadedDataset(path: path, header: header, labelColumn: labelColumn, totalRows: parsed.rows,
                             dataset: dataset, droppedRows: dropped, notes: notes,
                             schema: DatasetSchema(columnNames: columnNames, encodings: encodings,
                                                   labelName: labelName, classNames: classNames))
    }

    /// The index of the column `name`: an exact header name, else a header name ignoring case,
    /// else (when `allowNumber`) a 1-based column number.
    static func column(_ name: String, in header: [String], file: String, allowNumber: Bool) throws -> Int {
        if let exact = header.firstIndex(of: name) { return exact }
        let lowered = name.lowercased()
        let caseless = header.indices.filter { header[$0].lowercased() == lowered }
        if caseless.count == 1 { return caseless[0] }
        if caseless.count > 1 {
            throw InputError(file: file, "column name \"\(name)\" matches \(caseless.map { "\"\(header[$0])\"" }.joined(separator: ", ")) "
                             + "when case is ignored; give the exact name")
        }
        let list = header.joined(separator: ", ")
        if allowNumber, let number = Int(name) {
            guard (1...header.count).contains(number) else {
                throw InputError(file: file, "has no column \(number): it has \(header.count) columns (\(list))")
            }
            return number - 1
        }
        throw InputError(file: file, "has no column \"\(name)\" (columns: \(list))")
    }

    /// Applies `policy` to the cells of `columns` (sorted indices, the label's included).
    ///
    /// - Returns: the rows kept (0-based) and the 1-based data-row numbers of those dropped.
    static func applyMissingPolicy(_ parsed: CSVColumns, columns: [Int], labelColumn: Int, policy: MissingPolicy,
                                   file: String) throws -> (kept: [Int], dropped: [Int]) {
        let n = parsed.rows
        switch policy {
        case .drop:
            var missing = [Bool](repeating: false, count: n)
            for c in columns {
                let column = parsed.columns[c]
                for r in 0..<n where !missing[r] && column.isMissing(r) { missing[r] = true }
            }
            let kept = (0..<n).filter { !missing[$0] }
            guard !kept.isEmpty else {
                throw InputError(file: file, "no rows left after dropping the \(rows(n)) with missing values")
            }
            return (kept, (0..<n).filter { missing[$0] }.map { $0 + 1 })
        case .error, .impute:
            // The first missing cell in file order: the earliest row, then the leftmost column.
            var first: (row: Int, column: Int)?
            for c in columns where policy == .error || c == labelColumn {
                let column = parsed.columns[c]
                let limit = first?.row ?? n
                if let r = (0..<limit).first(where: column.isMissing) { first = (r, c) }
            }
            if let (r, c) = first {
                throw InputError(file: file, line: Int(parsed.lines[r]), column: c + 1, columnName: parsed.header[c],
                                 c == labelColumn ? .missingLabel(imputing: policy == .impute) : .missingValue)
            }
            return (Array(0..<n), [])
        }
    }

    /// The notes about one encoded column: its one-hot encoding (when it was fitted on this
    /// file), its imputed cells and its unseen categories.
    static func columnNotes(name: String, encoding: DatasetSchema.ColumnEncoding,
                            outcome: ColumnEncoder.Outcome, fitted: Bool) -> [String] {
        var notes: [String] = []
        switch encoding {
        case .numeric(let fill):
            if outcome.imputed > 0 {
                notes.append("column \(name): \(values(outcome.imputed)) imputed with the mean \(String(format: "%g", fill))")
            }
        case .oneHot(let categories, let fill):
            if fitted { notes.append("column \(name): \(categories.count) text values, one-hot encoded") }
            if outcome.imputed > 0 {
                notes.append("column \(name): \(values(outcome.imputed)) imputed with the most frequent value \(ColumnEncoder.quoted(fill))")
            }
        }
        if !outcome.unseen.isEmpty {
            let count = outcome.unseen.values.reduce(0, +)
            let shown = outcome.unseen.keys.sorted().prefix(5).map(ColumnEncoder.quoted).joined(separator: ", ")
            notes.append("column \(name): \(rows(count)) with values the valued file does not have (\(shown)"
                         + "\(outcome.unseen.count > 5 ? ", …" : "")), encoded as all zeros")
        }
        return notes
    }

    /// Class indices of the labels `ids` (numbers of the label column's `texts`) and the class
    /// names: numbers sorted by value when every label is a number, else texts sorted as
    /// strings; a class is named by its first spelling.
    static func classes(of ids: [Int], texts: TextInterner) -> (labels: [Int], classNames: [String]) {
        let names = texts.texts
        let numbers = names.map(ColumnEncoder.number)
        var used = [Bool](repeating: false, count: names.count)
        for id in ids { used[id] = true }
        if names.indices.allSatisfy({ !used[$0] || numbers[$0] != nil }) {
            var spelling: [Double: String] = [:]
            for id in ids where spelling[numbers[id]!] == nil { spelling[numbers[id]!] = names[id] }
            let values = spelling.keys.sorted()
            let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
            let classOf = names.indices.map { used[$0] ? index[numbers[$0]!, default: 0] : 0 }
            return (ids.map { classOf[$0] }, values.map { spelling[$0, default: ""] })
        }
        let sorted = Set(names.indices.filter { used[$0] }.map { names[$0] }).sorted()
        let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        let classOf = names.map { index[$0, default: 0] }
        return (ids.map { classOf[$0] }, sorted)
    }

    /// Class indices of the labels `ids` of `rows` in the classes `classNames` of another file:
    /// by value when every class name is a number, else by exact text.
    static func match(_ ids: [Int], of parsed: CSVColumns, rows: [Int], labelColumn: Int, classNames: [String],
                      file: String) throws -> [Int] {
        let names = parsed.columns[labelColumn].texts.texts
        let values = classNames.compactMap(ColumnEncoder.number)
        let byValue = values.count == classNames.count
            ? Dictionary(values.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) : [:]
        let byName = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let classOf = names.map { name in byValue.isEmpty ? byName[name] : ColumnEncoder.number(name).flatMap { byValue[$0] } }
        return try zip(ids, rows).map { id, r in
            guard let k = classOf[id] else {
                throw InputError(file: file, line: Int(parsed.lines[r]), column: labelColumn + 1,
                                 columnName: parsed.header[labelColumn],
                                 "\(ColumnEncoder.quoted(names[id])) is not a class of the valued file (classes: \(classNames.joined(separator: ", ")))")
            }
            return k
        }
    }

    /// Valuation splits every class into valued and held-out rows: it needs two classes and
    /// two rows in each.
    static func checkClasses(_ dataset: Dataset, labelColumn: Int, labelName: String, file: String) throws {
        guard dataset.classCount >= 2 else {
            throw InputError(file: file, column: labelColumn + 1, columnName: labelName,
                             "has only one class (\(ColumnEncoder.quoted(dataset.classNames.first ?? ""))); valuation needs at least 2 classes")
        }
        if let single = dataset.classCounts.firstIndex(of: 1) {
            throw InputError(file: file, column: labelColumn + 1, columnName: labelName,
                             "class \(ColumnEncoder.quoted(dataset.classNames[single])) has only 1 row; it needs at least 2 rows to split")
        }
    }

    /// "1 row", "3 rows".
    static func rows(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }

    /// "1 missing value", "3 missing values".
    static func values(_ count: Int) -> String { count == 1 ? "1 missing value" : "\(count) missing values" }
}
