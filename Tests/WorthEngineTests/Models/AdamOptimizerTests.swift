import Foundation
import Testing
@testable import WorthEngine

@Suite struct AdamOptimizerTests {
    @Test func firstStepMovesEachParameterByTheLearningRate() {
        // With m̂ = g and v̂ = g² after one step, the step is α·g/(|g| + ε) ≈ α·sign(g).
        var adam = AdamOptimizer(parameterCount: 3, learningRate: 0.1)
        var theta = [1.0, -2.0, 0.5]
        adam.step(&theta, gradient: [4.0, -0.001, 0])
        #expect(abs(theta[0] - 0.9) < 1e-9)
        #expect(abs(theta[1] - (-2.0 + 0.1 * 0.001 / (0.001 + 1e-8))) < 1e-12)
        #expect(theta[2] == 0.5)
    }

    @Test func matchesTheBiasCorrectedFormulaOverSeveralSteps() {
        let gradients: [[Double]] = [[1, -3], [0.5, 2], [-2, 0.25], [0.1, -0.1]]
        var adam = AdamOptimizer(parameterCount: 2, learningRate: 0.05)
        var theta = [0.3, -0.7]
        var expected = theta, m = [0.0, 0.0], v = [0.0, 0.0]
        for (t, g) in gradients.enumerated() {
            adam.step(&theta, gradient: g)
            for j in 0..<2 {
                m[j] = 0.9 * m[j] + 0.1 * g[j]
                v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j]
                let mHat = m[j] / (1 - pow(0.9, Double(t + 1))), vHat = v[j] / (1 - pow(0.999, Double(t + 1)))
                expected[j] -= 0.05 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        #expect(LinearFixtures.maxAbsDifference(theta, expected) < 1e-14)
        #expect(adam.steps == 4)
    }

    @Test func minimisesAnIllConditionedQuadratic() {
        // f(θ) = Σ a_j (θ_j − c_j)², curvatures spanning four orders of magnitude.
        let a = [100.0, 1.0, 0.01], c = [1.0, -2.0, 3.0]
        var theta = [0.0, 0.0, 0.0]
        var adam = AdamOptimizer(parameterCount: 3, learningRate: 0.05)
        for _ in 0..<3000 {
            let gradient = (0..<3).map { 2 * a[$0] * (theta[$0] - c[$0]) }
            adam.step(&theta, gradient: gradient)
        }
        #expect(LinearFixtures.maxAbsDifference(theta, c) < 1e-3, "\(theta)")
    }
}
