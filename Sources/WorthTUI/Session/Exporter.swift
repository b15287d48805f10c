import Foundation
import WorthEngine

/// Writes a run's results and the person's decisions for the user: the values of every row,
/// the flagged rows with their original lines, the file without the flagged rows, the
/// corrected file (relabels applied, flagged rows dropped) and the list of changes with every
/// run's values. Every file is written atomically.
struct Exporter {
    let file: OpenFile
    let run: Run
    /// Every run of the file, whose values the changes file lists.
    let runs: [Run]
    let marks: Marks

    var flags: Set<Int> { marks.flags }

    /// The files written, in order: values, flagged, cleaned, corrected, changes.
    static let kinds = ["values", "flagged", "cleaned", "corrected", "changes"]

    /// Writes `<prefix>-values.csv`, `-flagged.csv`, `-cleaned.csv`, `-corrected.csv` and
    /// `-changes.csv`; returns the paths written.
    func write(prefix: String) throws -> [String] {
        let paths = Self.kinds.map { "\(prefix)-\($0).csv" }
        try AtomicFile.write(valuesCSV(), to: paths[0])
        try AtomicFile.write(rowsCSV(keeping: { flags.contains($0) }), to: paths[1])
        try AtomicFile.write(rowsCSV(keeping: { !flags.contains($0) }), to: paths[2])
        try AtomicFile.write(correctedCSV(), to: paths[3])
        try AtomicFile.write(changesCSV(), to: paths[4])
        return paths
    }

    /// The engine's values table (as `worth value` writes it: `row,label,value,stderr,rank,
    /// held_out`, flip and method columns) with a `flagged` column (1 or 0) appended.
    func valuesCSV() -> String {
        let estimate = run.latest?.estimate ?? ValuationEstimate(values: Array(repeating: .nan, count: run.experiment.problem.count))
        let lines = ResultTable(experiment: run.experiment, estimate: estimate).csv().split(separator: "\n")
        var out = lines.first.map { $0 + ",flagged\n" } ?? ""
        for (k, line) in lines.dropFirst().enumerated() { out += line + (flags.contains(k + 1) ? ",1\n" : ",0\n") }
        return out
    }

    /// The header and the data records for which `keep` holds, each exactly as in the file.
    func rowsCSV(keeping keep: (Int) -> Bool) -> Data {
        let source = file.source
        var out = Data(source.headerWithLineEnd)
        for k in 0..<source.recordCount where keep(k + 1) { out.append(contentsOf: source.dataRow(k + 1)) }
        return out
    }

    /// The file as the person corrected it: flagged rows dropped, relabeled rows with their new
    /// label in the label field, every other byte as in the file.
    func correctedCSV() -> Data {
        let source = file.source, column = file.loaded.labelColumn
        var out = Data(source.headerWithLineEnd)
        for row in 1...max(1, source.recordCount) where row <= source.recordCount && !flags.contains(row) {
            if let label = marks.relabels[row] {
                out.append(contentsOf: source.dataRow(row, replacingField: column, with: label))
            } else {
                out.append(contentsOf: source.dataRow(row))
            }
        }
        return out
    }

    /// One line per changed row: `row,old_label,new_label` (the new label, or `dropped` for a
    /// flagged row) and each run's value of the row (empty where a run does not value it).
    func changesCSV() -> String {
        let column = file.loaded.labelColumn
        var header = ["row", "old_label", "new_label"]
        var counts: [String: Int] = [:]
        for r in runs {
            counts[r.methodTitle, default: 0] += 1
            let n = counts[r.methodTitle]!
            header.append(CSVText.field("value_" + r.methodTitle + (n > 1 ? "_\(n)" : ""), delimiter: ","))
        }
        var out = header.joined(separator: ",") + "\n"
        for row in flags.union(marks.relabels.keys).sorted() {
            let record = file.records.indices.contains(row - 1) ? file.records[row - 1] : []
            let old = record.indices.contains(column) ? record[column] : ""
            var fields = [String(row), CSVText.field(old, delimiter: ","),
                          CSVText.field(flags.contains(row) ? "dropped" : marks.relabels[row] ?? "", delimiter: ",")]
            for r in runs {
                let v = r.table.index(ofSourceRow: row).map { r.table.values[$0] } ?? .nan
                fields.append(v.isNaN ? "" : "\(v)")
            }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }
}
