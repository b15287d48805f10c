import WorthEngine

/// The what-if's answer: accuracy of a logistic regression trained on the valued rows as they
/// are, and again with the person's changes (flagged rows dropped, relabeled rows with their new
/// label), on the validation and test rows that are not flagged, with their labels corrected
/// where relabeled (nil where none are held out). Flags mean the same everywhere: rows to drop,
/// wherever they are; so a flagged held-out row is left out of both scores, as the cleaned
/// export leaves it out.
struct WhatIfResult: Sendable {
    /// Valued rows left out of the second training (the flagged ones).
    var removed: Int
    /// Valued rows trained with their new label in the second training (flagged ones aside).
    var relabeled: Int
    /// Flagged validation and test rows, left out of both scores.
    var unscored: Int
    var validation: (before: Double, after: Double)?
    var test: (before: Double, after: Double)?
}

extension BackgroundJob where News == WhatIfResult {
    /// Retrains in the background with `marks` (by data-row number) applied to `experiment`.
    convenience init(experiment: Experiment, marks: RowMarks) {
        self.init(computing: {
            let p = experiment.problem
            let source = experiment.valuedRows.indices.map { experiment.sourceRow(ofValued: $0) }
            let removed = Set(source.indices.filter { marks.flags.contains(source[$0]) })
            var corrected = p.trainLabels
            var relabeled = 0
            for i in source.indices where !removed.contains(i) {
                if let c = marks.relabels[source[i]], c != corrected[i] { corrected[i] = c; relabeled += 1 }
            }
            let testRows = experiment.roles.indices.filter { experiment.roles[$0] == .test }.map { $0 + 1 }
            let prototype = LogisticRegression(classCount: p.classCount)
            let before = RetrainingEvaluator(prototype: prototype, train: p.train, trainLabels: p.trainLabels)
            let after = RetrainingEvaluator(prototype: prototype, train: p.train, trainLabels: corrected)
            var unscored = 0
            /// Accuracy before and after on the rows of (`x`, `labels`) whose data rows are not flagged.
            func compare(_ x: Matrix, _ labels: [Int], sourceRows: [Int]) -> (Double, Double)? {
                let kept = sourceRows.indices.filter { !marks.flags.contains(sourceRows[$0]) }
                unscored += sourceRows.count - kept.count
                guard !kept.isEmpty else { return nil }
                let (xs, ys) = (x.selecting(rows: kept), kept.map { marks.relabels[sourceRows[$0]] ?? labels[$0] })
                return (before.accuracy(removing: [], on: xs, labels: ys), after.accuracy(removing: removed, on: xs, labels: ys))
            }
            let validation = compare(p.validation, p.validationLabels, sourceRows: experiment.validationSourceRows)
            let test = compare(experiment.test, experiment.testLabels, sourceRows: testRows)
            return WhatIfResult(removed: removed.count, relabeled: relabeled, unscored: unscored, validation: validation, test: test)
        })
    }
}
