import Foundation

/// How a semivalue weighs a row's marginal contributions by the size of the subset the row is
/// added to.
///
/// A semivalue is φ_i = Σ_k P(k) · mean over subsets S ⊆ D∖{i} with |S| = k of
/// [U(S ∪ {i}) − U(S)], where P is a distribution over the cardinalities k = 0…n−1. Shapley
/// takes P uniform; Beta(α, β) Shapley takes the beta-binomial P(k) = C(n−1, k) · B(k+β,
/// n−1−k+α) / B(α, β) (Kwon & Zou 2022, weight of subset size j−1 = k with j = 1…n); Banzhaf
/// weighs every subset alike, P(k) = C(n−1, k) / 2^(n−1).
public enum SemivalueWeighting: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Uniform over cardinalities (Data Shapley).
    case shapley
    /// Beta(α, β) Shapley in the paper's convention: α > β favours small subsets (more robust
    /// to noisy labels), α = β = 1 is Shapley. The reference implementation passes its two
    /// parameters transposed; this follows the paper. Both must be positive.
    case beta(alpha: Double, beta: Double)
    /// Every subset weighs the same (Data Banzhaf).
    case banzhaf

    public var description: String {
        switch self {
        case .shapley: "Shapley"
        case .beta(let a, let b): "Beta(\(a), \(b))"
        case .banzhaf: "Banzhaf"
        }
    }

    /// P(k) for k = 0…n−1: the probability that the subset a row joins has k rows, when the
    /// game has `rows` = n ≥ 1 players. Sums to 1. Computed in log space with lgamma so large n
    /// neither overflows nor underflows before the end.
    public func cardinalityDistribution(rows n: Int) -> [Double] {
        precondition(n >= 1, "a semivalue needs at least one row")
        switch self {
        case .shapley:
            return Array(repeating: 1 / Double(n), count: n)
        case .beta(let alpha, let beta):
            precondition(alpha > 0 && beta > 0, "Beta parameters must be positive")
            let logNorm = logBeta(alpha, beta)
            return (0..<n).map { k in
                exp(logChoose(n - 1, k) + logBeta(Double(k) + beta, Double(n - 1 - k) + alpha) - logNorm)
            }
        case .banzhaf:
            return (0..<n).map { k in exp(logChoose(n - 1, k) - Double(n - 1) * log(2.0)) }
        }
    }

    /// The factor n · P(k) by which the marginal contribution at position k of a uniformly random
    /// permutation is multiplied so that its mean is the semivalue (position k is reached with
    /// probability 1/n, and the prefix is then a uniform subset of size k). 1 for Shapley.
    public func permutationWeights(rows n: Int) -> [Double] {
        if self == .shapley { return Array(repeating: 1, count: n) }
        return cardinalityDistribution(rows: n).map { Double(n) * $0 }
    }
}

/// log Γ, picking the Double-returning overload Foundation exports.
private func logGamma(_ x: Double) -> Double {
    let value: Double = lgamma(x)
    return value
}

/// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
private func logBeta(_ a: Double, _ b: Double) -> Double {
    logGamma(a) + logGamma(b) - logGamma(a + b)
}

/// log C(n, k).
private func logChoose(_ n: Int, _ k: Int) -> Double {
    logGamma(Double(n + 1)) - logGamma(Double(k + 1)) - logGamma(Double(n - k + 1))
}
