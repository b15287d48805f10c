import Testing
@testable import WorthEngine

@Suite struct RetrainingEvaluatorTests {
    /// Two clusters on a line; the last two rows carry the wrong label.
    let x = Matrix(rows: 10, columns: 1, storage: [-3, -2.5, -2, -1.5, 1.5, 2, 2.5, 3, -2.2, 2.2])
    let y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 0]
    let test = Matrix(rows: 4, columns: 1, storage: [-2.15, -1.9, 1.9, 2.15])
    let testLabels = [0, 0, 1, 1]

    @Test func removingNothingEqualsTrainingOnEverything() {
        let evaluator = RetrainingEvaluator(prototype: KNearestNeighbors(classCount: 2, neighbors: 1), train: x, trainLabels: y)
        var model = KNearestNeighbors(classCount: 2, neighbors: 1)
        model.fit(x, labels: y, rows: Array(0..<10))
        #expect(evaluator.accuracy(removing: [], on: test, labels: testLabels) == model.accuracy(test, labels: testLabels, rows: [0, 1, 2, 3]))
    }

    @Test func removingTheMislabeledRowsFirstHelpsAndRemovalOrdersAreRight() {
        let evaluator = RetrainingEvaluator(prototype: KNearestNeighbors(classCount: 2, neighbors: 1), train: x, trainLabels: y)
        let values: [Double] = [1, 1, 1, 1, 1, 1, 1, 1, -1, -1]
        #expect(RetrainingEvaluator.lowestFirst(values).prefix(2) == [8, 9])
        #expect(RetrainingEvaluator.lowestFirst([0.5, .nan, 0.1]) == [2, 0, 1])
        let curve = evaluator.pointRemovalCurve(values: values, on: test, labels: testLabels, step: 0.2, maxFraction: 0.2)
        #expect(curve.fractions == [0, 0.2])
        #expect(curve.removingLowest[0] == 0.5)   // 1-NN copies the two wrong labels nearby
        #expect(curve.removingLowest[1] == 1)
        #expect(curve.removingHighest[1] <= curve.removingLowest[1])
    }
}
