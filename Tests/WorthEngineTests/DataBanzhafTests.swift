import Testing
@testable import WorthEngine

@Suite struct DataBanzhafTests {
    static let n = 6

    func run(_ samples: Int, workers: Int = 2) async throws -> ValuationUpdate {
        let valuator = SemivalueValuator.banzhaf(utility: { _ in GameUtility(count: Self.n) }, stopping: .maxUnits(samples))
        return try await valuator.finalUpdate(placeholderProblem(count: Self.n, workers: workers))
    }

    @Test func maximumSampleReuseConvergesToTheExactBanzhafValues() async throws {
        let exact = exactSemivalues(count: Self.n, subsetWeight: ClosedForm.banzhaf) { GameUtility(count: Self.n).value($0) }
        let small = try await run(60)
        let large = try await run(4000)
        let errorSmall = zip(small.estimate.values, exact).map { abs($0 - $1) }.max()!
        let errorLarge = zip(large.estimate.values, exact).map { abs($0 - $1) }.max()!
        #expect(errorLarge < errorSmall / 2)
        let errors = try #require(large.estimate.standardErrors)
        for (i, value) in large.estimate.values.enumerated() {
            #expect(abs(value - exact[i]) <= 4 * errors[i])
            #expect(abs(value - exact[i]) < 0.03)
        }
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
