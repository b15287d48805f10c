import Testing
@testable import WorthEngine

/// The one Monte Carlo semivalue valuator, by weighting and sampling scheme.
@Suite struct SemivalueValuatorTests {
    @Test func theMethodFollowsTheWeighting() {
        let utility: UtilityFactory = { _ in GameUtility(count: 3) }
        #expect(SemivalueValuator.tmcShapley(utility: utility).method == .tmcShapley)
        #expect(SemivalueValuator.betaShapley(utility: utility, alpha: 1, beta: 1).method == .betaShapley)
        #expect(SemivalueValuator.banzhaf(utility: utility).method == .banzhaf)
        #expect(SemivalueValuator.banzhaf(utility: utility).sampling.unitName == "samples")
        #expect(SemivalueValuator.tmcShapley(utility: utility, truncation: nil).sampling == .permutations(truncation: nil))
    }
}

/// More samples bring the estimate closer: `large`'s worst error is under half of `small`'s, and
/// each of its values is within 4 of its standard errors and `tolerance` of `exact`.
func expectConvergence(small: ValuationUpdate, large: ValuationUpdate, to exact: [Double], within tolerance: Double) throws {
    let errorSmall = zip(small.estimate.values, exact).map { abs($0 - $1) }.max()!
    let errorLarge = zip(large.estimate.values, exact).map { abs($0 - $1) }.max()!
    #expect(errorLarge < errorSmall / 2)
    let errors = try #require(large.estimate.standardErrors)
    for (i, value) in large.estimate.values.enumerated() {
        #expect(abs(value - exact[i]) <= 4 * errors[i])
        #expect(abs(value - exact[i]) < tolerance)
    }
}

extension SemivalueValuatorTests {
    /// Shapley weighting over truncated Monte Carlo permutations (`SemivalueValuator.tmcShapley`).
    @Suite struct ShapleyByPermutations {
        static let n = 7
        static let exact = exactSemivalues(count: n, subsetWeight: ClosedForm.shapley) { GameUtility(count: n).value($0) }

        func estimate(permutations: Int, truncation: TruncationRule? = nil, workers: Int = 2) async throws -> ValuationUpdate {
            let valuator = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: Self.n) }, truncation: truncation,
                                                        stopping: .maxUnits(permutations))
            return try await valuator.finalUpdate(placeholderProblem(count: Self.n, workers: workers))
        }

        @Test func convergesToTheExactShapleyValues() async throws {
            let small = try await estimate(permutations: 40)
            let large = try await estimate(permutations: 1280)
            // At 1,280 permutations every value is within 4 standard errors and 0.01 of the truth.
            try expectConvergence(small: small, large: large, to: Self.exact, within: 0.01)
            #expect(large.stop == .budget("1280 permutations"))
            #expect(large.done == 1280 && large.total == 1280)
        }

        @Test func untruncatedValuesSumToTheFullMinusEmptyScore() async throws {
            let game = GameUtility(count: Self.n)
            for permutations in [1, 13] {
                let update = try await estimate(permutations: permutations)
                let total = update.estimate.values.reduce(0, +)
                #expect(abs(total - (game.value(Array(0..<Self.n)) - game.emptyScore)) < 1e-12)
            }
        }

        @Test func oneAndTwoWorkersGiveIdenticalResults() async throws {
            let one = try await estimate(permutations: 90, truncation: .standard, workers: 1)
            let two = try await estimate(permutations: 90, truncation: .standard, workers: 2)
            #expect(one.estimate == two.estimate)
            #expect(one.convergence == two.convergence)
        }

        @Test func truncationCreditsZeroAfterTheScoreSettles() async throws {
            // Any non-empty subset scores 1, the full score: every prefix is close, so each
            // permutation stops after 6 fits and its first row takes all the credit.
            struct Flat: Utility {
                let calls = Calls()
                var count: Int { 20 }
                var emptyScore: Double { 0 }
                var identity: String { "flat" }
                mutating func score(_ rows: [Int]) -> Double { calls.increment(); return 1 }
            }
            let flat = Flat()
            let valuator = SemivalueValuator.tmcShapley(utility: { _ in flat }, truncation: .standard, stopping: .maxUnits(50))
            let update = try await valuator.finalUpdate(placeholderProblem(count: 20))
            #expect(flat.calls.value == 1 + 50 * 6)
            let sampler = PermutationSampler(seed: placeholderProblem(count: 20).seed)
            var firsts = [Double](repeating: 0, count: 20)
            for unit in 0..<50 { firsts[sampler.permutation(unit: unit, count: 20)[0]] += 1 }
            for (value, first) in zip(update.estimate.values, firsts) { #expect(abs(value - first / 50) < 1e-15) }
        }
    }
}

extension SemivalueValuatorTests {
    /// Beta(α, β) weighting over permutations (`SemivalueValuator.betaShapley`).
    @Suite struct BetaByPermutations {
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
            try expectConvergence(small: small, large: large, to: exact, within: 0.02)
        }

        @Test func betaOneOneEqualsShapleyOnTheSamePermutations() async throws {
            let beta = SemivalueValuator.betaShapley(utility: { _ in GameUtility(count: 5) }, alpha: 1, beta: 1, truncation: nil, stopping: .maxUnits(30))
            let shapley = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: 5) }, truncation: nil, stopping: .maxUnits(30))
            let a = try await beta.finalUpdate(placeholderProblem(count: 5)).estimate.values
            let b = try await shapley.finalUpdate(placeholderProblem(count: 5)).estimate.values
            for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-12) }
        }
    }
}

extension SemivalueValuatorTests {
    /// Banzhaf weighting by maximum sample reuse (`SemivalueValuator.banzhaf`).
    @Suite struct BanzhafBySubsets {
        static let n = 6

        func run(_ samples: Int, workers: Int = 2) async throws -> ValuationUpdate {
            let valuator = SemivalueValuator.banzhaf(utility: { _ in GameUtility(count: Self.n) }, stopping: .maxUnits(samples))
            return try await valuator.finalUpdate(placeholderProblem(count: Self.n, workers: workers))
        }

        @Test func maximumSampleReuseConvergesToTheExactBanzhafValues() async throws {
            let exact = exactSemivalues(count: Self.n, subsetWeight: ClosedForm.banzhaf) { GameUtility(count: Self.n).value($0) }
            let small = try await run(60)
            let large = try await run(4000)
            try expectConvergence(small: small, large: large, to: exact, within: 0.03)
            #expect(large.stop == .budget("4000 samples"))
        }

        @Test func valuesAreUndefinedUntilBothSidesHaveASample() async throws {
            let one = try await run(1)
            #expect(one.estimate.values.allSatisfy { $0.isNaN })
        }

        @Test func oneAndTwoWorkersGiveIdenticalResults() async throws {
            let one = try await run(300, workers: 1)
            let two = try await run(300, workers: 2)
            #expect(one.estimate == two.estimate)
        }

        @Test func subsetsHoldEachRowAboutHalfTheTime() {
            let sampler = BernoulliSubsetSampler(seed: 9)
            var counts = [Int](repeating: 0, count: 70)
            for unit in 0..<2000 {
                for (row, isIn) in sampler.subset(unit: unit, count: 70).enumerated() where isIn { counts[row] += 1 }
            }
            // Binomial(2000, 1/2): standard deviation about 22.
            for c in counts { #expect(abs(c - 1000) < 110) }
            #expect(sampler.subset(unit: 4, count: 70) == sampler.subset(unit: 4, count: 70))
            #expect(sampler.subset(unit: 4, count: 70) != sampler.subset(unit: 5, count: 70))
        }
    }
}
