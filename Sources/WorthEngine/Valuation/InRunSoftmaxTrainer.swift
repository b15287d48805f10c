import Foundation

/// Multinomial logistic regression trained by mini-batch gradient descent, valuing each batch's
/// rows as it steps (see `InRunShapley`). Owns its scratch space, so a step allocates nothing.
final class InRunSoftmaxTrainer: InRunTrainer {
    let features: Int
    let classes: Int
    /// Parameters per class: d weights and a bias.
    let stride: Int
    /// The model.
    private(set) var theta: [Double]
    /// G_B, the step's data part; then ∇L_val − ½ H G_B (the vector each row's step is dotted with).
    private var direction: [Double]
    private var gradient: [Double]
    private var curvature: [Double]
    /// Residuals p − e_y of the batch rows, `classes` per row.
    private var residuals: [Double]
    /// A row of zeros that pads a block of fewer than four rows.
    private let zeros: [Double]

    init(features: Int, classes: Int, theta: [Double]) {
        precondition(theta.count == classes * (features + 1))
        self.features = features
        self.classes = classes
        stride = features + 1
        self.theta = theta
        direction = [Double](repeating: 0, count: theta.count)
        gradient = direction
        curvature = direction
        residuals = []
        zeros = [Double](repeating: 0, count: features + 4)
    }

    /// One step on the rows `batch` of `train`: adds each row's value in this step's game to
    /// `values[row]` and moves θ. The validation loss is the mean over `validation`'s rows.
    func step(batch: UnsafeBufferPointer<Int>,
              train: (x: UnsafePointer<Double>, labels: [Int]),
              validation: (x: UnsafePointer<Double>, labels: [Int], rows: UnsafeBufferPointer<Int>),
              learningRate: Double, order: InRunShapley.Order,
              values: UnsafeMutablePointer<Double>) {
        let k = classes, d = features, b = batch.count
        if residuals.count < (b + 3) * k { residuals = [Double](repeating: 0, count: (b + 3) * k) }
        let scale = learningRate / Double(b)
        theta.withUnsafeMutableBufferPointer { theta in
        direction.withUnsafeMutableBufferPointer { g in
        gradient.withUnsafeMutableBufferPointer { grad in
        curvature.withUnsafeMutableBufferPointer { hg in
        residuals.withUnsafeMutableBufferPointer { r in
        zeros.withUnsafeBufferPointer { zeros in
            let theta = theta.baseAddress!, g = g.baseAddress!, grad = grad.baseAddress!, hg = hg.baseAddress!
            let r = r.baseAddress!, zero = zeros.baseAddress!
            let p = k * (d + 1)
            // G_B = (η/b) Σ_i r_i ⊗ x̃_i, keeping the residuals.
            for j in 0..<p { g[j] = 0 }
            Self.blocks(of: b, rowAt: { train.x + batch[$0] * d }, zero: zero) { rows, first, count in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * k) { logits in
                    SoftmaxKernels.logits(theta, rows: rows, features: d, classes: k, into: logits.baseAddress!)
                    for q in 0..<4 {
                        let out = r + (first + q) * k
                        guard q < count else { for c in 0..<k { out[c] = 0 }; continue }
                        out.update(from: logits.baseAddress! + q * k, count: k)
                        _ = SoftmaxObjective.softmax(out, classes: k)
                        out[train.labels[batch[first + q]]] -= 1
                    }
                }
                Self.accumulate(residuals: r + first * k, rows: rows, classes: k, features: d, into: g)
            }
            for j in 0..<p { g[j] *= scale }

            // ∇L_val(θ) and, second order, H G_B, in one pass over the validation window.
            for j in 0..<p { grad[j] = 0; hg[j] = 0 }
            let m = validation.rows.count
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 12 * k) { scratch in
                let probabilities = scratch.baseAddress!, moves = probabilities + 4 * k, curvatures = moves + 4 * k
                Self.blocks(of: m, rowAt: { validation.x + validation.rows[$0] * d }, zero: zero) { rows, first, count in
                    SoftmaxKernels.logits(theta, rows: rows, features: d, classes: k, into: probabilities)
                    if order == .second {
                        SoftmaxKernels.logits(g, rows: rows, features: d, classes: k, into: moves)
                    }
                    for q in 0..<4 {
                        let pq = probabilities + q * k, aq = moves + q * k, sq = curvatures + q * k
                        guard q < count else {
                            for c in 0..<k { pq[c] = 0; sq[c] = 0 }
                            continue
                        }
                        _ = SoftmaxObjective.softmax(pq, classes: k)
                        if order == .second {
                            // (diag p − p pᵀ) a = p ⊙ (a − p·a)
                            var pa = 0.0
                            for c in 0..<k { pa += pq[c] * aq[c] }
                            for c in 0..<k { sq[c] = pq[c] * (aq[c] - pa) }
                        }
                        pq[validation.labels[validation.rows[first + q]]] -= 1
                    }
                    Self.accumulate(residuals: probabilities, rows: rows, classes: k, features: d, into: grad)
                    if order == .second {
                        Self.accumulate(residuals: curvatures, rows: rows, classes: k, features: d, into: hg)
                    }
                }
            }
            // u = ∇L_val − ½ H G_B (the same for every row of the batch), then φ_i = (η/b) r_i·(U x̃_i).
            let inverse = 1 / Double(m)
            for j in 0..<p { grad[j] = grad[j] * inverse - (order == .second ? 0.5 * hg[j] * inverse : 0) }
            Self.blocks(of: b, rowAt: { train.x + batch[$0] * d }, zero: zero) { rows, first, count in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * k) { dots in
                    SoftmaxKernels.logits(grad, rows: rows, features: d, classes: k, into: dots.baseAddress!)
                    for q in 0..<count {
                        let rq = r + (first + q) * k, uq = dots.baseAddress! + q * k
                        var phi = 0.0
                        for c in 0..<k { phi += rq[c] * uq[c] }
                        values[batch[first + q]] += scale * phi
                    }
                }
            }
            // θ ← θ − G_B
            for j in 0..<p { theta[j] -= g[j] }
        }}}}}}
    }

    /// Calls `body` for the rows 0..<count four at a time: their addresses (`zero` past the
    /// end), the index of the first, and how many are real (1…4).
    @inline(__always)
    private static func blocks(of count: Int, rowAt: (Int) -> UnsafePointer<Double>, zero: UnsafePointer<Double>,
                               _ body: (SoftmaxKernels.Rows, Int, Int) -> Void) {
        var first = 0
        while first < count {
            let real = min(4, count - first)
            let rows = (rowAt(first), real > 1 ? rowAt(first + 1) : zero,
                        real > 2 ? rowAt(first + 2) : zero, real > 3 ? rowAt(first + 3) : zero)
            body(rows, first, real)
            first += 4
        }
    }

    /// out[c·stride + j] += Σ_q res[q·classes + c]·x_q[j] (and the bias entry += Σ_q res) for the
    /// four rows: a block's contribution Σ_q res_q ⊗ x̃_q.
    @inline(__always)
    private static func accumulate(residuals res: UnsafePointer<Double>, rows: SoftmaxKernels.Rows,
                                   classes k: Int, features d: Int, into out: UnsafeMutablePointer<Double>) {
        for c in 0..<k {
            let coefficients = (res[c], res[k + c], res[2 * k + c], res[3 * k + c])
            let w = out + c * (d + 1)
            SoftmaxKernels.accumulate(coefficients, rows, into: w, count: d)
            w[d] += (coefficients.0 + coefficients.1) + (coefficients.2 + coefficients.3)
        }
    }
}
