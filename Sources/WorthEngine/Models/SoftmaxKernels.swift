/// The dense loops of the softmax objective, four rows at a time.
///
/// A fit spends nearly all its time in two products per evaluation: the logits Z = X̃Θᵀ and
/// the gradient's Rᵀ X̃ (R the residuals p − e_y), plus, for Newton, the Hessian's blocks
/// Σ w x̃ x̃ᵀ. Done one row at a time these are latency-bound dot products and
/// load-bound axpys. Taking four rows together gives four independent accumulators per weight
/// vector loaded (logits), and one load and store of the gradient or Hessian row per four rows
/// (accumulation), which roughly triples the throughput.
///
/// Every kernel takes exactly four rows; a block of fewer rows pads with a row of zeros whose
/// coefficient is zero, so there is one code path. The order of every sum depends only on the
/// lengths, never on the caller, so the same inputs give the same bits.
enum SoftmaxKernels {
    typealias Vector = SIMD4<Double>
    /// The addresses of four feature rows.
    typealias Rows = (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>)

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// z[k·classes + c] = w_c·x_k + b_c for the four rows `x` (d features each) and every
    /// class, θ laid out class by class (d weights, then the bias).
    @inline(__always)
    static func logits(_ theta: UnsafePointer<Double>, rows x: Rows,
                       features d: Int, classes: Int, into z: UnsafeMutablePointer<Double>) {
        let stride = d + 1, vectorEnd = d & ~3
        for c in 0..<classes {
            let w = theta + c * stride
            var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
            var j = 0
            while j < vectorEnd {
                let wv = load(w + j)
                a0 += wv * load(x.0 + j)
                a1 += wv * load(x.1 + j)
                a2 += wv * load(x.2 + j)
                a3 += wv * load(x.3 + j)
                j += 4
            }
            var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
            while j < d {
                s0 += w[j] * x.0[j]
                s1 += w[j] * x.1[j]
                s2 += w[j] * x.2[j]
                s3 += w[j] * x.3[j]
                j += 1
            }
            let b = w[d]
            z[c] = s0 + b
            z[classes + c] = s1 + b
            z[2 * classes + c] = s2 + b
            z[3 * classes + c] = s3 + b
        }
    }

    /// out[j] += r.0·x.0[j] + r.1·x.1[j] + r.2·x.2[j] + r.3·x.3[j] for j < count.
    @inline(__always)
    static func accumulate(_ r: (Double, Double, Double, Double),
                           _ x: Rows,
                           into out: UnsafeMutablePointer<Double>, count: Int) {
        let vectorEnd = count & ~3
        let r0 = Vector(repeating: r.0), r1 = Vector(repeating: r.1), r2 = Vector(repeating: r.2), r3 = Vector(repeating: r.3)
        var j = 0
        while j < vectorEnd {
            let sum = (r0 * load(x.0 + j) + r1 * load(x.1 + j)) + (r2 * load(x.2 + j) + r3 * load(x.3 + j))
            store(load(out + j) + sum, out + j)
            j += 4
        }
        while j < count {
            out[j] += (r.0 * x.0[j] + r.1 * x.1[j]) + (r.2 * x.2[j] + r.3 * x.3[j])
            j += 1
        }
    }
}
