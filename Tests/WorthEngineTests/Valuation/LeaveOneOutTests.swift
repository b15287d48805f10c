import Testing
@testable import WorthEngine

@Suite struct LeaveOneOutTests {
    static func problem(workers: Int) -> ValuationProblem {
        let (x, y) = LinearFixtures.blobs(n: 70, d: 3, classes: 3, separation: 0.8, seed: 31)
        var labels = y
        labels[4] = (labels[4] + 1) % 3  // one mislabelled row
        return ValuationProblem(train: x.selecting(rows: Array(0..<40)), trainLabels: Array(labels[0..<40]),
                                validation: x.selecting(rows: Array(40..<70)), validationLabels: Array(labels[40..<70]),
                                classCount: 3, seed: 2, workers: workers)
    }

    /// Deltas by fitting from scratch on every row set.
    static func retrained(_ problem: ValuationProblem, make: (Int) -> any Classifier) -> (loss: [Double], accuracy: [Double]) {
        let v = problem.allValidationRows
        var full = make(problem.classCount)
        full.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows)
        let fullLoss = full.logLoss(problem.validation, labels: problem.validationLabels, rows: v)
        let fullAccuracy = full.accuracy(problem.validation, labels: problem.validationLabels, rows: v)
        var loss: [Double] = [], accuracy: [Double] = []
        for i in 0..<problem.count {
            var model = make(problem.classCount)
            model.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows.filter { $0 != i })
            loss.append(model.logLoss(problem.validation, labels: problem.validationLabels, rows: v) - fullLoss)
            accuracy.append(fullAccuracy - model.accuracy(problem.validation, labels: problem.validationLabels, rows: v))
        }
        return (loss, accuracy)
    }

    @Test func logisticMatchesRetrainingFromScratch() async throws {
        let problem = Self.problem(workers: 2)
        let final = try await LeaveOneOut().finalUpdate(problem)
        let reference = Self.retrained(problem) { LogisticRegression(classCount: $0) }
        #expect(final.stop == .completed && final.done == 40 && final.unit == "rows")
        // Both fits stop at ‖∇F‖ ≤ 1e-8, so they agree to about 1e-8 in the loss; deltas are ~1e-3.
        #expect(LinearFixtures.maxAbsDifference(final.estimate.values, reference.loss) < 1e-7)
        let columns = Dictionary(uniqueKeysWithValues: final.estimate.extraColumns.map { ($0.name, $0.values) })
        #expect(columns["logloss_delta"] == final.estimate.values)
        #expect(columns["accuracy_delta"] == reference.accuracy)
        // The mislabelled row hurts: leaving it out lowers the validation loss.
        #expect(final.estimate.values[4] < 0)
    }

    @Test func knnAccuracyMatchesRetrainingFromScratch() async throws {
        let problem = Self.problem(workers: 1)
        let method = try #require(MethodCatalog.method("loo"))
        var parameters = method.defaults
        try parameters.set("model", "knn")
        try parameters.set("score", "accuracy")
        let final = try await method.make(parameters).finalUpdate(problem)
        let reference = Self.retrained(problem) { KNearestNeighbors(classCount: $0) }
        #expect(final.estimate.values == reference.accuracy)
    }

    @Test func oneAndTwoWorkersGiveIdenticalValues() async throws {
        let one = try await LeaveOneOut().finalUpdate(Self.problem(workers: 1))
        let two = try await LeaveOneOut().finalUpdate(Self.problem(workers: 2))
        #expect(one.estimate == two.estimate)
    }
}
