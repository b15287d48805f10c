import Foundation
import Testing
@testable import WorthEngine

@Suite struct ClassifierUtilityTests {
    let problem = tinyClassificationProblem()

    func utility(_ measure: UtilityScore) -> ClassifierUtility {
        ClassifierUtility(model: NearestCentroid(classCount: 3), modelName: "centroid", measure: measure, problem: problem)
    }

    @Test func theEmptySetScoresTheChanceLevel() {
        var accuracy = utility(.accuracy)
        var logLoss = utility(.logLoss)
        #expect(accuracy.emptyScore == 1.0 / 3)
        #expect(abs(logLoss.emptyScore + log(3.0)) < 1e-15)
        #expect(accuracy.score([]) == 1.0 / 3 && logLoss.score([]) == logLoss.emptyScore)
        #expect(accuracy.identity == "centroid accuracy" && logLoss.identity == "centroid logloss")
    }

    @Test func aSubsetLackingClassesGetsAMeaningfulScore() {
        var accuracy = utility(.accuracy)
        var logLoss = utility(.logLoss)
        // Only class 0 seen: every validation row is predicted 0, right for the 3 of 9 in class 0.
        #expect(accuracy.score([0, 1]) == 3.0 / 9)
        let oneClass = logLoss.score([0, 1])
        #expect(oneClass.isFinite && oneClass < 0)
        // All classes: the centroids separate the validation rows well, until the mislabelled
        // last row drags class 2's centroid among class 0.
        let clean = accuracy.score([0, 1, 2, 3, 4])
        #expect(clean > 0.7 && accuracy.score([0, 1, 2, 3, 4, 5]) < clean)
        #expect(logLoss.score([0, 2, 4]) > oneClass)
    }

    @Test func theModelKeepsItsFitBetweenCalls() {
        var u = utility(.accuracy)
        _ = u.score([0])
        _ = u.score([0, 2])
        #expect((u.model as! NearestCentroid).fits == 2)
    }

    @Test func tmcShapleyOfAClassifierConvergesToItsExactShapleyValues() async throws {
        let base = utility(.accuracy)
        let exact = exactSemivalues(count: 6, subsetWeight: ClosedForm.shapley) { rows in
            var u = base
            return u.score(rows)
        }
        let valuator = SemivalueValuator.tmcShapley(utility: { problem in
            ClassifierUtility(model: NearestCentroid(classCount: 3), modelName: "centroid", measure: .accuracy, problem: problem)
        }, truncation: nil, stopping: .maxUnits(1500))
        let update = try await valuator.finalUpdate(problem)
        let errors = try #require(update.estimate.standardErrors)
        for (i, value) in update.estimate.values.enumerated() {
            #expect(abs(value - exact[i]) <= 4 * errors[i] + 1e-12)
        }
        // The last valued row (x = −0.95 labelled 2, among the class-0 rows) is the one that hurts.
        #expect(exact[5] == exact.min())
        #expect(update.estimate.values[5] == update.estimate.values.min())
    }

    /// A permutation's prefixes grow by one row: the utility fits them by extending the last
    /// fit (one evaluation fewer than a plain warm refit), any other subset by a plain fit, and
    /// the scores are those of the plain fits.
    @Test func growingPrefixesExtendTheLastFit() {
        let (x, y) = LinearFixtures.blobs(n: 40, d: 3, classes: 3, seed: 21)
        let (xv, yv) = LinearFixtures.blobs(n: 30, d: 3, classes: 3, seed: 22)
        let problem = ValuationProblem(train: x, trainLabels: y, validation: xv, validationLabels: yv,
                                       classCount: 3, seed: 1, workers: 1)
        var utility = ClassifierUtility(model: LogisticRegression(classCount: 3, tolerance: 1e-10), modelName: "logistic",
                                        measure: .logLoss, problem: problem)
        func check(_ rows: [Int], extends: Bool) {
            var plain = utility.model as! LogisticRegression
            plain.fit(x, labels: y, rows: rows)
            let score = utility.score(rows)
            let fitted = utility.model as! LogisticRegression
            #expect(fitted.lastFit!.evaluations == plain.lastFit!.evaluations - (extends ? 1 : 0), "\(rows)")
            #expect(abs(score + plain.logLoss(xv, labels: yv, rows: Array(0..<30))) < 1e-9)
        }
        var prefix = [Int]()
        for row in [5, 17, 2, 33, 8, 21, 0, 39, 12] {
            prefix.append(row)
            check(prefix, extends: prefix.count > 1)
        }
        check([3, 4], extends: false)
        check([3, 4, 7, 9], extends: true)  // two rows more is an extension too
    }
}
