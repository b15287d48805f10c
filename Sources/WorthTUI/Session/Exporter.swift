import Foundation
import WorthEngine

/// Writes a run's results for the user: the values of every row, the flagged rows with their
/// original lines, and the file without the flagged rows. Every file is written atomically.
struct Exporter {
    let file: OpenFile
    let run: Run
    let flags: Set<Int>

    /// Writes `<prefix>-values.csv`, `<prefix>-flagged.csv` and `<prefix>-cleaned.csv`;
    /// returns the paths written.
    func write(prefix: String) throws -> [String] {
        let paths = ["values", "flagged", "cleaned"].map { "\(prefix)-\($0).csv" }
        try AtomicFile.write(valuesCSV(), to: paths[0])
        try AtomicFile.write(rowsCSV(keeping: { flags.contains($0) }), to: paths[1])
        try AtomicFile.write(rowsCSV(keeping: { !flags.contains($0) }), to: paths[2])
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
}
