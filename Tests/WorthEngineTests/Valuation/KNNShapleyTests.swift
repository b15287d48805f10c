import Foundation
import Testing
@testable import WorthEngine

@Suite struct KNNShapleyTests {
    /// U(S) for one validation point: the fraction of its min(K, |S|) nearest rows of S (by
    /// distance, then row index) that carry its label, over K.
    static func utility(_ subset: [Int], x: Matrix, y: [Int], target: [Double], label: Int, k: Int) -> Double {
        func distance(_ r: Int) -> Double { (0..<x.columns).map { (x[r, $0] - target[$0]) * (x[r, $0] - target[$0]) }.reduce(0, +) }
        let nearest = subset.sorted { distance($0) < distance($1) || (distance($0) == distance($1) && $0 < $1) }
        return Double(nearest.prefix(k).filter { y[$0] == label }.count) / Double(k)
    }

    /// Shapley values by enumerating all 2ⁿ subsets, averaged over the validation points.
    static func enumeratedShapley(_ problem: ValuationProblem, k: Int) -> [Double] {
        let n = problem.count
        var factorial = [1.0]
        for i in 1...n { factorial.append(factorial[i - 1] * Double(i)) }
        var values = [Double](repeating: 0, count: n)
        for t in 0..<problem.validation.rows {
            let target = problem.validation.row(t), label = problem.validationLabels[t]
            var u = [Double](repeating: 0, count: 1 << n)
            for mask in 0..<(1 << n) {
                u[mask] = utility((0..<n).filter { mask & (1 << $0) != 0 }, x: problem.train, y: problem.trainLabels,
                                  target: target, label: label, k: k)
            }
            for i in 0..<n {
                for mask in 0..<(1 << n) where mask & (1 << i) == 0 {
                    let size = mask.nonzeroBitCount
                    let weight = factorial[size] * factorial[n - size - 1] / factorial[n]
                    values[i] += weight * (u[mask | (1 << i)] - u[mask]) / Double(problem.validation.rows)
                }
            }
        }
        return values
    }

    /// Eight rows on a small integer grid so that many distances tie exactly.
    static func tiedProblem(workers: Int = 1) -> ValuationProblem {
        let train = Matrix(rows: 8, columns: 2, storage: [0, 1, 1, 0, 0, -1, -1, 0, 2, 0, 1, 1, 0, 2, -2, 1])
        let validation = Matrix(rows: 4, columns: 2, storage: [0, 0, 1, 0, 0.5, 0.5, -1, 1])
        return ValuationProblem(train: train, trainLabels: [0, 1, 0, 2, 1, 1, 0, 2], validation: validation,
                                validationLabels: [0, 1, 1, 2], classCount: 3, seed: 1, workers: workers)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 10])
    func equalsShapleyByEnumerationWithTies(k: Int) async throws {
        let problem = Self.tiedProblem()
        let final = try await KNNShapley(neighbors: k).finalUpdate(problem)
        let expected = Self.enumeratedShapley(problem, k: k)
        #expect(final.stop == .completed)
        #expect(final.done == 4 && final.total == 4 && final.unit == "validation points")
        #expect(LinearFixtures.maxAbsDifference(final.estimate.values, expected) < 1e-9)
        // Efficiency: the values sum to the mean utility of all rows (U(∅) = 0).
        let all = (0..<4).map { t in
            Self.utility(Array(0..<8), x: problem.train, y: problem.trainLabels, target: problem.validation.row(t),
                         label: problem.validationLabels[t], k: k)
        }
        let total: Double = final.estimate.values.reduce(0, +)
        let meanUtility: Double = all.reduce(0, +) / 4
        #expect(abs(total - meanUtility) < 1e-12)
    }

    @Test func equalsEnumerationOnRandomData() async throws {
        let (x, y) = LinearFixtures.blobs(n: 12, d: 3, classes: 2, separation: 0.7, seed: 21)
        let problem = ValuationProblem(train: x.selecting(rows: Array(0..<7)), trainLabels: Array(y[0..<7]),
                                       validation: x.selecting(rows: Array(7..<12)), validationLabels: Array(y[7..<12]),
                                       classCount: 2, seed: 1, workers: 2)
        let final = try await KNNShapley(neighbors: 3).finalUpdate(problem)
        #expect(LinearFixtures.maxAbsDifference(final.estimate.values, Self.enumeratedShapley(problem, k: 3)) < 1e-9)
    }

    @Test func oneAndTwoWorkersGiveIdenticalValues() async throws {
        let (x, y) = LinearFixtures.blobs(n: 330, d: 4, classes: 3, seed: 22)
        func problem(_ workers: Int) -> ValuationProblem {
            ValuationProblem(train: x.selecting(rows: Array(0..<150)), trainLabels: Array(y[0..<150]),
                             validation: x.selecting(rows: Array(150..<330)), validationLabels: Array(y[150..<330]),
                             classCount: 3, seed: 5, workers: workers)
        }
        let one = try await KNNShapley().finalUpdate(problem(1))
        let two = try await KNNShapley().finalUpdate(problem(2))
        #expect(one.estimate.values == two.estimate.values)
        #expect(one.done == 180)
    }

    @Test func catalogListsItWithParameterK() throws {
        let method = try #require(MethodCatalog.method("knn-shapley"))
        var parameters = method.defaults
        #expect(parameters[KNNShapley.k] == 10)
        try parameters.set("k", "3")
        #expect((try method.make(parameters) as? KNNShapley)?.neighbors == 3)
        #expect(throws: InputError.self) { try parameters.set("k", "0") }
    }

    /// Σ_t s_t(i) computed plainly: each distance by `VectorKernels.squaredDistance`, a
    /// comparison sort by (distance, row), the recursion as the paper writes it.
    static func plainSums(_ problem: ValuationProblem, points: Range<Int>, k: Int) -> [Double] {
        let n = problem.count, d = problem.train.columns
        var sums = [Double](repeating: 0, count: n)
        for t in points {
            let distances = problem.train.storage.withUnsafeBufferPointer { xs in
                problem.validation.storage.withUnsafeBufferPointer { vs in
                    (0..<n).map { VectorKernels.squaredDistance(xs.baseAddress! + $0 * d, vs.baseAddress! + t * d, d) }
                }
            }
            let order = (0..<n).sorted { (distances[$0], $0) < (distances[$1], $1) }
            let yt = problem.validationLabels[t]
            var nextMatch = problem.trainLabels[order[n - 1]] == yt ? 1.0 : 0.0
            var value = nextMatch / Double(n)
            sums[order[n - 1]] += value
            for i in stride(from: n - 1, through: 1, by: -1) {
                let match = problem.trainLabels[order[i - 1]] == yt ? 1.0 : 0.0
                value += (match - nextMatch) / Double(k) * (Double(min(k, i)) / Double(i))
                sums[order[i - 1]] += value
                nextMatch = match
            }
        }
        return sums
    }

    @Test(arguments: [
        // (valued rows, features, validation points, kind of data)
        (300, 5, 11, "blobs"), (257, 3, 9, "grid"), (200, 7, 6, "near ties"), (90, 50, 5, "blobs"), (1, 4, 3, "blobs"),
    ])
    func tiledOrderAndRecursionEqualThePlainComputationBitForBit(n: Int, d: Int, points: Int, kind: String) {
        var g = SeededGenerator(seed: UInt64(n + d))
        var x = LinearFixtures.blobs(n: n + points, d: d, classes: 3, seed: UInt64(d)).x.storage
        switch kind {
        case "grid":
            // Small integers: many exactly equal distances (ties settled by row).
            x = x.map { ($0 * 2).rounded() }
        case "near ties":
            // Distances equal in their upper bits but not in their last ones, in runs longer
            // than the insertion-sort limit: every row a tiny step from one of two points.
            for r in 0..<(n + points) {
                for j in 0..<d {
                    x[r * d + j] = Double(r % 2) + Double(g.nextInt(below: 40)) * 0x1p-40
                }
            }
        default:
            break
        }
        let labels = (0..<(n + points)).map { _ in g.nextInt(below: 3) }
        let all = Matrix(rows: n + points, columns: d, storage: x)
        let problem = ValuationProblem(train: all.selecting(rows: Array(0..<n)), trainLabels: Array(labels[0..<n]),
                                       validation: all.selecting(rows: Array(n..<(n + points))),
                                       validationLabels: Array(labels[n...]), classCount: 3, seed: 1, workers: 1)
        for k in [1, 3, 10] {
            let fast = KNNShapley.partialSums(problem, validationRows: 1..<points, neighbors: k)
            let plain = Self.plainSums(problem, points: 1..<points, k: k)
            #expect(fast.map(\.bitPattern) == plain.map(\.bitPattern), "k = \(k), \(kind)")
        }
        // The order itself, tile by tile, against a comparison sort (and the match flags).
        var order = NeighbourOrder(rows: problem.train)
        problem.trainLabels.withUnsafeBufferPointer { y in
            for first in stride(from: 0, to: points, by: order.tileSize) {
                let tile = first..<min(first + order.tileSize, points)
                order.computeTile(problem.validation, points: tile)
                for (q, t) in tile.enumerated() {
                    order.order(query: q, labels: y, label: problem.validationLabels[t])
                    // Four sums by j mod 4, the tail in the first, as VectorKernels adds them.
                    var distances = [Double]()
                    for i in 0..<n {
                        var lanes: [Double] = [0, 0, 0, 0]
                        for j in 0..<d {
                            let e = problem.train[i, j] - problem.validation[t, j]
                            lanes[j < d / 4 * 4 ? j % 4 : 0] += e * e
                        }
                        distances.append((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
                    }
                    let expected = (0..<n).sorted { (distances[$0], $0) < (distances[$1], $1) }
                    #expect(order.words.map { Int($0 & 0x7FFF_FFFF) } == expected)
                    #expect(order.words.allSatisfy { ($0 >> 31 & 1 == 1) == (y[Int($0 & 0x7FFF_FFFF)] == problem.validationLabels[t]) })
                }
            }
        }
    }

    @Test func tilesHoldSeveralPointsAndStayWithinTheirMemory() {
        #expect(NeighbourOrder.tileSize(rows: 160_000) == 24)
        #expect(NeighbourOrder.tileSize(rows: 1000) == 64)
        #expect(NeighbourOrder.tileSize(rows: 10_000_000) == 4)
        #expect(NeighbourOrder(rows: Matrix(rows: 1000, columns: 2)).tileSize == 64)
    }
}
