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
/// so results are identical on any number of workers, and the shards of a run (`--shard K/N`,
/// by rows) concatenate to it. Progress is counted in rows.
public struct LeaveOneOut: ValuationRun {
    /// Makes the (unfitted) model for a number of classes.
    public var makeModel: @Sendable (_ classCount: Int) -> any Classifier
    public var score: UtilityScore
    /// One shard of the rows and a state file.
    public var session: RunSession

    /// LOO of the model `makeModel` builds (default: L2 logistic regression).
    public init(score: UtilityScore = .logLoss, session: RunSession = RunSession(),
                model makeModel: @escaping @Sendable (_ classCount: Int) -> any Classifier = { LogisticRegression(classCount: $0) }) {
        self.makeModel = makeModel
        self.score = score
        self.session = session
    }

    /// The model refitted without each row.
    public static let model = Parameter<ModelKind>("model", default: .logistic, choices: [.logistic, .knn],
                                                   summary: "model refitted without each row")
    /// The validation score whose change is the value.
    public static let score = Parameter<UtilityScore>("score", default: .logLoss, choices: [.logLoss, .accuracy],
                                                      summary: "validation score whose change is the value")

    /// `loo` for the catalog, with parameters `model` and `score`; it shards by rows.
    public static let descriptor = MethodDescriptor(
        id: "loo", title: "Leave-one-out",
        summary: "Change in validation score when each row alone is removed and the model refitted",
        needsValidation: true, parameters: [model, score], sessionSettings: [.shard, .stateOut],
        make: { values, session in
            switch values[model] {
            case .knn: LeaveOneOut(score: values[score], session: session) { KNearestNeighbors(classCount: $0) }
            case .logistic: LeaveOneOut(score: values[score], session: session)
            case .tree: preconditionFailure("not one of loo's models")
            }
        })

    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let n = problem.count, unit = "rows"
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
        func estimate() -> ValuationEstimate {
            ValuationEstimate(values: score == .logLoss ? lossDelta : accuracyDelta,
                              extraColumns: [ExtraColumn(name: "logloss_delta", values: lossDelta),
                                             ExtraColumn(name: "accuracy_delta", values: accuracyDelta)])
        }
        let plan = session.plan(units: n)
        let final = try await ChunkedPass(units: plan, chunkSize: 8, unit: unit).run(
            workers: problem.workers, reporter: reporter,
            work: { range in Self.withoutEachRow(range, fitted: fitted, problem: problem, validationRows: validationRows) },
            merge: { range, partial in
                for (i, result) in zip(range, partial) {
                    accuracyDelta[i] = fullAccuracy - result.accuracy
                    lossDelta[i] = result.loss - fullLoss
                }
            },
            estimate: { _ in estimate() })
        let done = plan.lowerBound..<(plan.lowerBound + final.done)
        try session.saveState(method: Self.descriptor.id, seed: problem.seed, unitName: unit, units: n, done: done,
                              results: estimate().results(ofRows: done))
        return final
    }

    /// Validation accuracy and log-loss of `fitted` refitted (warm-started) without each row of
    /// `rows` in turn.
    static func withoutEachRow(_ rows: Range<Int>, fitted: any Classifier, problem: ValuationProblem,
                               validationRows: [Int]) -> [(accuracy: Double, loss: Double)] {
        let n = problem.count
        var without = [Int]()
        without.reserveCapacity(max(0, n - 1))
        return rows.map { i in
            without.removeAll(keepingCapacity: true)
            without.append(contentsOf: 0..<i)
            without.append(contentsOf: (i + 1)..<n)
            var model = fitted
            model.fit(problem.train, labels: problem.trainLabels, rows: without)
            return (model.accuracy(problem.validation, labels: problem.validationLabels, rows: validationRows),
                    model.logLoss(problem.validation, labels: problem.validationLabels, rows: validationRows))
        }
    }
}
