import Foundation
import Testing
@testable import WorthEngine

@Suite struct SyntheticClassificationTests {
    @Test func theCSVTextParsesBackToTheSameRows() throws {
        let data = SyntheticClassification(features: 7, classes: 3, separation: 2, flipFraction: 0.2, seed: 4)
        let (x, labels, _) = data.make(rows: 0..<200, noisy: true)
        var text = Array(data.csvHeader.utf8)
        data.appendCSV(rows: 0..<200, noisy: true, to: &text)
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 201 && lines[0] == "x0,x1,x2,x3,x4,x5,x6,label")
        for r in 0..<200 {
            let cells = lines[r + 1].split(separator: ",")
            #expect(cells.count == 8)
            for j in 0..<7 { #expect(try #require(Double(cells[j])).bitPattern == x[r, j].bitPattern) }
            #expect(Int(cells[7]) == labels[r])
        }
    }

    @Test func rowsDependOnTheirIndexAloneAndCarryTheirClass() {
        let data = SyntheticClassification(features: 5, separation: 3, flipFraction: 0.25, seed: 9)
        let all = data.make(rows: 0..<2000, noisy: true)
        let part = data.make(rows: 1500..<2000, noisy: true)
        #expect(part.x.storage == Array(all.x.storage[(1500 * 5)...]))
        #expect(part.labels == Array(all.labels[1500...]))
        // Clean rows: class means differ by 0 or 2 × separation on the first three features
        // (centroid signs are random), by about 0 on the other two.
        let clean = data.make(rows: 0..<2000, noisy: false)
        #expect(clean.flipped.allSatisfy { !$0 })
        func mean(_ j: Int, _ c: Int) -> Double {
            let rows = (0..<2000).filter { clean.labels[$0] == c }
            return rows.map { clean.x[$0, j] }.reduce(0, +) / Double(rows.count)
        }
        let gaps = (0..<5).map { abs(mean($0, 0) - mean($0, 1)) }
        #expect(gaps[0..<3].allSatisfy { $0 < 0.2 || abs($0 - 6) < 0.2 } && gaps[0..<3].contains { abs($0 - 6) < 0.2 })
        #expect(gaps[3..<5].allSatisfy { $0 < 0.2 })
        // Noisy rows: about a quarter flipped, each to another class, and only those changed.
        let flips = all.flipped.filter { $0 }.count
        #expect(flips > 400 && flips < 600)
        #expect((0..<2000).allSatisfy { all.flipped[$0] == (all.labels[$0] != clean.labels[$0]) })
        #expect(all.x.storage == clean.x.storage)
        // Every value has at most four decimals.
        #expect(all.x.storage.allSatisfy { ($0 * 10_000).rounded() / 10_000 == $0 })
    }
}
