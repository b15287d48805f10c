import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

@Suite struct DatasetMapTests {
    /// A = Q diag(λ) Qᵀ with Q the Householder reflection of u = (1, 2, 3, 4): the eigenpairs
    /// are known exactly.
    @Test func jacobiFindsTheEigenpairsOfAKnownMatrix() {
        let u = [1.0, 2, 3, 4], uu = u.reduce(0) { $0 + $1 * $1 }
        let q = (0..<4).map { i in (0..<4).map { j in (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu } }
        let lambda = [5.0, 3, -1, 0.5]
        var a = [Double](repeating: 0, count: 16)
        for i in 0..<4 { for j in 0..<4 { a[i * 4 + j] = (0..<4).reduce(0) { $0 + q[i][$1] * lambda[$1] * q[j][$1] } } }
        let e = SymmetricEigen(a, size: 4)
        #expect(zip(e.values, [5.0, 3, 0.5, -1]).allSatisfy { abs($0 - $1) < 1e-12 })
        for (k, column) in [0, 1, 3, 2].enumerated() {
            let expected = (0..<4).map { q[$0][column] }
            let dot = zip(e.vectors[k], expected).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(dot) - 1) < 1e-12)
        }
    }

    /// `rows` rows of `columns` features: two strong hidden factors, small noise, features on
    /// different scales and offsets (the map standardises them first).
    func plantedDataset(rows: Int, columns: Int) -> Dataset {
        var g = SeededGenerator(seed: 7)
        func unit() -> Double { 2 * g.nextUnit() - 1 }
        let loadings = (0..<2).map { _ in (0..<columns).map { _ in unit() } }
        var storage: [Double] = []
        for _ in 0..<rows {
            let f = [3 * unit(), 2 * unit()]
            for j in 0..<columns {
                let v = f[0] * loadings[0][j] + f[1] * loadings[1][j] + 0.05 * unit()
                storage.append(Double(j + 1) * v + Double(j))
            }
        }
        return Dataset(featureNames: (0..<columns).map { "f\($0)" }, features: Matrix(rows: rows, columns: columns, storage: storage),
                       labels: (0..<rows).map { $0 % 2 }, classNames: ["a", "b"], sourceRows: Array(1...rows))
    }

    /// The map's points against an exact PCA: the top two eigenvectors of the full d × d
    /// correlation matrix, each axis up to its sign.
    @Test(arguments: [(60, 14), (50, 3), (40, 1)])
    func theMapIsTheExactPrincipalComponentPlane(rows: Int, columns: Int) throws {
        let data = plantedDataset(rows: rows, columns: columns)
        let map = try #require(DatasetMap(dataset: data))
        let x = Standardizer(fitting: data.features).apply(data.features)
        let d = columns
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<rows { for a in 0..<d { for b in 0..<d { c[a * d + b] += x[i, a] * x[i, b] } } }
        let exact = SymmetricEigen(c, size: d)
        for axis in 0..<min(2, d) {
            let expected = (0..<rows).map { i in (0..<d).reduce(0) { $0 + x[i, $1] * exact.vectors[axis][$1] } }
            let got = map.points.map { axis == 0 ? $0.0 : $0.1 }
            let scale = expected.map(abs).max()!
            let sign = zip(got, expected).reduce(0) { $0 + $1.0 * $1.1 } < 0 ? -1.0 : 1.0
            #expect(zip(got, expected).allSatisfy { abs(sign * $0 - $1) <= 1e-6 * scale })
        }
        if d == 1 { #expect(map.points.allSatisfy { $0.1 == 0 }) }
    }

    /// A wide file's axes come from a sample of its rows (close to the exact ones when the
    /// structure is strong), and cancelling stops the work.
    @Test func wideFilesUseARowSampleAndCancellationStopsTheMap() async throws {
        #expect(DatasetMap.sampleRows(count: 500, features: 30, cells: 3000) == (0..<200).map { $0 * 5 / 2 })
        #expect(DatasetMap.sampleRows(count: 150, features: 30, cells: 3000) == Array(0..<150))
        #expect(DatasetMap.sampleRows(count: 100_000, features: 10_000, cells: 2_000_000).count == 200)
        let data = plantedDataset(rows: 500, columns: 30)
        let sampled = try #require(DatasetMap(dataset: data, sampleCells: 3000))
        let full = try #require(DatasetMap(dataset: data, sampleCells: .max))
        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            let ab = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            let aa = a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, bb = b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
            return ab / (aa * bb).squareRoot()
        }
        #expect(abs(correlation(sampled.points.map(\.0), full.points.map(\.0))) > 0.99)
        #expect(abs(correlation(sampled.points.map(\.1), full.points.map(\.1))) > 0.99)
        let stopped = await Task.detached {
            withUnsafeCurrentTask { $0?.cancel() }
            return DatasetMap(dataset: data) == nil
        }.value
        #expect(stopped)
    }

    /// The map is computed off the key loop: opening a file returns before it is done, the
    /// screen says so, keys work, and it arrives through `poll()`.
    @Test func theMapIsComputedInTheBackground() async throws {
        let file = try FixtureFile()
        defer { file.remove() }
        let w = await makeWorkbench(file)
        #expect(w.session.map == nil && w.session.isMapping)
        #expect(render(w, 120, 40).text.contains("computing the map…"))
        w.type(.tab)
        #expect(w.current == .method)
        await waitForMap(w)
        #expect(w.session.map?.points.count == 40)
    }
}
