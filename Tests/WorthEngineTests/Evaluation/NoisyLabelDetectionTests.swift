import Testing
@testable import WorthEngine

@Suite struct NoisyLabelDetectionTests {
    /// AUROC by counting every (flipped, clean) pair: flipped strictly lower counts 1, a tie ½.
    func pairwiseAUROC(_ v: [Double], _ f: [Bool]) -> Double {
        var score = 0.0, pairs = 0.0
        for i in v.indices where f[i] {
            for j in v.indices where !f[j] {
                pairs += 1
                score += v[i] < v[j] ? 1 : (v[i] == v[j] ? 0.5 : 0)
            }
        }
        return score / pairs
    }

    @Test func aurocMatchesPairCountingWithTies() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<20 {
            let v = (0..<30).map { _ in Double(rng.nextInt(below: 6)) }
            var f = (0..<30).map { _ in rng.nextInt(below: 4) == 0 }
            f[0] = true; f[1] = false
            let d = NoisyLabelDetection(values: v, flipped: f)
            #expect(abs(d.auroc - pairwiseAUROC(v, f)) < 1e-12)
        }
    }

    @Test func perfectSeparationScoresOne() {
        let d = NoisyLabelDetection(values: [-1, -0.9, 0.5, 0.6, 0.7, 0.8], flipped: [true, true, false, false, false, false])
        #expect(d.auroc == 1)
        #expect(d.k == 2 && d.precisionAtK == 1 && d.recallAtK == 1 && d.f1AtK == 1)
        #expect(d.twoMeansDetected == 2 && d.twoMeansF1 == 1)
    }

    @Test func unvaluedRowsAreLeftOut() {
        let d = NoisyLabelDetection(values: [.nan, 0, 1], flipped: [false, true, false])
        #expect(d.unvalued == 1)
        #expect(d.auroc == 1)
    }

    @Test func twoMeansCutIsTheBruteForceMinimum() {
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<20 {
            let v = (0..<15).map { _ in rng.nextUnit() * 10 }.sorted()
            func sse(_ xs: ArraySlice<Double>) -> Double {
                let m = xs.reduce(0, +) / Double(xs.count)
                return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            }
            let brute = (1..<v.count).min { sse(v[..<$0]) + sse(v[$0...]) < sse(v[..<$1]) + sse(v[$1...]) }!
            #expect(NoisyLabelDetection.twoMeansCut(v) == brute)
        }
    }

    @Test func ranksAreAscendingWithNaNUnranked() {
        #expect(ascendingRanks([0.3, .nan, -1, 0.3]) == [2, nil, 1, 3])
    }
}
