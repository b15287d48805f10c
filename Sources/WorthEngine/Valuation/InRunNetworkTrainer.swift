/// A one-hidden-layer ReLU network with a softmax output, trained by mini-batch gradient
/// descent and valuing each batch's rows as it steps (see `InRunShapley` for the game).
///
/// Everything a step needs is a parameter-space vector dotted with a row's parameter
/// gradient, and for the network that is the row's output gradient dotted with a tangent:
/// ∇ℓ_i·u = r_iᵀ (J_i u), with r_i = p_i − e_{y_i} and J_i u from one forward-mode pass
/// (`MultilayerPerceptron.tangent`). So no per-row gradient is ever formed:
///
/// - G_B = (η/b) Σ_i J_iᵀ r_i, one backward pass over the batch;
/// - ∇L_val = (1/m) Σ_v J_vᵀ r_v, one backward pass over the validation window;
/// - second order, H G_B with H the Gauss–Newton matrix of the validation loss,
///   (1/m) Σ_v J_vᵀ (diag p_v − p_v p_vᵀ) J_v G_B: one tangent and one backward pass. For a
///   network this is the Hessian less the terms of the layers' own curvature (which make the
///   true Hessian indefinite); it is symmetric and positive semi-definite, and for a network
///   without a hidden layer it is the Hessian, so the second-order game and its closed-form
///   Shapley values φ_i = ĝ_i·(∇L_val − ½ H G_B) are those of the softmax regression;
/// - φ_i = (η/b) r_iᵀ (J_i u) for u = ∇L_val − ½ H G_B, one tangent pass over the batch.
///
/// A step costs about seven forward passes' work over the batch and window together.
final class InRunNetworkTrainer: InRunTrainer {
    private var network: MultilayerPerceptron
    private var batchSpace: MultilayerPerceptron.Workspace
    private var validationSpace: MultilayerPerceptron.Workspace
    /// Gathered rows of the batch and of the validation window.
    private var batchRows: [Double]
    private var validationRows: [Double]
    /// Per-row output vectors: residuals, curvature terms, tangents.
    private var batchResiduals: [Double]
    private var validationResiduals: [Double]
    private var tangents: [Double]
    /// G_B, the validation gradient, and H G_B (then u).
    private var direction: [Double]
    private var gradient: [Double]
    private var curvature: [Double]

    var theta: [Double] { network.parameters }

    /// A trainer for `network` (output activation identity: its outputs are the logits) that
    /// takes batches of up to `batchCapacity` rows and windows of up to `validationCapacity`.
    init(network: MultilayerPerceptron, batchCapacity: Int, validationCapacity: Int) {
        precondition(network.outputActivation == .identity && network.outputWidth >= 2)
        self.network = network
        let d = network.inputWidth, k = network.outputWidth
        batchSpace = .init(for: network, capacity: max(1, batchCapacity))
        validationSpace = .init(for: network, capacity: max(1, validationCapacity))
        batchRows = [Double](repeating: 0, count: max(1, batchCapacity) * d)
        validationRows = [Double](repeating: 0, count: max(1, validationCapacity) * d)
        batchResiduals = [Double](repeating: 0, count: max(1, batchCapacity) * k)
        validationResiduals = [Double](repeating: 0, count: max(1, validationCapacity) * k)
        tangents = [Double](repeating: 0, count: max(1, batchCapacity, validationCapacity) * k)
        direction = [Double](repeating: 0, count: network.parameters.count)
        gradient = direction
        curvature = direction
    }

    /// The network a run starts from: widths [features, hidden, classes], Glorot-uniform
    /// weights from `generator`, zero biases.
    static func initialNetwork(features: Int, hidden: Int, classes: Int,
                               generator: inout SeededGenerator) -> MultilayerPerceptron {
        MultilayerPerceptron(widths: [features, hidden, classes], outputActivation: .identity, generator: &generator)
    }

    func step(batch: UnsafeBufferPointer<Int>,
              train: (x: UnsafePointer<Double>, labels: [Int]),
              validation: (x: UnsafePointer<Double>, labels: [Int], rows: UnsafeBufferPointer<Int>),
              learningRate: Double, order: InRunShapley.Order,
              values: UnsafeMutablePointer<Double>) {
        let d = network.inputWidth, k = network.outputWidth, b = batch.count, m = validation.rows.count
        let p = network.parameters.count
        let scale = learningRate / Double(b)
        Self.gather(batch, from: train.x, features: d, into: &batchRows)
        Self.gather(validation.rows, from: validation.x, features: d, into: &validationRows)

        // G_B = (η/b) Σ_i J_iᵀ r_i.
        batchRows.withUnsafeBufferPointer { network.forward($0, rows: b, workspace: &batchSpace) }
        Self.residuals(batchSpace.output(network), labels: { train.labels[batch[$0]] }, classes: k,
                       into: &batchResiduals, tangents: nil)
        Self.backward(network, residuals: batchResiduals, workspace: &batchSpace, into: &direction, scale: scale)

        // ∇L_val, and H G_B (Gauss–Newton), over the validation window.
        validationRows.withUnsafeBufferPointer { network.forward($0, rows: m, workspace: &validationSpace) }
        if order == .second {
            // The window's tangents along G_B, kept for the curvature terms p ⊙ (a − p·a).
            direction.withUnsafeBufferPointer { g in
                tangents.withUnsafeMutableBufferPointer {
                    network.tangent(along: g.baseAddress!, workspace: &validationSpace, into: $0.baseAddress!)
                }
            }
        }
        tangents.withUnsafeMutableBufferPointer { a in
            Self.residuals(validationSpace.output(network), labels: { validation.labels[validation.rows[$0]] }, classes: k,
                           into: &validationResiduals, tangents: order == .second ? a.baseAddress! : nil)
        }
        if order == .second {
            // residuals() turned the tangents into the curvature terms.
            Self.backward(network, residuals: tangents, workspace: &validationSpace, into: &curvature, scale: 1 / Double(m))
        }
        Self.backward(network, residuals: validationResiduals, workspace: &validationSpace, into: &gradient, scale: 1 / Double(m))
        if order == .second { for j in 0..<p { gradient[j] -= 0.5 * curvature[j] } }

        // φ_i = (η/b) r_iᵀ (J_i u).
        gradient.withUnsafeBufferPointer { u in
            tangents.withUnsafeMutableBufferPointer {
                network.tangent(along: u.baseAddress!, workspace: &batchSpace, into: $0.baseAddress!)
            }
        }
        for q in 0..<b {
            var phi = 0.0
            for c in 0..<k { phi += batchResiduals[q * k + c] * tangents[q * k + c] }
            values[batch[q]] += scale * phi
        }
        // θ ← θ − G_B
        for j in 0..<p { network.parameters[j] -= direction[j] }
    }

    /// Copies the rows `rows` of `x` one after the other into `out`.
    private static func gather(_ rows: UnsafeBufferPointer<Int>, from x: UnsafePointer<Double>, features d: Int,
                               into out: inout [Double]) {
        out.withUnsafeMutableBufferPointer { out in
            for (q, row) in rows.enumerated() { (out.baseAddress! + q * d).update(from: x + row * d, count: d) }
        }
    }

    /// r_q = softmax(z_q) − e_{y_q} for each row of `logits` into `out`. With `tangents` (each
    /// row's a_q = J_q G_B) also turns a_q into the row's Gauss–Newton term
    /// (diag p_q − p_q p_qᵀ) a_q = p_q ⊙ (a_q − p_q·a_q), in place.
    private static func residuals(_ logits: ArraySlice<Double>, labels: (Int) -> Int, classes k: Int,
                                  into out: inout [Double], tangents: UnsafeMutablePointer<Double>?) {
        let rows = logits.count / k
        logits.withUnsafeBufferPointer { z in
            out.withUnsafeMutableBufferPointer { out in
                for q in 0..<rows {
                    let r = out.baseAddress! + q * k
                    r.update(from: z.baseAddress! + q * k, count: k)
                    _ = SoftmaxObjective.softmax(r, classes: k)
                    if let a = tangents.map({ $0 + q * k }) {
                        var pa = 0.0
                        for c in 0..<k { pa += r[c] * a[c] }
                        for c in 0..<k { a[c] = r[c] * (a[c] - pa) }
                    }
                    r[labels(q)] -= 1
                }
            }
        }
    }

    /// out = scale · Σ_q J_qᵀ residuals_q over the rows of `workspace`'s last forward pass.
    private static func backward(_ network: MultilayerPerceptron, residuals: [Double],
                                 workspace: inout MultilayerPerceptron.Workspace, into out: inout [Double], scale: Double) {
        for j in out.indices { out[j] = 0 }
        let rows = workspace.rows, k = network.outputWidth
        residuals.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { g in
                network.backward(outputGradient: UnsafeBufferPointer(rebasing: r[0..<(rows * k)]), workspace: &workspace, gradient: g)
            }
        }
        for j in out.indices { out[j] *= scale }
    }
}
