import Foundation

/// A small fully connected network: dense layers with ReLU between them and a chosen
/// activation on the output, run on a batch of rows at a time.
///
/// Layer l maps widths[l] inputs to widths[l+1] outputs: A_l = act(A_{l−1} W_lᵀ + b_l), with
/// ReLU on every layer but the last, which uses `outputActivation`. All parameters live in one
/// contiguous array, layer by layer: W_l (widths[l+1] × widths[l], row-major, one row per
/// output unit) then b_l. Gradients use the same layout, so an optimiser can treat the network
/// as one flat vector.
///
/// `forward` keeps every layer's activations in a `Workspace` allocated once for a maximum
/// batch size; `backward` then turns dLoss/dOutput into the parameter gradient (and, if asked,
/// dLoss/dInput, for networks stacked on other networks) without allocating.
struct MultilayerPerceptron: Sendable {
    /// The nonlinearity of a layer.
    enum Activation: Sendable {
        /// max(z, 0).
        case relu
        /// 1 / (1 + e^(−z)), in (0, 1).
        case sigmoid
        /// z.
        case identity
    }

    /// Input width, then the width of each layer: at least two entries, all ≥ 1.
    let widths: [Int]
    /// The activation of the last layer (the others use ReLU).
    let outputActivation: Activation
    /// W_1, b_1, W_2, b_2, … (see the type's documentation).
    var parameters: [Double]

    /// A network with Glorot-uniform weights, U(−a, a) with a = √(6 / (fan_in + fan_out)), drawn
    /// from `generator` layer by layer, and zero biases (the initialisation of TensorFlow's
    /// dense layers, which the DVRL reference uses).
    init(widths: [Int], outputActivation: Activation, generator: inout SeededGenerator) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 >= 1 }, "need an input and at least one layer")
        self.widths = widths
        self.outputActivation = outputActivation
        var parameters = [Double]()
        for l in 0..<(widths.count - 1) {
            let fanIn = widths[l], fanOut = widths[l + 1]
            let a = (6 / Double(fanIn + fanOut)).squareRoot()
            for _ in 0..<(fanIn * fanOut) { parameters.append((2 * generator.nextUnit() - 1) * a) }
            parameters.append(contentsOf: repeatElement(0, count: fanOut))
        }
        self.parameters = parameters
    }

    /// A network with the given parameters, laid out as `parameters` documents.
    init(widths: [Int], outputActivation: Activation, parameters: [Double]) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 >= 1 }, "need an input and at least one layer")
        precondition(parameters.count == (0..<(widths.count - 1)).reduce(0) { $0 + (widths[$1] + 1) * widths[$1 + 1] })
        self.widths = widths
        self.outputActivation = outputActivation
        self.parameters = parameters
    }

    /// Number of layers (weight matrices).
    var layerCount: Int { widths.count - 1 }
    /// Width of the input.
    var inputWidth: Int { widths[0] }
    /// Width of the output.
    var outputWidth: Int { widths[widths.count - 1] }

    /// Offset of W_l (l in 1...layerCount) in `parameters`; b_l follows it.
    func weightOffset(layer l: Int) -> Int {
        var offset = 0
        for k in 0..<(l - 1) { offset += (widths[k] + 1) * widths[k + 1] }
        return offset
    }

    /// Scratch for `forward` and `backward` on up to `capacity` rows: every layer's activations
    /// (the input included) and two buffers of per-unit gradients.
    struct Workspace {
        /// Largest batch it holds.
        let capacity: Int
        /// A_0 (the input), A_1, …, A_L, each capacity × widths[l], one after the other.
        var activations: [Double]
        /// Offset of A_l in `activations`.
        let activationOffsets: [Int]
        /// Two capacity × max-width buffers for back-propagated gradients.
        var deltas: [Double]
        /// One layer's weights transposed (input-major), for the forward pass.
        var transposed: [Double]
        /// Rows in the last forward pass.
        fileprivate(set) var rows = 0

        init(for network: MultilayerPerceptron, capacity: Int) {
            precondition(capacity >= 1)
            self.capacity = capacity
            var offsets = [0]
            for w in network.widths { offsets.append(offsets[offsets.count - 1] + capacity * w) }
            activations = [Double](repeating: 0, count: offsets.removeLast())
            activationOffsets = offsets
            deltas = [Double](repeating: 0, count: 2 * capacity * (network.widths.max() ?? 1))
            transposed = [Double](repeating: 0, count: (0..<network.layerCount).map { network.widths[$0] * network.widths[$0 + 1] }.max() ?? 0)
        }

        /// The network's output of the last forward pass: rows × output width, row-major.
        func output(_ network: MultilayerPerceptron) -> ArraySlice<Double> {
            let start = activationOffsets[network.layerCount]
            return activations[start..<(start + rows * network.outputWidth)]
        }
    }

    /// Runs `rows` input rows (`input`: rows × input width, row-major) through the network;
    /// every layer's activations are left in `workspace` (output: `workspace.output(self)`).
    func forward(_ input: UnsafeBufferPointer<Double>, rows: Int, workspace: inout Workspace) {
        precondition(rows <= workspace.capacity && input.count >= rows * inputWidth)
        workspace.rows = rows
        let offsets = workspace.activationOffsets
        parameters.withUnsafeBufferPointer { parameters in
            workspace.activations.withUnsafeMutableBufferPointer { activations in
              workspace.transposed.withUnsafeMutableBufferPointer { transposed in
                let a = activations.baseAddress!, transposed = transposed.baseAddress!
                (a + offsets[0]).update(from: input.baseAddress!, count: rows * inputWidth)
                var offset = 0
                for l in 1...layerCount {
                    let fanIn = widths[l - 1], fanOut = widths[l]
                    let w = parameters.baseAddress! + offset, b = w + fanIn * fanOut
                    let previous = a + offsets[l - 1], current = a + offsets[l]
                    // z = b + Σ_i x_i W_l[:, i] over the nonzero inputs (ReLU leaves about half of
                    // them 0), one contiguous axpy each on Wᵀ.
                    for o in 0..<fanOut {
                        for i in 0..<fanIn { transposed[i * fanOut + o] = w[o * fanIn + i] }
                    }
                    for r in 0..<rows {
                        let x = previous + r * fanIn, z = current + r * fanOut
                        z.update(from: b, count: fanOut)
                        for i in 0..<fanIn where x[i] != 0 { VectorKernels.axpy(x[i], transposed + i * fanOut, z, fanOut) }
                    }
                    let out = UnsafeMutableBufferPointer(start: current, count: rows * fanOut)
                    switch l == layerCount ? outputActivation : .relu {
                    case .relu: for k in out.indices where out[k] < 0 { out[k] = 0 }
                    case .sigmoid: for k in out.indices { out[k] = 1 / (1 + exp(-out[k])) }
                    case .identity: break
                    }
                    offset += (fanIn + 1) * fanOut
                }
              }
            }
        }
    }

    /// Back-propagates through the last `forward` pass.
    ///
    /// - Parameters:
    ///   - outputGradient: dLoss/dOutput, rows × output width (the rows of the forward pass).
    ///   - workspace: the workspace `forward` filled.
    ///   - gradient: dLoss/dParameters is *added* here (count = `parameters.count`), so the
    ///     caller zeroes it, or sums several passes.
    ///   - inputGradient: if given (rows × input width), receives dLoss/dInput.
    func backward(outputGradient: UnsafeBufferPointer<Double>, workspace: inout Workspace,
                  gradient: UnsafeMutableBufferPointer<Double>, inputGradient: UnsafeMutableBufferPointer<Double>? = nil) {
        let rows = workspace.rows
        precondition(outputGradient.count >= rows * outputWidth && gradient.count == parameters.count)
        let offsets = workspace.activationOffsets, half = workspace.capacity * (widths.max() ?? 1)
        parameters.withUnsafeBufferPointer { parameters in
            workspace.activations.withUnsafeBufferPointer { activations in
                workspace.deltas.withUnsafeMutableBufferPointer { deltas in
                    let a = activations.baseAddress!, g = gradient.baseAddress!
                    var delta = deltas.baseAddress!, spare = delta + half
                    delta.update(from: outputGradient.baseAddress!, count: rows * outputWidth)
                    for l in stride(from: layerCount, through: 1, by: -1) {
                        let fanIn = widths[l - 1], fanOut = widths[l]
                        let offset = weightOffset(layer: l)
                        let w = parameters.baseAddress! + offset
                        let gw = g + offset, gb = gw + fanIn * fanOut
                        let output = a + offsets[l], input = a + offsets[l - 1]
                        // dLoss/dz = dLoss/dA ⊙ act′(z), written from the stored activations.
                        switch l == layerCount ? outputActivation : .relu {
                        case .relu:
                            for k in 0..<(rows * fanOut) where output[k] <= 0 { delta[k] = 0 }
                        case .sigmoid:
                            for k in 0..<(rows * fanOut) { delta[k] *= output[k] * (1 - output[k]) }
                        case .identity:
                            break
                        }
                        for r in 0..<rows {
                            let d = delta + r * fanOut, x = input + r * fanIn
                            for o in 0..<fanOut where d[o] != 0 {
                                VectorKernels.axpy(d[o], x, gw + o * fanIn, fanIn)
                                gb[o] += d[o]
                            }
                        }
                        let target: UnsafeMutablePointer<Double>?
                        if l > 1 { target = spare } else { target = inputGradient?.baseAddress }
                        guard let target else { break }
                        target.update(repeating: 0, count: rows * fanIn)
                        for r in 0..<rows {
                            let d = delta + r * fanOut, t = target + r * fanIn
                            for o in 0..<fanOut where d[o] != 0 { VectorKernels.axpy(d[o], w + o * fanIn, t, fanIn) }
                        }
                        swap(&delta, &spare)
                    }
                }
            }
        }
    }

    /// The network's output tangent along a parameter direction: for each row of the last
    /// `forward` pass, J v, where J = ∂output/∂parameters at that row (forward-mode
    /// differentiation, the input held fixed).
    ///
    /// Layer by layer, with t_0 = 0 and V_l, c_l the direction's parts for W_l, b_l:
    /// ṫz_l = V_l a_{l−1} + W_l t_{l−1} + c_l, t_l = act′(z_l) ⊙ ṫz_l (ReLU's derivative read
    /// from the stored activation, 1 where it is positive). So for any per-row output gradient
    /// r, r·(J v) = (Jᵀ r)·v: the dot product of the row's parameter gradient with v, without
    /// forming that gradient. Costs about two forward passes; uses `workspace`'s delta buffers
    /// as scratch (a later `backward` does not need them).
    ///
    /// - Parameters:
    ///   - direction: a vector laid out like `parameters`.
    ///   - workspace: the workspace `forward` filled.
    ///   - tangent: receives rows × output width values, row-major.
    func tangent(along direction: UnsafePointer<Double>, workspace: inout Workspace,
                 into tangent: UnsafeMutablePointer<Double>) {
        let rows = workspace.rows
        let offsets = workspace.activationOffsets, half = workspace.capacity * (widths.max() ?? 1)
        parameters.withUnsafeBufferPointer { parameters in
            workspace.activations.withUnsafeBufferPointer { activations in
                workspace.deltas.withUnsafeMutableBufferPointer { deltas in
                    let a = activations.baseAddress!
                    var previous = deltas.baseAddress!, current = previous + half
                    var offset = 0
                    for l in 1...layerCount {
                        let fanIn = widths[l - 1], fanOut = widths[l]
                        let w = parameters.baseAddress! + offset, v = direction + offset
                        let input = a + offsets[l - 1], output = a + offsets[l]
                        let target = l == layerCount ? tangent : current
                        for r in 0..<rows {
                            let x = input + r * fanIn, t = previous + r * fanIn, z = target + r * fanOut
                            for o in 0..<fanOut {
                                var sum = v[fanIn * fanOut + o] + VectorKernels.dot(v + o * fanIn, x, fanIn)
                                if l > 1 { sum += VectorKernels.dot(w + o * fanIn, t, fanIn) }
                                z[o] = sum
                            }
                        }
                        let out = output, count = rows * fanOut
                        switch l == layerCount ? outputActivation : .relu {
                        case .relu: for k in 0..<count where out[k] <= 0 { target[k] = 0 }
                        case .sigmoid: for k in 0..<count { target[k] *= out[k] * (1 - out[k]) }
                        case .identity: break
                        }
                        offset += (fanIn + 1) * fanOut
                        swap(&previous, &current)
                    }
                }
            }
        }
    }
}
