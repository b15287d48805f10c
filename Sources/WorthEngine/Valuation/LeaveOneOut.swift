/// Leave-one-out valuation: how much the validation score drops when one row is left out.
///
/// The model is fitted on all valued rows, then refitted once per row without it, each refit
/// warm-started from the full fit (for logistic regression that is a Newton step or two). Two
/// per-row columns are always reported:
/// - `logloss_delta` = validation log-loss without the row − with it (positive: the row helped);
/// - `accuracy_delta` = validation accuracy with the row − without it.
///
/// `value` is the log-loss delta by default. Removing one row out of hundreds rarely flips a
/// validation prediction, so accuracy deltas are almost all exactly 0 and rank nothing, while
/// the log-loss moves for every row and is the finer signal. Choose `.accuracy` for the
/// textbook definition.
///
/// Rows are independent units run over `problem.workers`; each value depends only on its row,
/// so results are identical on any number of workers. Progress is counted in rows.
public struct LeaveOneOut: Valuator {
    /// Makes the (unfitted) model for a number of classes.
    public var makeModel: @Sendable (_ classCount: Int) -> any Classifier
    public var score: UtilityScore

    /// LOO of the model `makeModel` builds (default: L2 logistic regression).
    public init(score: UtilityScore = .logLoss,
                model makeModel: @escaping @Sendable (_ classCount: Int) -> any Classifier = { LogisticRegression(classCount: $0) }) {
        self.makeModel = makeModel
        self.score = score
    }

    /// `loo` for the catalog, with parameters `model` and `score`.
    public static let descriptor = MethodDescriptor(
        id: "loo", title: "Leave-one-out",
        summary: "Change in validation score when each row alone is removed and the model refitted",
        needsValidation: true,
        parameters: [
            ParameterSpec(name: "model", summary: "model refitted without each row",
                          kind: .choice(["logistic", "knn"]), defaultValue: "logistic"),
            ParameterSpec(name: "score", summary: "validation score whose change is the value",
                          kind: .choice([UtilityScore.logLoss.rawValue, UtilityScore.accuracy.rawValue]), defaultValue: UtilityScore.logLoss.rawValue),
        ],
        make: { parameters in
            let score = UtilityScore(rawValue: parameters.text("score")) ?? .logLoss
            switch parameters.text("model") {
            case "knn": return LeaveOneOut(score: score) { KNearestNeighbors(classCount: $0) }
            default: return LeaveOneOut(score: score)
            }
        })

    public func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        let makeModel = self.makeModel, score = self.score
        return makeValuationStream { reporter in
            let n = problem.count
            guard problem.validationLabels.count > 0 else {
                throw InputError("loo needs validation rows: give --valid FILE or a validation fraction above 0")
            }
            let unit = "rows"
            let validationRows = problem.allValidationRows
            reporter.offer(force: true) {
                ValuationUpdate(done: 0, total: n, unit: unit, phase: "fitting full model",
                                estimate: ValuationEstimate(values: [Double](repeating: .nan, count: n)), elapsed: reporter.elapsed)
            }
            var full = makeModel(problem.classCount)
            full.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows)
            let fullAccuracy = full.accuracy(problem.validation, labels: problem.validationLabels, rows: validationRows)
            let fullLoss = full.logLoss(problem.validation, labels: problem.validationLabels, rows: validationRows)
            let fitted = full

            var accuracyDelta = [Double](repeating: .nan, count: n)
            var lossDelta = [Double](repeating: .nan, count: n)
            var done = 0
            func estimate() -> ValuationEstimate {
                ValuationEstimate(values: score == .logLoss ? lossDelta : accuracyDelta,
                                  extraColumns: [ExtraColumn(name: "logloss_delta", values: lossDelta),
                                                 ExtraColumn(name: "accuracy_delta", values: accuracyDelta)])
            }
            let outcome = try await runChunks(
                units: 0..<n, chunkSize: 8, workers: problem.workers,
                work: { range in
                    var without = [Int]()
                    without.reserveCapacity(max(0, n - 1))
                    return range.map { i -> (accuracy: Double, loss: Double) in
                        without.removeAll(keepingCapacity: true)
                        without.append(contentsOf: 0..<i)
                        without.append(contentsOf: (i + 1)..<n)
                        var model = fitted
                        model.fit(problem.train, labels: problem.trainLabels, rows: without)
                        return (model.accuracy(problem.validation, labels: problem.validationLabels, rows: validationRows),
                                model.logLoss(problem.validation, labels: problem.validationLabels, rows: validationRows))
                    }
                },
                merge: { range, partial in
                    for (i, result) in zip(range, partial) {
                        accuracyDelta[i] = fullAccuracy - result.accuracy
                        lossDelta[i] = result.loss - fullLoss
                    }
                    done += range.count
                    reporter.offer {
                        ValuationUpdate(done: done, total: n, unit: unit, estimate: estimate(), elapsed: reporter.elapsed)
                    }
                    return .proceed
                })
            return ValuationUpdate(done: done, total: n, unit: unit, estimate: estimate(), elapsed: reporter.elapsed,
                                   stop: outcome == .cancelled ? .cancelled : .completed)
        }
    }
}
