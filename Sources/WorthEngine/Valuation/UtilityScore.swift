import Foundation

/// How a fitted model is scored on validation rows: the utility of the Monte Carlo methods,
/// the score whose change leave-one-out reports, DVRL's reward. Higher is better for both.
public enum UtilityScore: String, ParameterChoice, Codable {
    /// Fraction of validation rows predicted right, in [0, 1]. The empty set scores 1/C.
    case accuracy
    /// Negative mean log-loss of the validation labels, in nats, in (−34.6, 0] (probabilities
    /// are clipped at 1e-15). The empty set scores −log C, a uniform guess.
    case logLoss = "logloss"

    /// The score of `model` on rows `rows` of (`x`, `labels`); higher is better.
    public func evaluate(_ model: some Classifier, on x: Matrix, labels: [Int], rows: [Int]) -> Double {
        switch self {
        case .accuracy: model.accuracy(x, labels: labels, rows: rows)
        case .logLoss: -model.logLoss(x, labels: labels, rows: rows)
        }
    }

    public var summary: String {
        switch self {
        case .accuracy: "fraction of validation rows predicted right"
        case .logLoss: "negative mean log-loss of the validation labels: moves with every row"
        }
    }
}
