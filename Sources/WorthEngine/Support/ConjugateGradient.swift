/// Jacobi-preconditioned conjugate gradient for A·x = b with A symmetric positive definite,
/// given only products A·v: solves with Hessians too large to form (Nocedal & Wright, alg. 5.3).
struct ConjugateGradient: Sendable {
    /// Stop once ‖b − A·x‖ ≤ `relativeTolerance`·‖b‖.
    var relativeTolerance: Double = 1e-10
    /// Cap on products.
    var maxIterations: Int

    /// Solves A·x = b from x = 0. `diagonal` is A's diagonal (all > 0); `apply` writes A·v into
    /// its second argument. Returns x and the number of products used.
    func solve(_ b: [Double], diagonal: [Double],
               apply: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void) -> (x: [Double], iterations: Int) {
        let n = b.count
        var x = [Double](repeating: 0, count: n)
        var r = b
        var z = (0..<n).map { r[$0] / diagonal[$0] }
        var p = z
        var ap = [Double](repeating: 0, count: n)
        var rz = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
        let target = relativeTolerance * VectorKernels.norm(b)
        var iterations = 0
        while VectorKernels.norm(r) > target && iterations < maxIterations {
            p.withUnsafeBufferPointer { pp in ap.withUnsafeMutableBufferPointer { apply(pp, $0) } }
            iterations += 1
            var pap = 0.0
            for j in 0..<n { pap += p[j] * ap[j] }
            guard pap > 0 else { break }
            let alpha = rz / pap
            for j in 0..<n {
                x[j] += alpha * p[j]
                r[j] -= alpha * ap[j]
                z[j] = r[j] / diagonal[j]
            }
            var next = 0.0
            for j in 0..<n { next += r[j] * z[j] }
            let beta = next / rz
            rz = next
            for j in 0..<n { p[j] = z[j] + beta * p[j] }
        }
        return (x, iterations)
    }
}
