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

    /// P(k) / C(n−1, k), the weight of one subset of size k, is Shapley's and Banzhaf's.
    @Test func subsetWeightsMatchShapleyAndBanzhaf() {
        let n = 7
        let shapley = SemivalueWeighting.shapley.cardinalityDistribution(rows: n)
        let banzhaf = SemivalueWeighting.banzhaf.cardinalityDistribution(rows: n)
        for k in 0..<n {
            let choose = (0..<k).reduce(1.0) { $0 * Double(n - 1 - $1) / Double($1 + 1) }
            #expect(abs(shapley[k] / choose - ClosedForm.shapley(k, n)) < 1e-14)
            #expect(abs(banzhaf[k] / choose - ClosedForm.banzhaf(k, n)) < 1e-14)
        }
    }

    @Test func permutationWeightsAreNTimesTheCardinalityDistribution() {
        let w = SemivalueWeighting.beta(alpha: 4, beta: 1).permutationWeights(rows: 10)
        let p = SemivalueWeighting.beta(alpha: 4, beta: 1).cardinalityDistribution(rows: 10)
        for k in 0..<10 { #expect(w[k] == 10 * p[k]) }
        #expect(SemivalueWeighting.shapley.permutationWeights(rows: 5) == [1, 1, 1, 1, 1])
    }
}
