import Foundation
import Testing
@testable import WorthEngine

@Suite struct MultilayerPerceptronTests {
    /// Central finite difference of `f` along parameter k of `theta`.
    static func numericDerivative(_ theta: [Double], _ k: Int, step: Double = 1e-6, _ f: ([Double]) -> Double) -> Double {
        var plus = theta, minus = theta
        plus[k] += step
        minus[k] -= step
        return (f(plus) - f(minus)) / (2 * step)
    }

    static func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout SeededGenerator) -> [Double] {
        (0..<(rows * columns)).map { _ in LinearFixtures.gaussian(&g) }
    }

    @Test(arguments: [MultilayerPerceptron.Activation.sigmoid, .identity, .relu])
    func backwardMatchesFiniteDifferences(output: MultilayerPerceptron.Activation) {
        var g = SeededGenerator(seed: 11)
        let network = MultilayerPerceptron(widths: [4, 6, 5, 2], outputActivation: output, generator: &g)
        let rows = 7
        let input = Self.randomMatrix(rows, 4, &g)
        // Loss = Σ c ⊙ output for fixed random c, so dLoss/dOutput = c.
        let c = Self.randomMatrix(rows, 2, &g)
        var workspace = MultilayerPerceptron.Workspace(for: network, capacity: 10)
        func loss(_ theta: [Double], _ x: [Double]) -> Double {
            var net = network
            net.parameters = theta
            var w = MultilayerPerceptron.Workspace(for: net, capacity: 10)
            x.withUnsafeBufferPointer { net.forward($0, rows: rows, workspace: &w) }
            return zip(w.output(net), c).map { $0 * $1 }.reduce(0, +)
        }
        input.withUnsafeBufferPointer { network.forward($0, rows: rows, workspace: &workspace) }
        var gradient = [Double](repeating: 0, count: network.parameters.count)
        var inputGradient = [Double](repeating: 0, count: rows * 4)
        c.withUnsafeBufferPointer { c in
            gradient.withUnsafeMutableBufferPointer { gr in
                inputGradient.withUnsafeMutableBufferPointer {
                    network.backward(outputGradient: c, workspace: &workspace, gradient: gr, inputGradient: $0)
                }
            }
        }
        for k in network.parameters.indices {
            let numeric = Self.numericDerivative(network.parameters, k) { loss($0, input) }
            #expect(abs(numeric - gradient[k]) < 1e-6 * max(1, abs(numeric)), "parameter \(k)")
        }
        for k in input.indices {
            let numeric = Self.numericDerivative(input, k) { loss(network.parameters, $0) }
            #expect(abs(numeric - inputGradient[k]) < 1e-6 * max(1, abs(numeric)), "input \(k)")
        }
    }

    @Test(arguments: [MultilayerPerceptron.Activation.sigmoid, .identity, .relu])
    func tangentIsTheOutputsDerivativeAlongADirection(output: MultilayerPerceptron.Activation) {
        var g = SeededGenerator(seed: 17)
        let network = MultilayerPerceptron(widths: [4, 6, 5, 3], outputActivation: output, generator: &g)
        let rows = 6
        let input = Self.randomMatrix(rows, 4, &g)
        let direction = Self.randomMatrix(1, network.parameters.count, &g)
        var workspace = MultilayerPerceptron.Workspace(for: network, capacity: 8)
        input.withUnsafeBufferPointer { network.forward($0, rows: rows, workspace: &workspace) }
        var tangent = [Double](repeating: 0, count: rows * 3)
        direction.withUnsafeBufferPointer { v in
            tangent.withUnsafeMutableBufferPointer { network.tangent(along: v.baseAddress!, workspace: &workspace, into: $0.baseAddress!) }
        }
        // Against the output's central difference along the direction.
        func outputs(_ t: Double) -> [Double] {
            let net = MultilayerPerceptron(widths: network.widths, outputActivation: output,
                                           parameters: zip(network.parameters, direction).map { $0 + t * $1 })
            var w = MultilayerPerceptron.Workspace(for: net, capacity: 8)
            input.withUnsafeBufferPointer { net.forward($0, rows: rows, workspace: &w) }
            return Array(w.output(net))
        }
        let step = 1e-6
        let numeric = zip(outputs(step), outputs(-step)).map { ($0 - $1) / (2 * step) }
        #expect(LinearFixtures.maxAbsDifference(numeric, tangent) < 1e-6 * max(1, numeric.map(abs).max()!))
        // And exactly the adjoint of backward: r·(J v) = (Jᵀ r)·v.
        let r = Self.randomMatrix(rows, 3, &g)
        var gradient = [Double](repeating: 0, count: network.parameters.count)
        r.withUnsafeBufferPointer { r in
            gradient.withUnsafeMutableBufferPointer { network.backward(outputGradient: r, workspace: &workspace, gradient: $0) }
        }
        let forwardMode = zip(r, tangent).reduce(0) { $0 + $1.0 * $1.1 }
        let reverseMode = zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(forwardMode - reverseMode) <= 1e-12 * max(1, abs(reverseMode)))
    }

    @Test func backwardAddsToTheGradient() {
        var g = SeededGenerator(seed: 2)
        let network = MultilayerPerceptron(widths: [3, 4, 1], outputActivation: .sigmoid, generator: &g)
        let input = Self.randomMatrix(5, 3, &g)
        var workspace = MultilayerPerceptron.Workspace(for: network, capacity: 5)
        input.withUnsafeBufferPointer { network.forward($0, rows: 5, workspace: &workspace) }
        let ones = [Double](repeating: 1, count: 5)
        var once = [Double](repeating: 0, count: network.parameters.count)
        var twice = once
        ones.withUnsafeBufferPointer { o in
            once.withUnsafeMutableBufferPointer { network.backward(outputGradient: o, workspace: &workspace, gradient: $0) }
            twice.withUnsafeMutableBufferPointer { t in
                network.backward(outputGradient: o, workspace: &workspace, gradient: t)
                network.backward(outputGradient: o, workspace: &workspace, gradient: t)
            }
        }
        #expect(LinearFixtures.maxAbsDifference(twice, once.map { 2 * $0 }) < 1e-15)
        #expect(once.contains { $0 != 0 })
    }

    @Test func initialisationIsGlorotUniformWithZeroBiases() {
        var g = SeededGenerator(seed: 9)
        let network = MultilayerPerceptron(widths: [20, 30, 1], outputActivation: .sigmoid, generator: &g)
        let bound1 = (6.0 / 50).squareRoot(), bound2 = (6.0 / 31).squareRoot()
        let w1 = network.parameters[0..<600], b1 = network.parameters[600..<630]
        let w2 = network.parameters[630..<660], b2 = network.parameters[660...]
        #expect(network.weightOffset(layer: 2) == 630 && network.parameters.count == 661)
        #expect(w1.allSatisfy { abs($0) < bound1 } && w1.max()! > 0.8 * bound1 && w1.min()! < -0.8 * bound1)
        #expect(w2.allSatisfy { abs($0) < bound2 })
        #expect(b1.allSatisfy { $0 == 0 } && b2.allSatisfy { $0 == 0 })
    }
}
