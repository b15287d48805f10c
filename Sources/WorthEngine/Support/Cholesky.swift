/// The Cholesky factor L (lower triangular, H = L·Lᵀ) of a dense symmetric positive definite
/// matrix, for Newton steps and exact Hessian solves.
///
/// Row-oriented (Cholesky–Crout): every inner product runs over contiguous memory. Cost
/// n³/6 multiply-adds to factor, n² per solve.
struct Cholesky: Sendable {
    /// Order of the matrix.
    let size: Int
    /// Row-major n × n; the lower triangle holds L, the strict upper triangle is zero.
    private(set) var lower: [Double]

    /// Factors the n × n row-major symmetric matrix `matrix` (only its lower triangle is read).
    /// Nil when it is not numerically positive definite (a pivot ≤ 0 or not finite).
    init?(_ matrix: [Double], size n: Int) {
        precondition(matrix.count == n * n, "matrix does not match the size")
        size = n
        var l = [Double](repeating: 0, count: n * n)
        let ok = l.withUnsafeMutableBufferPointer { lp -> Bool in
            matrix.withUnsafeBufferPointer { a -> Bool in
                guard let lb = lp.baseAddress, let ab = a.baseAddress else { return n == 0 }
                for i in 0..<n {
                    let li = lb + i * n
                    for j in 0...i {
                        let lj = lb + j * n
                        let s = ab[i * n + j] - VectorKernels.dot(li, lj, j)
                        if i == j {
                            guard s > 0, s.isFinite else { return false }
                            li[i] = s.squareRoot()
                        } else {
                            li[j] = s / lj[j]
                        }
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
        lower = l
    }

    /// Overwrites `b` (count n) with H⁻¹·b.
    func solve(_ b: UnsafeMutableBufferPointer<Double>) {
        let n = size
        guard n > 0, let x = b.baseAddress else { return }
        forwardSolve(b)   // L·y = b
        lower.withUnsafeBufferPointer { lp in
            let l = lp.baseAddress!
            // Lᵀ·x = y, backward, by rows of L: once x[i] is known, remove it from the earlier rows.
            var i = n - 1
            while i >= 0 {
                let li = l + i * n
                x[i] /= li[i]
                let xi = x[i]
                for k in 0..<i { x[k] -= li[k] * xi }
                i -= 1
            }
        }
    }

    /// Overwrites `b` (count n) with L⁻¹·b, so that ‖L⁻¹b‖² = bᵀH⁻¹b.
    func forwardSolve(_ b: UnsafeMutableBufferPointer<Double>) {
        let n = size
        guard n > 0, let x = b.baseAddress else { return }
        precondition(b.count == n)
        lower.withUnsafeBufferPointer { lp in
            let l = lp.baseAddress!
            for i in 0..<n {
                x[i] = (x[i] - VectorKernels.dot(l + i * n, x, i)) / l[i * n + i]
            }
        }
    }
}
