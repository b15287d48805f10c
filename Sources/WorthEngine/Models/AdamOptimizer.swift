import Foundation

/// Adam (Kingma & Ba, 2015): stochastic gradient descent with per-parameter step sizes from
/// running averages of the gradient and of its square, bias-corrected.
///
/// After t steps with gradients g_1 … g_t:
///
///     m_t = β₁ m_{t−1} + (1 − β₁) g_t,   v_t = β₂ v_{t−1} + (1 − β₂) g_t²,
///     θ_t = θ_{t−1} − α · m̂_t / (√v̂_t + ε),   m̂_t = m_t / (1 − β₁ᵗ),  v̂_t = v_t / (1 − β₂ᵗ).
///
/// The defaults (β₁ 0.9, β₂ 0.999, ε 10⁻⁸) are those of the paper and of TensorFlow and PyTorch.
struct AdamOptimizer: Sendable {
    /// Step size α > 0.
    var learningRate: Double
    let beta1: Double
    let beta2: Double
    let epsilon: Double
    /// First-moment estimate m, one per parameter.
    private(set) var firstMoment: [Double]
    /// Second-moment estimate v, one per parameter.
    private(set) var secondMoment: [Double]
    /// Steps taken, t.
    private(set) var steps = 0

    /// An optimiser for `parameterCount` parameters, with zero moments.
    init(parameterCount: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        precondition(learningRate > 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = [Double](repeating: 0, count: parameterCount)
    }

    /// One step: moves `parameters` against `gradient` (both of the count given at init).
    mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        precondition(parameters.count == firstMoment.count && gradient.count == firstMoment.count)
        steps += 1
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        // The corrections as two scalars: α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε) = α m̂ / (√v̂ + ε).
        let correction1 = 1 - pow(b1, Double(steps)), correction2 = 1 - pow(b2, Double(steps))
        let rate = learningRate / correction1, root2 = correction2.squareRoot()
        let count = parameters.count
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for j in 0..<count {
                            m[j] = b1 * m[j] + (1 - b1) * g[j]
                            v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                            theta[j] -= rate * m[j] / (v[j].squareRoot() / root2 + eps)
                        }
                    }
                }
            }
        }
    }
}
