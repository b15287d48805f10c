import Foundation
import Testing
@testable import WorthEngine

@Suite struct InRunShapleyTests {
    /// A small softmax problem: `b` batch rows and `m` validation rows in `d` features, `k`
    /// classes, and a non-zero θ so the probabilities are not uniform.
    struct Step {
        let d: Int, k: Int
        let x: [Double], labels: [Int]
        let vx: [Double], vlabels: [Int]
        let theta: [Double]

        init(b: Int, m: Int, d: Int, k: Int, seed: UInt64) {
            self.d = d
            self.k = k
            var g = SeededGenerator(seed: seed)
            x = (0..<(b * d)).map { _ in LinearFixtures.gaussian(&g) }
            labels = (0..<b).map { _ in g.nextInt(below: k) }
            vx = (0..<(m * d)).map { _ in LinearFixtures.gaussian(&g) }
            vlabels = (0..<m).map { _ in g.nextInt(below: k) }
            theta = (0..<(k * (d + 1))).map { _ in 0.7 * LinearFixtures.gaussian(&g) }
        }

        var b: Int { labels.count }
        var m: Int { vlabels.count }

        /// Softmax probabilities of row `row` of `x` under `theta`.
        func probabilities(_ theta: [Double], _ x: [Double], _ row: Int) -> [Double] {
            let z = (0..<k).map { c in
                (0..<d).reduce(theta[c * (d + 1) + d]) { $0 + theta[c * (d + 1) + $1] * x[row * d + $1] }
            }
            let top = z.max()!
            let e = z.map { exp($0 - top) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }

        /// Mean validation cross-entropy at `theta`.
        func validationLoss(_ theta: [Double]) -> Double {
            (0..<m).reduce(0) { $0 - log(probabilities(theta, vx, $1)[vlabels[$1]]) } / Double(m)
        }

        /// ĝ_i = (η/b)(p_i − e_y) ⊗ x̃_i, written out.
        func stepOf(_ i: Int, eta: Double) -> [Double] {
            let p = probabilities(theta, x, i)
            var g = [Double](repeating: 0, count: k * (d + 1))
            for c in 0..<k {
                let r = (p[c] - (labels[i] == c ? 1 : 0)) * eta / Double(b)
                for j in 0..<d { g[c * (d + 1) + j] = r * x[i * d + j] }
                g[c * (d + 1) + d] = r
            }
            return g
        }

        /// ∇L_val and the full Hessian of L_val at θ, from the textbook formulas.
        func validationGradientAndHessian() -> ([Double], [[Double]]) {
            let q = d + 1, n = k * q
            var grad = [Double](repeating: 0, count: n)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for v in 0..<m {
                let p = probabilities(theta, vx, v)
                let xt = (0..<d).map { vx[v * d + $0] } + [1]
                for a in 0..<k {
                    for j in 0..<q { grad[a * q + j] += (p[a] - (vlabels[v] == a ? 1 : 0)) * xt[j] / Double(m) }
                    for c in 0..<k {
                        let w = p[a] * ((a == c ? 1 : 0) - p[c])
                        for i in 0..<q { for j in 0..<q { hessian[a * q + i][c * q + j] += w * xt[i] * xt[j] / Double(m) } }
                    }
                }
            }
            return (grad, hessian)
        }

        /// The engine's step: per-row values and θ after it.
        func engineStep(eta: Double, order: InRunShapley.Order) -> (values: [Double], theta: [Double]) {
            InRunShapleyTests.step(InRunSoftmaxTrainer(features: d, classes: k, theta: theta),
                                   x: x, labels: labels, vx: vx, vlabels: vlabels, eta: eta, order: order)
        }
    }

    /// One step of `trainer` on every row of `x` with every row of `vx` as the validation
    /// window: the per-row values and θ after it.
    static func step(_ trainer: InRunTrainer, x: [Double], labels: [Int], vx: [Double], vlabels: [Int],
                     eta: Double, order: InRunShapley.Order) -> (values: [Double], theta: [Double]) {
        var values = [Double](repeating: 0, count: labels.count)
        let batch = Array(0..<labels.count), rows = Array(0..<vlabels.count)
        batch.withUnsafeBufferPointer { batch in
            rows.withUnsafeBufferPointer { rows in
                x.withUnsafeBufferPointer { x in
                    vx.withUnsafeBufferPointer { vx in
                        values.withUnsafeMutableBufferPointer { values in
                            trainer.step(batch: batch, train: (x.baseAddress!, labels),
                                         validation: (vx.baseAddress!, vlabels, rows),
                                         learningRate: eta, order: order, values: values.baseAddress!)
                        }
                    }
                }
            }
        }
        return (values, trainer.theta)
    }

    /// Exact Shapley values of `game` over `players` players by enumerating every subset.
    static func shapley(players: Int, _ game: ([Int]) -> Double) -> [Double] {
        var factorial = [1.0]
        for i in 1...players { factorial.append(factorial[i - 1] * Double(i)) }
        var phi = [Double](repeating: 0, count: players)
        for mask in 0..<(1 << players) {
            let members = (0..<players).filter { mask & (1 << $0) != 0 }
            let value = game(members)
            for i in 0..<players where mask & (1 << i) == 0 {
                let weight = factorial[members.count] * factorial[players - members.count - 1] / factorial[players]
                phi[i] += weight * (game(members + [i]) - value)
            }
        }
        return phi
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test(arguments: [InRunShapley.Order.first, .second])
    func stepValuesAreTheExactShapleyValuesOfTheTaylorGame(order: InRunShapley.Order) {
        let step = Step(b: 6, m: 7, d: 3, k: 3, seed: 11)
        let eta = 0.8
        let (grad, hessian) = step.validationGradientAndHessian()
        let steps = (0..<step.b).map { step.stepOf($0, eta: eta) }
        func taylor(_ members: [Int]) -> Double {
            var g = [Double](repeating: 0, count: grad.count)
            for i in members { for j in g.indices { g[j] += steps[i][j] } }
            let first = Self.dot(grad, g)
            guard order == .second else { return first }
            let hg = hessian.map { Self.dot($0, g) }
            return first - 0.5 * Self.dot(g, hg)
        }
        let exact = Self.shapley(players: step.b, taylor)
        let (values, theta) = step.engineStep(eta: eta, order: order)
        let scale = exact.map(abs).max()!
        #expect(scale > 1e-3)
        #expect(LinearFixtures.maxAbsDifference(values, exact) <= 1e-9 * scale)
        // Efficiency: the values share out the game's value of the whole batch.
        #expect(abs(values.reduce(0, +) - taylor(Array(0..<step.b))) <= 1e-9 * scale)
        // The step moved θ by the batch's summed ĝ.
        let total = (0..<theta.count).map { j in steps.reduce(0) { $0 + $1[j] } }
        #expect(LinearFixtures.maxAbsDifference(theta, zip(step.theta, total).map { $0 - $1 }) <= 1e-12)
    }

    @Test func secondOrderTracksTheTrueLossDropBetterThanFirstOrder() {
        let step = Step(b: 5, m: 9, d: 4, k: 3, seed: 5)
        let eta = 0.5
        let steps = (0..<step.b).map { step.stepOf($0, eta: eta) }
        let total = (0..<step.theta.count).map { j in steps.reduce(0) { $0 + $1[j] } }
        let after = zip(step.theta, total).map { $0 - $1 }
        let drop = step.validationLoss(step.theta) - step.validationLoss(after)
        let first = step.engineStep(eta: eta, order: .first).values.reduce(0, +)
        let second = step.engineStep(eta: eta, order: .second).values.reduce(0, +)
        #expect(abs(second - drop) < 0.2 * abs(first - drop))
    }

    @Test func validationWindowsWalkEveryRowEquallyOften() {
        let (x, y) = LinearFixtures.blobs(n: 12, d: 2, classes: 2, seed: 1)
        let problem = ValuationProblem(train: x, trainLabels: y, validation: x, validationLabels: y,
                                       classCount: 2, seed: 3, workers: 1)
        var state = InRunState(problem: problem, run: 0, validationRowsPerStep: 5, theta: [])
        #expect(state.validationOrder.sorted() == Array(0..<12))
        var seen = [Int](repeating: 0, count: 12)
        var window = [Int](repeating: 0, count: 5)
        for _ in 0..<12 {  // 60 draws = 5 full passes
            state.nextValidationWindow(into: &window)
            for v in window { seen[v] += 1 }
        }
        #expect(seen == [Int](repeating: 5, count: 12))
        // All rows fit: every window is the whole set in order.
        var whole = InRunState(problem: problem, run: 0, validationRowsPerStep: nil, theta: [])
        var all = [Int](repeating: 0, count: 12)
        whole.nextValidationWindow(into: &all)
        #expect(all == Array(0..<12))
    }

    /// 120 rows in 4 features, 3 classes, 12 labels moved to another class.
    static func noisyProblem(workers: Int) -> (ValuationProblem, [Bool]) {
        let (x, clean) = LinearFixtures.blobs(n: 120, d: 4, classes: 3, separation: 2, seed: 21)
        let (vx, vy) = LinearFixtures.blobs(n: 45, d: 4, classes: 3, separation: 2, seed: 22)
        var y = clean
        var flipped = [Bool](repeating: false, count: 120)
        for i in stride(from: 3, to: 120, by: 10) {
            y[i] = (y[i] + 1) % 3
            flipped[i] = true
        }
        return (ValuationProblem(train: x, trainLabels: y, validation: vx, validationLabels: vy,
                                 classCount: 3, seed: 9, workers: workers), flipped)
    }

    @Test func findsFlippedLabelsAndReportsConvergence() async throws {
        let (problem, flipped) = Self.noisyProblem(workers: 2)
        let final = try await InRunShapley(epochs: 3, runs: 3, batchSize: 16).finalUpdate(problem)
        #expect(final.stop == .completed)
        #expect(final.done == 9 && final.total == 9)
        let detection = NoisyLabelDetection(values: final.estimate.values, flipped: flipped)
        #expect(detection.auroc > 0.95)
        let errors = try #require(final.estimate.standardErrors)
        #expect(errors.allSatisfy { $0.isFinite && $0 >= 0 } && errors.contains { $0 > 0 })
        // One rank correlation per epoch after the first, each in [-1, 1], the last one high.
        let series = try #require(final.convergence.first)
        #expect(series.history.map(\.done) == [6, 9])
        #expect(series.target == nil)  // no threshold: the runs end when their epochs are done
        #expect(series.history.allSatisfy { abs($0.value) <= 1 })
        #expect(try #require(series.current) > 0.8)
    }

    @Test func sameValuesOnOneAndTwoWorkers() async throws {
        let method = InRunShapley(epochs: 2, runs: 3, batchSize: 8, validationRowsPerStep: 10)
        let one = try await method.finalUpdate(Self.noisyProblem(workers: 1).0)
        let two = try await method.finalUpdate(Self.noisyProblem(workers: 2).0)
        #expect(one.estimate == two.estimate)
        #expect(one.convergence == two.convergence)
    }

    @Test func automaticLearningRateIsTheInverseOfTheLargestSecondMoment() {
        // Rows (±a, 0) and (0, ±c): Σ x̃x̃ᵀ/n = diag(a²/2, c²/2, 1), largest a²/2 for a² > 2.
        let rows: [[Double]] = [[3, 0], [-3, 0], [0, 1], [0, -1]]
        let x = Matrix(rows: 4, columns: 2, storage: rows.flatMap { $0 })
        let problem = ValuationProblem(train: x, trainLabels: [0, 1, 0, 1], validation: x, validationLabels: [0, 1, 0, 1],
                                       classCount: 2, seed: 0, workers: 1)
        #expect(abs(InRunShapley.automaticLearningRate(problem) - 1 / 4.5) < 1e-9)
    }

    @Test func automaticBatchSizeGrowsWithTheRowsWithinBounds() {
        #expect(InRunShapley.automaticBatchSize(rows: 400) == 32)
        #expect(InRunShapley.automaticBatchSize(rows: 800_000) == 266)
        #expect(InRunShapley.automaticBatchSize(rows: 10_000_000) == 1024)
    }

    @Test func refusesAProblemWithoutValidationRows() async {
        let (x, y) = LinearFixtures.blobs(n: 10, d: 2, classes: 2, seed: 1)
        let problem = ValuationProblem(train: x, trainLabels: y, validation: Matrix(rows: 0, columns: 2),
                                       validationLabels: [], classCount: 2, seed: 0, workers: 1)
        await #expect(throws: InputError.self) { try await InRunShapley().finalUpdate(problem) }
    }
}
