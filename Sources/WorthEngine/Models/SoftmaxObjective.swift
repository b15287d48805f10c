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
        for c in 0..<classes {
            let w = theta + c * stride
            p[c] = VectorKernels.dot(w, row, d) + w[d]
        }
        let labelLogit = label >= 0 ? p[label] : 0
        return (softmax(p, classes: classes), labelLogit)
    }

    /// Turns the logits z (count C) into probabilities in place and returns log Σ_c exp z_c,
    /// computed stably from the largest logit.
    @inline(__always)
    static func softmax(_ z: UnsafeMutablePointer<Double>, classes: Int) -> Double {
        var largest = -Double.infinity
        var top = 0
        for c in 0..<classes where z[c] > largest {
            largest = z[c]
            top = c
        }
        // exp and log dominate what is left of a fit's cost: the largest logit's term is exactly
        // 1, so it needs no exp, and log(1 + rest) is log1p(rest) (one exp fewer per row when binary).
        var rest = 0.0
        for c in 0..<classes where c != top {
            let e = exp(z[c] - largest)
            z[c] = e
            rest += e
        }
        z[top] = 1
        let inverse = 1 / (1 + rest)
        for c in 0..<classes { z[c] *= inverse }
        return largest + log1p(rest)
    }

    /// Runs `body` over `rows` four at a time with the feature rows' addresses (a block of
    /// fewer rows is padded with a row of zeros) and the number of real rows in the block.
    @inline(__always)
    func forEachBlock(_ xs: UnsafeBufferPointer<Double>, zeros: UnsafePointer<Double>,
                      _ body: (_ start: Int, _ count: Int, _ block: SoftmaxKernels.Rows) -> Void) {
        let d = x.columns
        rows.withUnsafeBufferPointer { rs in
            var start = 0
            while start < rs.count {
                let count = min(4, rs.count - start)
                func row(_ k: Int) -> UnsafePointer<Double> { k < count ? xs.baseAddress! + rs[start + k] * d : zeros }
                body(start, count, (row(0), row(1), row(2), row(3)))
                start += 4
            }
        }
    }

    /// Calls `body` with scratch for four rows' logits (4·C), a zero feature row (d) and
    /// `extra` more numbers, all on the stack.
    @inline(__always)
    func withScratch<R>(extra: Int = 0, _ body: (_ z: UnsafeMutablePointer<Double>, _ zeros: UnsafePointer<Double>,
                                                  _ extra: UnsafeMutablePointer<Double>) -> R) -> R {
        let (classes, d) = (classCount, x.columns)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * classes + d + extra) { scratch in
            let z = scratch.baseAddress!
            scratch.initialize(repeating: 0)
            return body(z, z + 4 * classes, z + 4 * classes + d)
        }
    }

    // MARK: Objective

    /// F(θ); writes ∇F(θ) into `gradient` (count P). With no rows F is the penalty alone.
    func valueAndGradient(_ theta: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let t = theta.baseAddress!, g = gradient.baseAddress!
        let loss = lossAndGradientSums(theta, gradient)
        let scale = rows.isEmpty ? 0 : 1 / Double(rows.count)
        var penalty = 0.0
        for j in 0..<parameterCount {
            g[j] = g[j] * scale + regularization * t[j]
            penalty += t[j] * t[j]
        }
        return loss * scale + 0.5 * regularization * penalty
    }

    /// Σ ℓ over the rows, without the penalty or the 1/m; writes Σ ∇ℓ into `gradient`.
    func lossAndGradientSums(_ theta: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        gradient.update(repeating: 0)
        let t = theta.baseAddress!, g = gradient.baseAddress!
        return classCount == 2 ? binaryLossAndGradient(t, g) : lossAndGradient(t, g)
    }

    /// Σ ℓ over the rows; adds Σ ∇ℓ = Σ (p − e_y) ⊗ x̃ to `g` (zero on entry).
    private func lossAndGradient(_ t: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>) -> Double {
        let d = x.columns, stride = self.stride, classes = classCount
        var loss = 0.0
        x.storage.withUnsafeBufferPointer { xs in
            labels.withUnsafeBufferPointer { ys in
                withScratch { z, zeros, _ in
                    forEachBlock(xs, zeros: zeros) { start, count, block in
                        SoftmaxKernels.logits(t, rows: block, features: d, classes: classes, into: z)
                        for k in 0..<4 {
                            let zk = z + k * classes
                            guard k < count else {
                                zk.update(repeating: 0, count: classes)
                                continue
                            }
                            let y = ys[rows[start + k]]
                            let labelLogit = zk[y]
                            loss += Self.softmax(zk, classes: classes) - labelLogit
                            zk[y] -= 1  // the residual p − e_y
                        }
                        for c in 0..<classes {
                            let r = (z[c], z[classes + c], z[2 * classes + c], z[3 * classes + c])
                            let gc = g + c * stride
                            SoftmaxKernels.accumulate(r, block, into: gc, count: d)
                            gc[d] += (r.0 + r.1) + (r.2 + r.3)
                        }
                    }
                }
            }
        }
        return loss
    }

    /// Σ ℓ over the rows for two classes, adding Σ ∇ℓ to `g` (zero on entry), at half the cost
    /// of the general case: only the difference u = z₁ − z₀ = (θ₁ − θ₀)·x̃ matters, with
    /// ℓ = log(1 + e^{−u}) for label 1 and log(1 + e^{u}) for label 0, p₁ = σ(u), and the two
    /// classes' gradients are opposite: ∇_{θ₁}ℓ = (p₁ − y)x̃ = −∇_{θ₀}ℓ.
    private func binaryLossAndGradient(_ t: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>) -> Double {
        let d = x.columns, stride = self.stride
        var loss = 0.0
        x.storage.withUnsafeBufferPointer { xs in
            labels.withUnsafeBufferPointer { ys in
                withScratch(extra: stride) { u, zeros, difference in
                    for j in 0..<stride { difference[j] = t[stride + j] - t[j] }
                    let g1 = g + stride
                    forEachBlock(xs, zeros: zeros) { start, count, block in
                        SoftmaxKernels.logits(difference, rows: block, features: d, classes: 1, into: u)
                        for k in 0..<4 {
                            guard k < count else {
                                u[k] = 0
                                continue
                            }
                            let label1 = ys[rows[start + k]] == 1
                            let e = exp(-abs(u[k]))
                            let margin = label1 ? -u[k] : u[k]
                            loss += max(margin, 0) + log1p(e)
                            let p1 = u[k] >= 0 ? 1 / (1 + e) : e / (1 + e)
                            u[k] = p1 - (label1 ? 1 : 0)
                        }
                        let r = (u[0], u[1], u[2], u[3])
                        SoftmaxKernels.accumulate(r, block, into: g1, count: d)
                        g1[d] += (r.0 + r.1) + (r.2 + r.3)
                    }
                    for j in 0..<stride { g[j] = -g1[j] }
                }
            }
        }
        return loss
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
                withScratch(extra: 4 * stride) { z, zeros, augmented in
                    // x̃ = (x, 1) of the block's four rows, one after the other.
                    let rowsTilde = (UnsafePointer(augmented), UnsafePointer(augmented + stride),
                                     UnsafePointer(augmented + 2 * stride), UnsafePointer(augmented + 3 * stride))
                    forEachBlock(xs, zeros: zeros) { _, count, block in
                        SoftmaxKernels.logits(theta.baseAddress!, rows: block, features: d, classes: classes, into: z)
                        augmented.update(from: block.0, count: d)
                        (augmented + stride).update(from: block.1, count: d)
                        (augmented + 2 * stride).update(from: block.2, count: d)
                        (augmented + 3 * stride).update(from: block.3, count: d)
                        for k in 0..<4 {
                            augmented[k * stride + d] = k < count ? 1 : 0  // a padding row is all zeros
                            _ = Self.softmax(z + k * classes, classes: classes)
                        }
                        var pair = 0
                        for a in 0..<classes {
                            for b in a..<classes where classes != 2 || pair == 0 {
                                defer { pair += 1 }
                                func weight(_ k: Int) -> Double {
                                    let p = z + k * classes
                                    return a == b ? p[a] * (1 - p[a]) : -p[a] * p[b]
                                }
                                let w = (weight(0), weight(1), weight(2), weight(3))
                                let target = t + pair * stride * stride
                                for j in 0..<stride {
                                    SoftmaxKernels.accumulate(
                                        (w.0 * rowsTilde.0[j], w.1 * rowsTilde.1[j], w.2 * rowsTilde.2[j], w.3 * rowsTilde.3[j]),
                                        (rowsTilde.0 + j, rowsTilde.1 + j, rowsTilde.2 + j, rowsTilde.3 + j),
                                        into: target + j * stride + j, count: stride - j)
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
