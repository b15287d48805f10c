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
        // The rows are read back from the data file, which must not have changed since it was
        // opened: a changed file writes nothing.
        try file.source.checkUnchanged()
        let changes = try changesCSV()
        try AtomicFile.write(valuesCSV(), to: paths[0])
        try writeRows(keeping: { flags.contains($0) }, to: paths[1])
        try writeRows(keeping: { !flags.contains($0) }, to: paths[2])
        try writeRows(keeping: { !flags.contains($0) }, relabeled: true, to: paths[3])
        try AtomicFile.write(changes, to: paths[4])
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

    /// Writes the header and the data records for which `keep` holds, each exactly as in the
    /// file (read from it, a block at a time: it must not have changed since it was opened);
    /// with `relabeled`, relabeled rows get their new label in the label field (every other
    /// byte as in the file): the file as the person corrected it.
    func writeRows(keeping keep: @escaping (Int) -> Bool, relabeled: Bool = false, to path: String) throws {
        let source = file.source, column = file.loaded.labelColumn
        try AtomicFile.write(to: path) { emit in
            var out = Array(source.headerWithLineEnd)
            out.reserveCapacity(1 << 20)
            func flush() throws {
                try out.withUnsafeBytes { try emit($0) }
                out.removeAll(keepingCapacity: true)
            }
            try source.forEachRow((1...max(1, source.recordCount)).lazy.filter(keep)) { row, line in
                if relabeled, let label = marks.relabels[row] {
                    out += source.replacingField(column, in: line, with: label)
                } else {
                    out += line
                }
                if out.count >= 1 << 20 { try flush() }
            }
            try flush()
        }
    }

    /// One line per changed row: `row,old_label,new_label` (the new label, or `dropped` for a
    /// flagged row) and each run's value of the row (empty where a run does not value it).
    func changesCSV() throws -> String {
        var header = ["row", "old_label", "new_label"]
        var counts: [String: Int] = [:]
        for r in runs {
            counts[r.methodTitle, default: 0] += 1
            let n = counts[r.methodTitle]!
            header.append(CSVText.field("value_" + r.methodTitle + (n > 1 ? "_\(n)" : ""), delimiter: ","))
        }
        var out = header.joined(separator: ",") + "\n"
        let changed = flags.union(marks.relabels.keys).sorted()
        var old: [Int: String] = [:]
        let column = file.loaded.labelColumn, delimiter = file.source.delimiter
        try file.source.forEachRow(changed) { row, line in
            let cells = CSVReader.fields(ofRecord: line.prefix(file.source.records[row - 1].count), delimiter: delimiter)
            old[row] = cells.indices.contains(column) ? cells[column] : ""
        }
        for row in changed {
            var fields = [String(row), CSVText.field(old[row] ?? "", delimiter: ","),
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
