import Testing
@testable import WorthEngine

@Suite struct TMCShapleyTests {
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
        let errorSmall = zip(small.estimate.values, Self.exact).map { abs($0 - $1) }.max()!
        let errorLarge = zip(large.estimate.values, Self.exact).map { abs($0 - $1) }.max()!
        #expect(errorLarge < errorSmall / 2)
        // At 1,280 permutations every value is within 4 standard errors and 0.01 of the truth.
        let errors = try #require(large.estimate.standardErrors)
        for (i, value) in large.estimate.values.enumerated() {
            #expect(abs(value - Self.exact[i]) <= 4 * errors[i])
            #expect(abs(value - Self.exact[i]) < 0.01)
        }
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
