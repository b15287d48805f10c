import Foundation
import Testing
@testable import WorthEngine

@Suite struct InRunNetworkTrainerTests {
    /// A batch and a validation window for a network of widths [d, h, k].
    struct Step {
        let network: MultilayerPerceptron
        let x: [Double], labels: [Int]
        let vx: [Double], vlabels: [Int]

        init(b: Int, m: Int, widths: [Int], seed: UInt64) {
            var g = SeededGenerator(seed: seed)
            let d = widths[0], k = widths.last!
            network = MultilayerPerceptron(widths: widths, outputActivation: .identity, generator: &g)
            x = (0..<(b * d)).map { _ in LinearFixtures.gaussian(&g) }
            labels = (0..<b).map { _ in g.nextInt(below: k) }
            vx = (0..<(m * d)).map { _ in LinearFixtures.gaussian(&g) }
            vlabels = (0..<m).map { _ in g.nextInt(below: k) }
        }

        var k: Int { network.outputWidth }

        /// Each row's softmax probabilities and Jacobian J (k × parameters, row-major) of the
        /// logits, the Jacobian written out one basis direction at a time.
        func jacobians(_ rows: [Double]) -> [(p: [Double], j: [Double])] {
            let n = rows.count / network.inputWidth, count = network.parameters.count
            var workspace = MultilayerPerceptron.Workspace(for: network, capacity: n)
            rows.withUnsafeBufferPointer { network.forward($0, rows: n, workspace: &workspace) }
            let logits = Array(workspace.output(network))
            var jacobians = [[Double]](repeating: [Double](repeating: 0, count: k * count), count: n)
            var tangent = [Double](repeating: 0, count: n * k)
            for j in 0..<count {
                var basis = [Double](repeating: 0, count: count)
                basis[j] = 1
                basis.withUnsafeBufferPointer { e in
                    tangent.withUnsafeMutableBufferPointer { network.tangent(along: e.baseAddress!, workspace: &workspace, into: $0.baseAddress!) }
                }
                for i in 0..<n { for c in 0..<k { jacobians[i][c * count + j] = tangent[i * k + c] } }
            }
            return (0..<n).map { i in
                let z = Array(logits[(i * k)..<((i + 1) * k)]), top = z.max()!
                let e = z.map { exp($0 - top) }, s = e.reduce(0, +)
                return (e.map { $0 / s }, jacobians[i])
            }
        }

        /// Jᵀ w for a k-vector w.
        func transposed(_ j: [Double], _ w: [Double]) -> [Double] {
            let count = network.parameters.count
            return (0..<count).map { q in (0..<k).reduce(0) { $0 + j[$1 * count + q] * w[$1] } }
        }

        /// The engine's step: per-row values and θ after it.
        func engineStep(eta: Double, order: InRunShapley.Order) -> (values: [Double], theta: [Double]) {
            let trainer = InRunNetworkTrainer(network: network, batchCapacity: labels.count, validationCapacity: vlabels.count)
            return InRunShapleyTests.step(trainer, x: x, labels: labels, vx: vx, vlabels: vlabels, eta: eta, order: order)
        }
    }

    @Test(arguments: [InRunShapley.Order.first, .second])
    func stepValuesAreTheExactShapleyValuesOfTheTaylorGame(order: InRunShapley.Order) {
        let step = Step(b: 6, m: 8, widths: [3, 4, 3], seed: 31)
        let eta = 0.7, b = Double(step.labels.count), m = Double(step.vlabels.count)
        let count = step.network.parameters.count, k = step.k
        // ∇L_val = (1/m) Σ J_vᵀ (p_v − e_y) and the Gauss–Newton H = (1/m) Σ J_vᵀ (diag p − p pᵀ) J_v.
        var grad = [Double](repeating: 0, count: count)
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
        for (v, (p, j)) in step.jacobians(step.vx).enumerated() {
            var r = p
            r[step.vlabels[v]] -= 1
            for (q, value) in step.transposed(j, r).enumerated() { grad[q] += value / m }
            for a in 0..<k {
                for c in 0..<k {
                    let w = p[a] * ((a == c ? 1 : 0) - p[c]) / m
                    guard w != 0 else { continue }
                    for q in 0..<count where j[a * count + q] != 0 {
                        for s in 0..<count { hessian[q][s] += w * j[a * count + q] * j[c * count + s] }
                    }
                }
            }
        }
        // ĝ_i = (η/b) J_iᵀ (p_i − e_y).
        let steps = step.jacobians(step.x).enumerated().map { i, pj in
            var r = pj.p
            r[step.labels[i]] -= 1
            return step.transposed(pj.j, r).map { $0 * eta / b }
        }
        func taylor(_ members: [Int]) -> Double {
            var g = [Double](repeating: 0, count: count)
            for i in members { for q in g.indices { g[q] += steps[i][q] } }
            let first = InRunShapleyTests.dot(grad, g)
            guard order == .second else { return first }
            return first - 0.5 * InRunShapleyTests.dot(g, hessian.map { InRunShapleyTests.dot($0, g) })
        }
        let exact = InRunShapleyTests.shapley(players: step.labels.count, taylor)
        let (values, theta) = step.engineStep(eta: eta, order: order)
        let scale = exact.map(abs).max()!
        #expect(scale > 1e-3)
        #expect(LinearFixtures.maxAbsDifference(values, exact) <= 1e-9 * scale)
        #expect(abs(values.reduce(0, +) - taylor(Array(0..<step.labels.count))) <= 1e-9 * scale)
        let total = (0..<count).map { q in steps.reduce(0) { $0 + $1[q] } }
        #expect(LinearFixtures.maxAbsDifference(theta, zip(step.network.parameters, total).map { $0 - $1 }) <= 1e-12)
    }

    @Test(arguments: [InRunShapley.Order.first, .second])
    func withoutAHiddenLayerItIsTheSoftmaxRegression(order: InRunShapley.Order) {
        let step = Step(b: 7, m: 9, widths: [4, 3], seed: 8)
        let d = 4, k = 3
        // The network's layout (W row by row, then b) in the softmax trainer's (per class: w, bias).
        let w = step.network.parameters
        var theta: [Double] = []
        for c in 0..<k {
            theta += w[(c * d)..<((c + 1) * d)]
            theta.append(w[k * d + c])
        }
        let softmax = InRunSoftmaxTrainer(features: d, classes: k, theta: theta)
        let expected = InRunShapleyTests.step(softmax, x: step.x, labels: step.labels, vx: step.vx, vlabels: step.vlabels, eta: 0.6, order: order)
        let network = step.engineStep(eta: 0.6, order: order)
        let scale = expected.values.map(abs).max()!
        #expect(LinearFixtures.maxAbsDifference(network.values, expected.values) <= 1e-12 * scale)
    }

    @Test func findsFlippedLabelsTheSameOnOneAndTwoWorkers() async throws {
        let method = InRunShapley(epochs: 3, runs: 3, batchSize: 16, model: .mlp, hiddenUnits: 8)
        let (problem, flipped) = InRunShapleyTests.noisyProblem(workers: 2)
        let two = try await method.finalUpdate(problem)
        #expect(two.stop == .completed)
        #expect(NoisyLabelDetection(values: two.estimate.values, flipped: flipped).auroc > 0.9)
        let one = try await method.finalUpdate(InRunShapleyTests.noisyProblem(workers: 1).0)
        #expect(one.estimate == two.estimate)
    }

    @Test func eachRunStartsFromItsOwnNetwork() {
        let (problem, _) = InRunShapleyTests.noisyProblem(workers: 1)
        let method = InRunShapley(model: .mlp, hiddenUnits: 5)
        let first = method.initialParameters(problem, run: 0), second = method.initialParameters(problem, run: 1)
        #expect(first.count == (4 + 1) * 5 + (5 + 1) * 3)
        #expect(first != second && first == method.initialParameters(problem, run: 0))
        #expect(InRunShapley().initialParameters(problem, run: 0).allSatisfy { $0 == 0 })
    }
}
