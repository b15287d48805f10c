import Foundation
import Testing
@testable import WorthEngine

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
