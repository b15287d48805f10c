import WorthEngine

/// The what-if's answer: accuracy of a logistic regression trained on the valued rows, with
/// and without the flagged ones, on the validation and test rows (nil where none are held out).
struct WhatIfResult: Sendable {
    /// Valued rows left out (the flagged ones).
    var removed: Int
    var validation: (before: Double, after: Double)?
    var test: (before: Double, after: Double)?
}

/// Retrains in the background so a large file never freezes the UI; the key loop polls it.
typealias WhatIfJob = BackgroundJob<WhatIfResult>

extension BackgroundJob where Value == WhatIfResult {
    /// Starts retraining without valued rows `removed` (indices into the experiment's valued rows).
    convenience init(experiment: Experiment, removed: Set<Int>) {
        self.init {
            let p = experiment.problem
            let evaluator = RetrainingEvaluator(prototype: LogisticRegression(classCount: p.classCount),
                                                train: p.train, trainLabels: p.trainLabels)
            func compare(_ x: Matrix, _ labels: [Int]) -> (Double, Double)? {
                guard x.rows > 0 else { return nil }
                return (evaluator.accuracy(removing: [], on: x, labels: labels),
                        evaluator.accuracy(removing: removed, on: x, labels: labels))
            }
            return WhatIfResult(removed: removed.count, validation: compare(p.validation, p.validationLabels),
                                test: compare(experiment.test, experiment.testLabels))
        }
    }
}
