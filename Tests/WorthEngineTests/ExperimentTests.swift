import Foundation
import Testing
@testable import WorthEngine

/// A small dataset with a missing cell, text labels with a comma, and enough rows per class.
func loadFixture(missing: MissingPolicy = .drop) throws -> LoadedDataset {
    var text = "a,b,label\n"
    for i in 0..<30 {
        let label = i % 3 == 0 ? "\"x, y\"" : (i % 3 == 1 ? "z" : "w")
        text += i == 4 ? "\(i),NA,\(label)\n" : "\(i),\(Double(i % 7) * 0.5),\(label)\n"
    }
    return try DatasetLoader.load(table: CSVReader.parse(text, file: "f.csv"), path: "f.csv",
                                  options: LoadOptions(missing: missing))
}

@Suite struct ExperimentTests {
    @Test func everyFileRowHasExactlyOneRole() throws {
        let loaded = try loadFixture()
        let e = try Experiment(source: loaded, options: ExperimentOptions(validationFraction: 0.2, testFraction: 0.2, seed: 1), for: nil)
        #expect(e.roles.count == 30)
        #expect(e.roles[4] == .dropped)
        let valued = e.roles.compactMap { if case .valued(let k) = $0 { k } else { nil } }
        #expect(valued.sorted() == Array(0..<e.problem.count))
        #expect(e.roles.filter { $0 == .validation }.count == e.problem.validationLabels.count)
        #expect(e.roles.filter { $0 == .test }.count == e.testLabels.count)
        for k in 0..<e.problem.count { #expect(e.roles[e.sourceRow(ofValued: k) - 1] == .valued(k)) }
        for (t, row) in e.validationSourceRows.enumerated() {
            #expect(e.roles[row - 1] == .validation)
            #expect(loaded.dataset.labels[loaded.dataset.sourceRows.firstIndex(of: row)!] == e.problem.validationLabels[t])
        }
    }

    @Test func standardisesWithTheValuedRowsOnly() throws {
        let e = try Experiment(source: try loadFixture(), options: ExperimentOptions(validationFraction: 0.3, seed: 2), for: nil)
        for j in 0..<e.problem.train.columns {
            let column = (0..<e.problem.count).map { e.problem.train[$0, j] }
            #expect(abs(column.reduce(0, +) / Double(column.count)) < 1e-12)
        }
    }

    @Test func flipsAreRecordedAgainstTheOriginalLabels() throws {
        let e = try Experiment(source: try loadFixture(), options: ExperimentOptions(flipFraction: 0.25, seed: 3), for: nil)
        #expect(!e.flippedRows.isEmpty)
        for k in 0..<e.problem.count {
            #expect((e.problem.trainLabels[k] != e.originalLabels[k]) == e.flipped[k])
        }
    }

    @Test func rejectsFractionsThatLeaveNothing() throws {
        #expect(throws: InputError.self) {
            try Experiment(source: try loadFixture(), options: ExperimentOptions(validationFraction: 0.6, testFraction: 0.5), for: nil)
        }
    }
}

@Suite struct ResultTableTests {
    @Test func csvHasOneLinePerFileRowWithValuesRanksAndReasons() throws {
        let e = try Experiment(source: try loadFixture(), options: ExperimentOptions(validationFraction: 0.2, flipFraction: 0.2, seed: 4), for: nil)
        var values = (0..<e.problem.count).map { Double($0) / 10 }
        values[0] = .nan
        let estimate = ValuationEstimate(values: values, standardErrors: values.map { _ in 0.5 },
                                         extraColumns: [ExtraColumn(name: "count", values: values.map { _ in 3 })])
        let table = ResultTable(experiment: e, estimate: estimate)
        let csv = try CSVReader.parse(table.csv(), file: "out.csv")
        #expect(csv.header == ["row", "label", "value", "stderr", "rank", "held_out", "noisy_label", "flipped", "count"])
        #expect(csv.records.count == 30)
        #expect(csv.records.map { Int($0[0])! } == Array(1...30))
        #expect(csv.records[4][5] == "missing")
        #expect(csv.records[0][1] == "x, y")   // quoted on write, read back whole
        for k in 0..<e.problem.count {
            let r = csv.records[e.sourceRow(ofValued: k) - 1]
            #expect(r[5] == "")
            if k == 0 {
                #expect(r[2] == "" && r[4] == "")   // no value: no number, no rank
            } else {
                #expect(Double(r[2]) == values[k])
                #expect(Int(r[4]) == k)             // values ascend with k, NaN unranked
                #expect(r[8] == "3")
            }
            #expect(r[7] == (e.flipped[k] ? "true" : "false"))
        }
        for r in csv.records where r[5] == "validation" { #expect(r[2] == "" && r[4] == "") }
    }

    @Test func jsonCarriesTheRunAndNullsForMissingValues() throws {
        let e = try Experiment(source: try loadFixture(), options: ExperimentOptions(seed: 5), for: nil)
        let table = ResultTable(experiment: e, estimate: ValuationEstimate(values: Array(repeating: 0.25, count: e.problem.count)))
        let text = try table.json(method: "data-oob", parameters: [("trees", "10")], seed: 5, stop: .completed)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(object["method"] as? String == "data-oob")
        #expect((object["parameters"] as? [String: String])?["trees"] == "10")
        let rows = object["rows"] as! [[String: Any]]
        #expect(rows.count == 30)
        #expect(rows[4]["value"] is NSNull)
        #expect(rows.contains { ($0["value"] as? Double) == 0.25 })
    }
}
