import Testing
@testable import WorthEngine

@Suite struct SplitTests {
    let labels = (0..<100).map { $0 < 70 ? 0 : ($0 < 95 ? 1 : 2) }

    @Test func partsAreDisjointAndCoverEveryRow() {
        let s = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.2, testFraction: 0.2, seed: 3)
        let all = s.valued + s.validation + s.test
        #expect(all.sorted() == Array(0..<100))
        #expect(Set(s.valued).isDisjoint(with: s.validation))
    }

    @Test func eachClassIsSplitByItsOwnFraction() {
        let s = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.2, testFraction: 0.2, seed: 3)
        let validationPerClass = (0..<3).map { c in s.validation.filter { labels[$0] == c }.count }
        #expect(validationPerClass == [14, 5, 1])
        // Every class keeps at least one valued row, even the 5-row one.
        for c in 0..<3 { #expect(s.valued.contains { labels[$0] == c }) }
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() {
        let a = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.3, testFraction: 0, seed: 9)
        let b = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.3, testFraction: 0, seed: 9)
        let c = Split.stratified(labels: labels, classCount: 3, validationFraction: 0.3, testFraction: 0, seed: 10)
        #expect(a == b)
        #expect(a != c)
        #expect(a.test.isEmpty)
    }
}

@Suite struct LabelNoiseTests {
    @Test func flipsTheRoundedFractionAndAlwaysChangesTheLabel() {
        let original = (0..<50).map { $0 % 3 }
        var labels = original
        let flipped = LabelNoise.flip(&labels, fraction: 0.1, classCount: 3, seed: 4)
        #expect(flipped.count == 5)
        for i in labels.indices {
            #expect((labels[i] != original[i]) == flipped.contains(i))
            #expect((0..<3).contains(labels[i]))
        }
    }

    @Test func zeroFractionChangesNothing() {
        var labels = [0, 1, 0, 1]
        #expect(LabelNoise.flip(&labels, fraction: 0, classCount: 2, seed: 1).isEmpty)
        #expect(labels == [0, 1, 0, 1])
    }
}

@Suite struct StandardizerTests {
    @Test func fittedRowsGetZeroMeanUnitVarianceAndConstantsStayFinite() {
        let x = Matrix(rows: 4, columns: 2, storage: [1, 5, 2, 5, 3, 5, 100, 5])
        let s = Standardizer(fitting: x, rows: [0, 1, 2])
        #expect(abs(s.means[0] - 2) < 1e-12)
        #expect(abs(s.scales[0] - (2.0 / 3).squareRoot()) < 1e-12)
        #expect(s.scales[1] == 1)
        let z = s.apply(x)
        #expect(abs(z[0, 0] + z[1, 0] + z[2, 0]) < 1e-12)
        #expect(z[3, 1] == 0)
    }

    @Test func featuresNearTheLargestDoubleStandardiseLikeTheSameFeaturesScaledDown() {
        let big: [Double] = [1.7e308, -1.7e308, 1.2e308, -0.9e308, 1.6e308, -1.5e308]
        let small = big.map { $0 * 0x1p-1000 }
        let plain: [Double] = [1, 2, 3, 4, 5, 7]
        func matrix(_ first: [Double]) -> Matrix {
            Matrix(rows: 6, columns: 2, storage: zip(first, plain).flatMap { [$0, $1] })
        }
        let huge = Standardizer(fitting: matrix(big)), scaled = Standardizer(fitting: matrix(small))
        let z = huge.apply(matrix(big))
        #expect(z.storage.allSatisfy { $0.isFinite })
        #expect(z == scaled.apply(matrix(small)))
        #expect(huge.means.allSatisfy { $0.isFinite } && huge.scales.allSatisfy { $0.isFinite })
        #expect(huge.prescales[1] == 1 && scaled.prescales == [1, 1])
        // Ordinary columns are computed exactly as before: (x − mean) / scale.
        for i in 0..<6 { #expect(z[i, 1] == (plain[i] - huge.means[1]) / huge.scales[1]) }
        // A constant huge column stays finite too.
        let constant = Matrix(rows: 3, columns: 1, storage: [1.7e308, 1.7e308, 1.7e308])
        #expect(Standardizer(fitting: constant).apply(constant).storage == [0, 0, 0])
    }
}
