import Testing
@testable import WorthEngine

@Suite struct GelmanRubinTests {
    /// OpenDataVal's formula on raw samples split into chains, written out directly.
    func textbookRHat(_ chains: [[Double]]) -> Double {
        let m = Double(chains[0].count)
        let means = chains.map { $0.reduce(0, +) / m }
        let variances = zip(chains, means).map { c, mu in c.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (m - 1) }
        let s = variances.reduce(0, +) / Double(chains.count)
        let grand = means.reduce(0, +) / Double(chains.count)
        let b = m * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(chains.count - 1)
        return ((m - 1) / m + b / (s * m)).squareRoot()
    }

    @Test func statisticsRHatMatchesTheTextbookFormulaOnInterleavedChains() {
        var generator = SeededGenerator(seed: 3)
        let units = 60, rows = 3
        var statistics = SemivalueStatistics(rows: rows, twoSided: false)
        var samples = [[Double]]()
        for unit in 0..<units {
            // Row 2 drifts, so its chains disagree.
            let x = (0..<rows).map { r in generator.nextUnit() + (r == 2 ? Double(unit % 10) * 0.3 : 0) }
            samples.append(x)
            statistics.addMarginals(x, unit: unit)
        }
        let expected = (0..<rows).map { r in
            textbookRHat((0..<10).map { c in stride(from: c, to: units, by: 10).map { samples[$0][r] } })
        }.max()!
        let r = try! #require(statistics.rHat)
        #expect(abs(r - expected) < 1e-9)
        #expect(r > 1.05)
    }

    @Test func constantContributionsGiveAFiniteRHat() {
        var statistics = SemivalueStatistics(rows: 2, twoSided: false)
        for unit in 0..<40 { statistics.addMarginals([0.25, 0], unit: unit) }
        let r = try! #require(statistics.rHat)
        #expect(r.isFinite)
        #expect(abs(r - (3.0 / 4).squareRoot()) < 1e-12)
    }

    @Test func chainsThatDisagreeWithoutNoiseGiveInfinityNotNaN() {
        let chains = [GelmanRubin.Chain(value: 1, variance: 0, length: 5), GelmanRubin.Chain(value: 2, variance: 0, length: 5)]
        #expect(GelmanRubin.statistic(chains) == .infinity)
    }

    @Test func rHatIsUndefinedUntilEveryChainHasTwoUnits() {
        var statistics = SemivalueStatistics(rows: 1, twoSided: false)
        for unit in 0..<19 { statistics.addMarginals([Double(unit)], unit: unit) }
        #expect(statistics.rHat == nil)
        statistics.addMarginals([1], unit: 19)
        #expect(statistics.rHat != nil)
    }
}
