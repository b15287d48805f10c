import Foundation
import WorthEngine

/// `worth describe FILE`: the Dataset screen's facts, headless: rows, columns, each column's
/// kind, missing cells and range or most frequent values, the classes, and the rows that
/// `--missing drop` would leave out or `--missing impute` would fill.
enum DescribeCommand {
    /// How the description is written (`--format table|json`).
    enum Format: String, FormatChoice {
        case table
        case json

        static let option = OptionSpec(name: "format", valueName: "table|json", help: "a table for people (default) or one JSON object")
        static let fallback = Format.table
    }

    static let options = [ValuationOptions.label, Format.option, OptionSpec.help]

    static var help: String {
        Help.command("describe", usage: "worth describe FILE [--label L] [--format table|json]",
                     abstract: """
                         What a CSV file holds, as `worth value` would load it: rows and columns, each
                         column's kind (numeric, text one-hot encoded, or the label), missing cells,
                         min/mean/max or most frequent values, the classes, and the rows a missing-value
                         policy would drop or impute. Reads the file as the loader does (in parallel,
                         a block at a time), so it also times the load.
                         """,
                     options: options,
                     examples: """
                         worth describe Samples/penguins_raw.csv
                         worth describe data.csv --label species --format json
                         """,
                     extra: """
                         Row numbers are data rows counted from 1 (the header is not a data row), as in
                         the values `worth value` writes. In JSON, a statistic a column does not have
                         (min of a text column) is left out.
                         """)
    }

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: options)
        if arguments.has("help") {
            print(help)
            return 0
        }
        guard arguments.positionals.count == 1 else {
            throw InputError(arguments.positionals.isEmpty ? "describe: no data file given (see worth describe --help)"
                : "describe: one data file expected, got \(arguments.positionals.count): \(arguments.positionals.joined(separator: " "))")
        }
        let format = try Format(arguments)
        let start = Date()
        let description = try DatasetDescription.describe(path: arguments.positionals[0],
                                                          label: arguments.value(ValuationOptions.label.name))
        let seconds = Date().timeIntervalSince(start)
        switch format {
        case .table: print(table(description, seconds: seconds))
        case .json: print(try json(description, seconds: seconds))
        }
        return 0
    }

    /// Up to 10 row numbers, then "…".
    static func someRows(_ rows: [Int]) -> String {
        rows.prefix(10).map(String.init).joined(separator: ", ") + (rows.count > 10 ? ", …" : "")
    }

    static func number(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }

    static func table(_ d: DatasetDescription, seconds: Double) -> String {
        let label = d.columns[d.labelColumn].name
        var lines = ["\(d.path): \(d.rows) rows, \(d.columns.count) columns; label \(label) "
                     + "(\(d.classCounts.count) classes); read in \(String(format: "%.2f", seconds)) s".escapingControlCharacters]
        var columns = TextTable(["column", "kind", "missing", "min", "mean", "max", "distinct", "most frequent"])
        columns.rightAligned[1] = false
        columns.rightAligned[7] = false
        for c in d.columns {
            let top = c.topValues.map { "\($0.value) (\($0.count))" }.joined(separator: ", ")
            let kind = c.kind == .numeric && c.nonNumeric > 0 ? "numeric, \(c.nonNumeric) not numbers" : c.kind.rawValue
            columns.add([c.name, kind, "\(c.missing)", number(c.minimum), number(c.mean), number(c.maximum), "\(c.distinct)", top])
        }
        lines.append(columns.render())
        lines.append(("classes: " + d.classCounts.map { "\($0.value) \($0.count)" }.joined(separator: ", ")).escapingControlCharacters)
        if d.rowsWithMissing.isEmpty {
            lines.append("missing cells: none")
        } else {
            lines.append("--missing drop would leave out \(d.rowsWithMissing.count) rows (data rows \(someRows(d.rowsWithMissing)))")
            var impute = "--missing impute would fill \(d.imputedCells) cells"
            if !d.rowsWithMissingLabel.isEmpty {
                impute += "; \(d.rowsWithMissingLabel.count) rows have no label (data rows \(someRows(d.rowsWithMissingLabel))), which only --missing drop accepts"
            }
            lines.append(impute)
        }
        return lines.joined(separator: "\n")
    }

    struct Report: Encodable {
        struct Column: Encodable {
            var name: String
            var kind: String
            var present: Int
            var missing: Int
            var non_numeric: Int
            var min: Double?
            var mean: Double?
            var max: Double?
            var distinct: Int
            var most_frequent: [Count]
        }
        struct Count: Encodable {
            var value: String
            var count: Int
        }
        var file: String
        var rows: Int
        var label: String
        var seconds: Double
        var columns: [Column]
        var classes: [Count]
        var rows_with_missing: [Int]
        var rows_with_missing_label: [Int]
        var imputed_cells: Int
    }

    /// `x` written as the file wrote it when it is a 32-bit float (the loader keeps a file's
    /// numbers so): 59.6, not 59.599998474121094.
    static func asWritten(_ x: Double?) -> Double? {
        guard let x, let f = Float(exactly: x) else { return x }
        return Double("\(f)") ?? x
    }

    static func json(_ d: DatasetDescription, seconds: Double) throws -> String {
        let count = { (v: ColumnSummary.ValueCount) in Report.Count(value: v.value, count: v.count) }
        let report = Report(
            file: d.path, rows: d.rows, label: d.columns[d.labelColumn].name, seconds: (seconds * 1000).rounded() / 1000,
            columns: d.columns.map {
                Report.Column(name: $0.name, kind: $0.kind.rawValue, present: $0.present, missing: $0.missing,
                              non_numeric: $0.nonNumeric, min: asWritten($0.minimum), mean: $0.mean, max: asWritten($0.maximum),
                              distinct: $0.distinct, most_frequent: $0.topValues.map(count))
            },
            classes: d.classCounts.map(count), rows_with_missing: d.rowsWithMissing,
            rows_with_missing_label: d.rowsWithMissingLabel, imputed_cells: d.imputedCells)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
