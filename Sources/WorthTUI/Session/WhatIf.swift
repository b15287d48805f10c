import WorthEngine

/// The what-if's answer: accuracy of a logistic regression trained on the valued rows, with and
/// without the flagged ones, on the validation and test rows that are not flagged (nil where
/// none are held out). Flags mean the same everywhere: rows to drop, wherever they are; so a
/// flagged held-out row is left out of both scores, as the cleaned export leaves it out.
struct WhatIfResult: Sendable {
    /// Valued rows left out of the second training (the flagged ones).
    var removed: Int
    /// Flagged validation and test rows, left out of both scores.
    var unscored: Int
    var validation: (before: Double, after: Double)?
    var test: (before: Double, after: Double)?
}

extension BackgroundJob where News == WhatIfResult {
    /// Retrains in the background without the flagged rows (data-row numbers) of `experiment`.
    convenience init(experiment: Experiment, flags: Set<Int>) {
        self.init(computing: {
            let p = experiment.problem
            let removed = Set(experiment.valuedRows.indices.filter { flags.contains(experiment.sourceRow(ofValued: $0)) })
            let testRows = experiment.roles.indices.filter { experiment.roles[$0] == .test }.map { $0 + 1 }
            let evaluator = RetrainingEvaluator(prototype: LogisticRegression(classCount: p.classCount),
                                                train: p.train, trainLabels: p.trainLabels)
            var unscored = 0
            /// Accuracy before and after on the rows of (`x`, `labels`) whose data rows are not flagged.
            func compare(_ x: Matrix, _ labels: [Int], sourceRows: [Int]) -> (Double, Double)? {
                let kept = sourceRows.indices.filter { !flags.contains(sourceRows[$0]) }
                unscored += sourceRows.count - kept.count
                guard !kept.isEmpty else { return nil }
                let (xs, ys) = (x.selecting(rows: kept), kept.map { labels[$0] })
                return (evaluator.accuracy(removing: [], on: xs, labels: ys), evaluator.accuracy(removing: removed, on: xs, labels: ys))
            }
            let validation = compare(p.validation, p.validationLabels, sourceRows: experiment.validationSourceRows)
            let test = compare(experiment.test, experiment.testLabels, sourceRows: testRows)
            return WhatIfResult(removed: removed.count, unscored: unscored, validation: validation, test: test)
        })
    }
}
