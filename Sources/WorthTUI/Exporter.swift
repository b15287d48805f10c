import Foundation
import WorthEngine

/// Writes a run's results for the user: the values of every row, the flagged rows with their
/// original lines, and the file without the flagged rows. Every file is written atomically.
struct Exporter {
    let file: OpenFile
    let run: RunModel
    let flags: Set<Int>

    /// Writes `<prefix>-values.csv`, `<prefix>-flagged.csv` and `<prefix>-cleaned.csv`;
    /// returns the paths written.
    func write(prefix: String) throws -> [String] {
        let paths = ["values", "flagged", "cleaned"].map { "\(prefix)-\($0).csv" }
        try writeAtomically(valuesCSV(), to: paths[0])
        try writeAtomically(rowsCSV(keeping: { flags.contains($0) }), to: paths[1])
        try writeAtomically(rowsCSV(keeping: { !flags.contains($0) }), to: paths[2])
        return paths
    }

    /// One line per data row of the file: `row,label,value,stderr,rank,held_out,flagged`, then
    /// the method's extra columns. Held-out rows have no value; rank 1 is the lowest value.
    func valuesCSV() -> String {
        let e = run.experiment
        let estimate = run.latest?.estimate
        let extras = estimate?.extraColumns ?? []
        var out = (["row", "label", "value", "stderr", "rank", "held_out", "flagged"] + extras.map(\.name)).joined(separator: ",") + "\n"
        let labelColumn = file.loaded.labelColumn
        for (k, role) in e.roles.enumerated() {
            let row = k + 1
            let label = file.records.indices.contains(k) && file.records[k].indices.contains(labelColumn) ? file.records[k][labelColumn] : ""
            var fields = [String(row), csvField(label)]
            if case .valued(let i) = role, let estimate {
                let v = estimate.values[i]
                fields += [v.isNaN ? "" : "\(v)",
                           estimate.standardErrors.map { $0[i].isFinite ? "\($0[i])" : "" } ?? "",
                           run.table.ranks[i] == 0 ? "" : String(run.table.ranks[i]), ""]
                fields.append(flags.contains(row) ? "1" : "0")
                fields += extras.map { $0.values[i].isFinite ? "\($0.values[i])" : "" }
            } else {
                fields += ["", "", "", role.heldOutText, flags.contains(row) ? "1" : "0"]
                fields += extras.map { _ in "" }
            }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The header and the original lines of the data rows for which `keep` holds.
    func rowsCSV(keeping keep: (Int) -> Bool) -> String {
        var out = file.source.headerLines.map { $0 + "\n" }.joined()
        for row in 1...max(1, file.source.rowStarts.count) where row <= file.source.rowStarts.count && keep(row) {
            for line in file.source.lines(ofDataRow: row) { out += line + "\n" }
        }
        return out
    }

    private func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
