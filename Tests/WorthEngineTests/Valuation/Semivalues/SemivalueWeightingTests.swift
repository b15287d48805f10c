import Testing
@testable import WorthEngine

@Suite struct SemivalueWeightingTests {
    @Test(arguments: [(4.0, 1.0), (16.0, 1.0), (1.0, 4.0), (2.5, 1.5)])
    func betaWeightsMatchTheirClosedFormAndSumToOne(alpha: Double, beta: Double) {
        for n in [1, 2, 7, 30] {
            let p = SemivalueWeighting.beta(alpha: alpha, beta: beta).cardinalityDistribution(rows: n)
            #expect(p.count == n)
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
            for k in 0..<n {
                let closed = ClosedForm.choose(n - 1, k) * ClosedForm.beta(alpha: alpha, beta: beta)(k, n)
                #expect(abs(p[k] - closed) < 1e-12 * max(1, closed))
            }
        }
    }

    @Test func alphaAboveBetaFavoursSmallSubsets() {
        let p = SemivalueWeighting.beta(alpha: 4, beta: 1).cardinalityDistribution(rows: 20)
        for k in 1..<20 { #expect(p[k] < p[k - 1]) }
        let q = SemivalueWeighting.beta(alpha: 1, beta: 4).cardinalityDistribution(rows: 20)
        for k in 1..<20 { #expect(q[k] > q[k - 1]) }
    }

    @Test func betaOneOneIsShapleyAndLargeRowCountsStayFinite() {
        let beta = SemivalueWeighting.beta(alpha: 1, beta: 1).cardinalityDistribution(rows: 12)
        let shapley = SemivalueWeighting.shapley.cardinalityDistribution(rows: 12)
        for k in 0..<12 { #expect(abs(beta[k] - shapley[k]) < 1e-14) }
        let big = SemivalueWeighting.beta(alpha: 16, beta: 1).cardinalityDistribution(rows: 50_000)
        #expect(big.allSatisfy { $0.isFinite })
        #expect(abs(big.reduce(0, +) - 1) < 1e-9)
        // P(0) = B(1, n−1+α) / B(α, 1) = α / (n − 1 + α) for β = 1; lgamma of 50,000 loses a
        // few digits to cancellation, which leaves ten.
        let p0 = 16.0 / (50_000 - 1 + 16)
        #expect(abs(big[0] - p0) < 1e-10 * p0)
    }

    @Test func subsetWeightsMatchShapleyAndBanzhaf() {
        let n = 7
        for k in 0..<n {
            #expect(abs(SemivalueWeighting.shapley.subsetWeight(size: k, rows: n) - ClosedForm.shapley(k, n)) < 1e-14)
            #expect(abs(SemivalueWeighting.banzhaf.subsetWeight(size: k, rows: n) - ClosedForm.banzhaf(k, n)) < 1e-14)
        }
    }

    @Test func permutationWeightsAreNTimesTheCardinalityDistribution() {
        let w = SemivalueWeighting.beta(alpha: 4, beta: 1).permutationWeights(rows: 10)
        let p = SemivalueWeighting.beta(alpha: 4, beta: 1).cardinalityDistribution(rows: 10)
        for k in 0..<10 { #expect(w[k] == 10 * p[k]) }
        #expect(SemivalueWeighting.shapley.permutationWeights(rows: 5) == [1, 1, 1, 1, 1])
    }
}
