import Testing
@testable import WorthEngine

@Suite struct NearestRowsTests {
    static func column(_ v: [Double]) -> Matrix { Matrix(rows: v.count, columns: 1, storage: v) }

    @Test func nearestFirstItselfLeftOut() {
        let n = NearestRows(features: Self.column([0, 1, 3, 4, 10]), standardize: false)
        #expect(n.neighbors(of: 1, k: 2) == [.init(row: 0, distance: 1), .init(row: 2, distance: 2)])
        #expect(n.neighbors(of: 4, k: 10).map(\.row) == [3, 2, 1, 0])   // every other row, no more
        #expect(n.neighbors(of: 4, k: 0).isEmpty)
        #expect(NearestRows(features: Self.column([5])).neighbors(of: 0).isEmpty)
    }

    /// Equal distances: the lower row first, whichever side it is on.
    @Test func tiesGoToTheLowerRow() {
        let n = NearestRows(features: Self.column([0, 1, -1, 1, 0]), standardize: false)
        #expect(n.neighbors(of: 0, k: 3) == [.init(row: 4, distance: 0), .init(row: 1, distance: 1), .init(row: 2, distance: 1)])
    }

    /// Standardised: a column's unit does not change who is near; raw, it does.
    @Test func aColumnsUnitDoesNotMatter() {
        let x = Matrix(rows: 6, columns: 2, storage: [0, 0, 1, 0.1, 0.2, 1, 2, 2, 0.9, 0.3, 3, 0.5])
        var scaled = x
        for r in 0..<6 { scaled[r, 1] *= 1000 }
        for q in 0..<6 {
            #expect(NearestRows(features: x).neighbors(of: q, k: 3).map(\.row) == NearestRows(features: scaled).neighbors(of: q, k: 3).map(\.row))
        }
        // Raw, row 4 (0.9, 0.3) is nearest to row 0; with the second column in other units, row 1.
        #expect(NearestRows(features: x, standardize: false).neighbors(of: 0, k: 1).map(\.row) == [4])
        #expect(NearestRows(features: scaled, standardize: false).neighbors(of: 0, k: 2).map(\.row) == [1, 4])
        // In standard deviations: row 0 to row 1 by hand.
        let s = Standardizer(fitting: x)
        let d = ((0 - 1) / s.scales[0], (0 - 0.1) / s.scales[1])
        #expect(abs(NearestRows(features: x).neighbors(of: 0, k: 5).first { $0.row == 1 }!.distance - (d.0 * d.0 + d.1 * d.1).squareRoot()) < 1e-12)
    }
}
