import Testing
@testable import WorthEngine

@Suite struct BetaShapleyTests {
    static let n = 6

    @Test(arguments: [(4.0, 1.0), (1.0, 3.0)])
    func convergesToTheExactBetaShapleyValues(alpha: Double, beta: Double) async throws {
        let exact = exactSemivalues(count: Self.n, subsetWeight: ClosedForm.beta(alpha: alpha, beta: beta)) {
            GameUtility(count: Self.n).value($0)
        }
        func run(_ permutations: Int) async throws -> ValuationUpdate {
            let valuator = SemivalueValuator.betaShapley(utility: { _ in GameUtility(count: Self.n) }, alpha: alpha, beta: beta,
                                       truncation: nil, stopping: .maxUnits(permutations))
            return try await valuator.finalUpdate(placeholderProblem(count: Self.n))
        }
        let small = try await run(40)
        let large = try await run(1280)
        let errorSmall = zip(small.estimate.values, exact).map { abs($0 - $1) }.max()!
        let errorLarge = zip(large.estimate.values, exact).map { abs($0 - $1) }.max()!
        #expect(errorLarge < errorSmall / 2)
        let errors = try #require(large.estimate.standardErrors)
        for (i, value) in large.estimate.values.enumerated() {
            #expect(abs(value - exact[i]) <= 4 * errors[i])
            #expect(abs(value - exact[i]) < 0.02)
        }
    }

    @Test func betaOneOneEqualsShapleyOnTheSamePermutations() async throws {
        let beta = SemivalueValuator.betaShapley(utility: { _ in GameUtility(count: 5) }, alpha: 1, beta: 1, truncation: nil, stopping: .maxUnits(30))
        let shapley = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: 5) }, truncation: nil, stopping: .maxUnits(30))
        let a = try await beta.finalUpdate(placeholderProblem(count: 5)).estimate.values
        let b = try await shapley.finalUpdate(placeholderProblem(count: 5)).estimate.values
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-12) }
    }
}
