import Foundation

/// The usual utility: fit a classifier on the subset, score it on the validation rows.
///
/// The model is a value that keeps its fit between calls, so refitting it on a subset that grew
/// by one row starts from the previous solution (the warm start the `Classifier` contract
/// promises). A subset lacking some classes is handled by the classifier itself, which predicts
/// only what it has seen; the empty subset is never fitted and scores the chance level.
public struct ClassifierUtility: Utility {
    /// The model, unfitted or holding its last fit.
    public var model: any Classifier
    /// Name of the model for `identity` (`logistic`, `knn`, `tree`).
    public var modelName: String
    /// What is measured on the validation rows.
    public var measure: UtilityScore
    let train: Matrix
    let trainLabels: [Int]
    let validation: Matrix
    let validationLabels: [Int]
    let validationRows: [Int]
    /// The rows of the model's last fit, so that a subset grown from them is fitted with
    /// `fit(_:labels:rows:extending:)`.
    private var fittedRows: [Int] = []

    /// A utility over `problem`'s valued rows, scored on its validation rows (which must not be
    /// empty). `model.classCount` must equal `problem.classCount`.
    public init(model: any Classifier, modelName: String, measure: UtilityScore, problem: ValuationProblem) {
        precondition(model.classCount == problem.classCount, "model and problem disagree on the classes")
        precondition(!problem.validationLabels.isEmpty, "a classifier utility needs validation rows")
        self.model = model
        self.modelName = modelName
        self.measure = measure
        train = problem.train
        trainLabels = problem.trainLabels
        validation = problem.validation
        validationLabels = problem.validationLabels
        validationRows = problem.allValidationRows
    }

    public var count: Int { trainLabels.count }

    public var emptyScore: Double {
        let classes = Double(max(1, model.classCount))
        switch measure {
        case .accuracy: return 1 / classes
        case .logLoss: return -log(classes)
        }
    }

    public var identity: String { "\(modelName) \(measure.rawValue)" }

    public mutating func score(_ rows: [Int]) -> Double {
        if rows.isEmpty { return emptyScore }
        if !fittedRows.isEmpty && rows.count > fittedRows.count && rows.starts(with: fittedRows) {
            model.fit(train, labels: trainLabels, rows: rows, extending: fittedRows.count)
        } else {
            model.fit(train, labels: trainLabels, rows: rows)
        }
        fittedRows = rows
        return measure.evaluate(model, on: validation, labels: validationLabels, rows: validationRows)
    }
}
