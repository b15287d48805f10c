import Foundation

/// The L2-regularised multinomial logistic (softmax cross-entropy) objective over rows of a
/// feature matrix, with its gradient, Hessian and Hessian-vector product:
///
///     F(θ) = (1/m) Σ_{i ∈ rows} ℓ(x_i, y_i; θ) + (λ/2)‖θ‖²,   ℓ = log Σ_c exp(z_c) − z_y,
///     z_c = w_c·x + b_c.
///
/// θ holds C × (d+1) numbers, class by class: weights w_c (d of them) then the bias b_c, so
/// θ[c·(d+1) + j] multiplies feature j (j < d) and θ[c·(d+1) + d] is the bias. The augmented
/// row x̃ = (x, 1) makes ∇ℓ = (p − e_y) ⊗ x̃ and ∇²ℓ = (diag p − p pᵀ) ⊗ x̃ x̃ᵀ.
///
/// Rows are used in place (no copy of the matrix); repeated row indices count repeatedly. All
/// loops run over raw buffers with per-call scratch on the stack, nothing allocated per row.
struct SoftmaxObjective: Sendable {
    let x: Matrix
    let labels: [Int]
    let rows: [Int]
    let classCount: Int
    /// λ ≥ 0, the weight of the L2 penalty (on the biases too).
    let regularization: Double

    /// d + 1: parameters per class.
    var stride: Int { x.columns + 1 }
    /// C × (d + 1).
    var parameterCount: Int { classCount * stride }

    // MARK: Per-row kernels

    /// Writes the class probabilities for feature row `row` into `p` (count C) and returns
    /// (log Σ_c exp z_c, z_label) for `label`; computed stably from the largest logit.
    @inline(__always)
    static func probabilities(_ theta: UnsafePointer<Double>, row: UnsafePointer<Double>, features d: Int,
                              classes: Int, label: Int, into p: UnsafeMutablePointer<Double>) -> (logSumExp: Double, labelLogit: Double) {
        let stride = d + 1
        var largest = -Double.infinity
        var top = 0
        for c in 0..<classes {
            let w = theta + c * stride
            let z = VectorKernels.dot(w, row, d) + w[d]
            p[c] = z
            if z > largest { largest = z; top = c }
        }
        let labelLogit = label >= 0 ? p[label] : 0
        // exp and log dominate the cost of a fit: the largest logit's term is exactly 1, so it
        // needs no exp, and log(1 + rest) is log1p(rest) (one exp fewer per row when binary).
        var rest = 0.0
        for c in 0..<classes where c != top {
            let e = exp(p[c] - largest)
            p[c] = e
            rest += e
        }
        p[top] = 1
        let inverse = 1 / (1 + rest)
        for c in 0..<classes { p[c] *= inverse }
        return (largest + log1p(rest), labelLogit)
    }

    // MARK: Objective

    /// F(θ); writes ∇F(θ) into `gradient` (count P). With no rows F is the penalty alone.
    func valueAndGradient(_ theta: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = x.columns, stride = self.stride, classes = classCount
        let t = theta.baseAddress!, g = gradient.baseAddress!
        gradient.update(repeating: 0)
        var loss = 0.0
        x.storage.withUnsafeBufferPointer { xs in
            labels.withUnsafeBufferPointer { ys in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { pb in
                    let p = pb.baseAddress!
                    for r in rows {
                        let xr = xs.baseAddress! + r * d
                        let y = ys[r]
                        let (lse, zy) = Self.probabilities(t, row: xr, features: d, classes: classes, label: y, into: p)
                        loss += lse - zy
                        p[y] -= 1
                        for c in 0..<classes {
                            let residual = p[c]
                            let gc = g + c * stride
                            VectorKernels.axpy(residual, xr, gc, d)
                            gc[d] += residual
                        }
                    }
                }
            }
        }
        let scale = rows.isEmpty ? 0 : 1 / Double(rows.count)
        var penalty = 0.0
        for j in 0..<parameterCount {
            g[j] = g[j] * scale + regularization * t[j]
            penalty += t[j] * t[j]
        }
        return loss * scale + 0.5 * regularization * penalty
    }

    /// ∇ℓ(x_row, y_row; θ) = (p − e_y) ⊗ x̃ for one row, without the penalty, into `gradient`.
    func rowLossGradient(_ theta: UnsafeBufferPointer<Double>, row r: Int, into gradient: UnsafeMutableBufferPointer<Double>) {
        let d = x.columns, stride = self.stride, classes = classCount
        let g = gradient.baseAddress!
        x.storage.withUnsafeBufferPointer { xs in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { pb in
                let p = pb.baseAddress!
                let xr = xs.baseAddress! + r * d
                _ = Self.probabilities(theta.baseAddress!, row: xr, features: d, classes: classes, label: -1, into: p)
                p[labels[r]] -= 1
                for c in 0..<classes {
                    let gc = g + c * stride
                    for j in 0..<d { gc[j] = p[c] * xr[j] }
                    gc[d] = p[c]
                }
            }
        }
    }

    /// ∇²F(θ) = (1/m) Σ (diag p − p pᵀ) ⊗ x̃ x̃ᵀ + λI, dense row-major P × P, into `hessian`.
    ///
    /// Block (a, b) is Σ w_ab x̃ x̃ᵀ with w_ab = p_a(δ_ab − p_b): symmetric, and equal to block
    /// (b, a). So per row only the upper triangle of each block with a ≤ b is accumulated, and
    /// with two classes all four blocks are ±(Σ p₀p₁ x̃ x̃ᵀ): one triangle per row. This is most
    /// of the cost of a Newton step, and the Monte Carlo methods take thousands of them.
    func hessian(_ theta: UnsafeBufferPointer<Double>, into hessian: UnsafeMutableBufferPointer<Double>) {
        let d = x.columns, stride = self.stride, classes = classCount, size = parameterCount
        let h = hessian.baseAddress!
        let pairs = classes == 2 ? 1 : classes * (classes + 1) / 2
        withUnsafeTemporaryAllocation(of: Double.self, capacity: pairs * stride * stride) { blocks in
            let t = blocks.baseAddress!
            blocks.update(repeating: 0)
            x.storage.withUnsafeBufferPointer { xs in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: classes + stride) { scratch in
                    let p = scratch.baseAddress!
                    let row = p + classes  // x̃ = (x, 1)
                    row[d] = 1
                    for r in rows {
                        let xr = xs.baseAddress! + r * d
                        for j in 0..<d { row[j] = xr[j] }
                        _ = Self.probabilities(theta.baseAddress!, row: xr, features: d, classes: classes, label: -1, into: p)
                        var pair = 0
                        for a in 0..<classes {
                            for b in a..<classes where classes != 2 || pair == 0 {
                                let weight = a == b ? p[a] * (1 - p[a]) : -p[a] * p[b]
                                defer { pair += 1 }
                                if weight == 0 { continue }
                                let block = t + pair * stride * stride
                                for j in 0..<stride {
                                    VectorKernels.axpy(weight * row[j], row + j, block + j * stride + j, stride - j)
                                }
                            }
                        }
                    }
                }
            }
            // Assemble: H[(a, j), (b, k)] = ±block[min(j, k), max(j, k)], scaled, plus λI.
            let scale = rows.isEmpty ? 0 : 1 / Double(rows.count)
            var pair = 0
            for a in 0..<classes {
                for b in a..<classes {
                    let (block, sign): (UnsafeMutablePointer<Double>, Double) = classes == 2
                        ? (t, a == b ? 1 : -1)
                        : (t + pair * stride * stride, 1)
                    for j in 0..<stride {
                        for k in j..<stride {
                            let v = block[j * stride + k] * scale * sign
                            h[(a * stride + j) * size + b * stride + k] = v
                            h[(a * stride + k) * size + b * stride + j] = v
                            h[(b * stride + j) * size + a * stride + k] = v
                            h[(b * stride + k) * size + a * stride + j] = v
                        }
                    }
                    pair += 1
                }
            }
        }
        for i in 0..<size { h[i * size + i] += regularization }
    }

    // MARK: Hessian-vector products (for conjugate gradient)

    /// The class probabilities of every row of `rows` at θ, m × C, in `rows` order: the only
    /// per-row quantities ∇²F depends on, cached so each product costs 4·m·P flops.
    func rowProbabilities(_ theta: UnsafeBufferPointer<Double>) -> [Double] {
        let d = x.columns, classes = classCount
        var out = [Double](repeating: 0, count: rows.count * classes)
        x.storage.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                for (k, r) in rows.enumerated() {
                    _ = Self.probabilities(theta.baseAddress!, row: xs.baseAddress! + r * d, features: d, classes: classes,
                                           label: -1, into: o.baseAddress! + k * classes)
                }
            }
        }
        return out
    }

    /// (∇²F + δI)·v with ∇²F at the θ whose `rowProbabilities` are `probabilities`, into `out`.
    /// Per row: u_c = v_c·x̃, then out_c += p_c (u_c − Σ_a p_a u_a) x̃.
    func hessianVectorProduct(probabilities: [Double], damping: Double, _ v: UnsafeBufferPointer<Double>,
                              into out: UnsafeMutableBufferPointer<Double>) {
        let d = x.columns, stride = self.stride, classes = classCount
        let vp = v.baseAddress!, o = out.baseAddress!
        out.update(repeating: 0)
        x.storage.withUnsafeBufferPointer { xs in
            probabilities.withUnsafeBufferPointer { pp in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { ub in
                    let u = ub.baseAddress!
                    for (k, r) in rows.enumerated() {
                        let xr = xs.baseAddress! + r * d, p = pp.baseAddress! + k * classes
                        var mean = 0.0
                        for c in 0..<classes {
                            let vc = vp + c * stride
                            u[c] = VectorKernels.dot(vc, xr, d) + vc[d]
                            mean += p[c] * u[c]
                        }
                        for c in 0..<classes {
                            let w = p[c] * (u[c] - mean)
                            let oc = o + c * stride
                            VectorKernels.axpy(w, xr, oc, d)
                            oc[d] += w
                        }
                    }
                }
            }
        }
        let scale = rows.isEmpty ? 0 : 1 / Double(rows.count)
        for j in 0..<parameterCount { o[j] = o[j] * scale + (regularization + damping) * vp[j] }
    }

    /// The diagonal of ∇²F + δI (a Jacobi preconditioner), from cached `rowProbabilities`.
    func hessianDiagonal(probabilities: [Double], damping: Double) -> [Double] {
        let d = x.columns, stride = self.stride, classes = classCount
        var diagonal = [Double](repeating: 0, count: parameterCount)
        for (k, r) in rows.enumerated() {
            for c in 0..<classes {
                let p = probabilities[k * classes + c]
                let w = p * (1 - p)
                for j in 0..<d { diagonal[c * stride + j] += w * x[r, j] * x[r, j] }
                diagonal[c * stride + d] += w
            }
        }
        let scale = rows.isEmpty ? 0 : 1 / Double(rows.count)
        return diagonal.map { $0 * scale + regularization + damping }
    }
}
