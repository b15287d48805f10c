import Testing
@testable import WorthEngine

@Suite struct CrossFittedProbabilitiesTests {
    /// Two clusters on a line, 12 rows each, and row 24 in the first cluster labelled as the second.
    static func data() -> (Matrix, [Int]) {
        var x: [Double] = [], y: [Int] = []
        for i in 0..<24 {
            x += [i % 2 == 0 ? -2 + Double(i % 5) * 0.1 : 2 - Double(i % 7) * 0.1, Double(i % 3) * 0.2]
            y.append(i % 2)
        }
        x += [-2.05, 0.2]
        y.append(1)
        return (Matrix(rows: 25, columns: 2, storage: x), y)
    }

    /// Each row's probabilities are those of a model fitted on the other folds' rows.
    @Test func eachFoldComesFromAModelThatDidNotSeeIt() async throws {
        let (x, y) = Self.data()
        let cf = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, folds: 3, seed: 7)
        #expect(cf.folds == 3 && Set(cf.fold) == [0, 1, 2])
        for f in 0..<3 {
            var model = LogisticRegression(classCount: 2)
            model.fit(x, labels: y, rows: (0..<25).filter { cf.fold[$0] != f })
            for i in (0..<25) where cf.fold[i] == f {
                #expect(cf.probabilities(of: i) == model.probabilities(x, row: i))
            }
        }
    }

    /// A mislabeled row does not vouch for itself: fitted on every row, a 1-nearest-neighbour
    /// model repeats the row's own label; cross-fitted, it gives the label of its neighbours.
    @Test func aMislabeledRowGetsItsNeighboursLabel() async throws {
        let (x, y) = Self.data()
        var inSample = KNearestNeighbors(classCount: 2, neighbors: 1)
        inSample.fit(x, labels: y, rows: Array(0..<25))
        #expect(inSample.predict(x, rows: [24]) == [1])
        let knn = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, seed: 1,
                                                         model: KNearestNeighbors(classCount: 2, neighbors: 1))
        #expect(knn.predicted[24] == 0)
        let logistic = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, seed: 1)
        #expect(logistic.predicted[24] == 0)
        #expect(logistic.probabilities(of: 24)[0] > 0.9)
        #expect(abs(logistic.probabilities(of: 3).reduce(0, +) - 1) < 1e-12)
    }

    /// Same seed, same numbers, on any number of workers; another seed deals other folds.
    @Test func theSeedAloneDecides() async throws {
        let (x, y) = Self.data()
        let one = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, seed: 5, workers: 1)
        let three = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, seed: 5, workers: 3)
        #expect(one.fold == three.fold)
        #expect((0..<25).allSatisfy { one.probabilities(of: $0) == three.probabilities(of: $0) })
        let other = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, seed: 6, workers: 2)
        #expect(other.fold != one.fold)
    }

    /// Stratified: every fold gets its share of each class (counts differ by at most one).
    @Test func foldsAreStratified() {
        let labels = (0..<53).map { $0 % 3 == 0 ? 2 : ($0 % 5 == 0 ? 1 : 0) }
        let fold = CrossFittedProbabilities.deal(labels: labels, classCount: 3, folds: 5, seed: 9)
        for c in 0..<3 {
            let counts = (0..<5).map { f in labels.indices.filter { labels[$0] == c && fold[$0] == f }.count }
            #expect(counts.max()! - counts.min()! <= 1, "class \(c): \(counts)")
        }
    }

    /// One row, or as many folds as rows: nothing traps; a lone row gets the uniform prior.
    @Test func tinyInputs() async throws {
        let lone = try await CrossFittedProbabilities.fit(Matrix(rows: 1, columns: 1, storage: [1]), labels: [0], classCount: 2, seed: 0)
        #expect(lone.probabilities(of: 0) == [0.5, 0.5])
        let (x, y) = Self.data()
        let each = try await CrossFittedProbabilities.fit(x, labels: y, classCount: 2, folds: 100, seed: 0)
        #expect(each.folds == 25)
    }
}
