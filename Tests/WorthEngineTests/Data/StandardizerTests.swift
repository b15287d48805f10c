import Testing
@testable import WorthEngine

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
