import Testing
@testable import WorthEngine

@Suite struct KNearestNeighborsTests {
    @Test func votesAreClassFractionsOfTheKNearestWithTiesToTheLowerRow() {
        // Points on a line; the query at 0 has rows 1 and 2 both at distance 1.
        let x = Matrix(rows: 5, columns: 1, storage: [5, 1, -1, 2, 0.5])
        let labels = [0, 1, 2, 0, 1]
        var model = KNearestNeighbors(classCount: 3, neighbors: 2)
        model.fit(x, labels: labels, rows: [0, 1, 2, 3, 4])
        let query = Matrix(rows: 1, columns: 1, storage: [0])
        // Nearest: row 4 (0.5), then rows 1 and 2 tie at 1 → row 1.
        #expect(model.probabilities(query, row: 0) == [0, 1, 0])
        model.neighbors = 3
        let third: Double = 1.0 / 3
        #expect(model.probabilities(query, row: 0) == [0, 2 * third, third])
        // Row order given to fit does not matter.
        model.fit(x, labels: labels, rows: [3, 2, 4, 1, 0])
        #expect(model.probabilities(query, row: 0) == [0, 2 * third, third])
    }

    @Test func fewerRowsThanKAndNoRows() {
        let x = Matrix(rows: 3, columns: 2, storage: [0, 0, 1, 1, 2, 2])
        var model = KNearestNeighbors(classCount: 2, neighbors: 10)
        #expect(model.probabilities(x, row: 0) == [0.5, 0.5])
        model.fit(x, labels: [0, 1, 1], rows: [0, 1, 2])
        let third: Double = 1.0 / 3
        #expect(model.probabilities(x, row: 0) == [third, 2 * third])
        model.fit(x, labels: [0, 1, 1], rows: [])
        #expect(model.probabilities(x, row: 2) == [0.5, 0.5])
    }

    @Test func matchesBruteForceSorting() {
        let (x, y) = LinearFixtures.blobs(n: 80, d: 3, classes: 3, seed: 11)
        var model = KNearestNeighbors(classCount: 3, neighbors: 7)
        let train = Array(0..<60)
        model.fit(x, labels: y, rows: train)
        for q in 60..<80 {
            let order = train.sorted { a, b in
                let da = (0..<3).map { (x[a, $0] - x[q, $0]) * (x[a, $0] - x[q, $0]) }.reduce(0, +)
                let db = (0..<3).map { (x[b, $0] - x[q, $0]) * (x[b, $0] - x[q, $0]) }.reduce(0, +)
                return da < db || (da == db && a < b)
            }
            var expected = [Double](repeating: 0, count: 3)
            for r in order.prefix(7) { expected[y[r]] += 1.0 / 7 }
            #expect(LinearFixtures.maxAbsDifference(model.probabilities(x, row: q), expected) < 1e-12)
        }
    }
}
