/// Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) for smooth, strongly convex
/// objectives such as L2-regularised logistic regression, where curvature pairs always satisfy
/// sᵀy > 0 and a backtracking line search suffices.
struct LBFGS: Sendable {
    /// Number of (s, y) pairs kept.
    var memory: Int = 10
    /// Stop once ‖∇f‖₂ ≤ `tolerance`.
    var tolerance: Double
    /// Stop after this many steps whatever the gradient.
    var maxIterations: Int

    /// Minimises `objective` from `x`, which is overwritten with the solution. Returns the number
    /// of steps taken and the final gradient norm.
    func minimize(_ x: inout [Double], objective: LineSearch.Objective) -> (iterations: Int, gradientNorm: Double) {
        let n = x.count
        var gradient = [Double](repeating: 0, count: n)
        var value = x.withUnsafeBufferPointer { xp in gradient.withUnsafeMutableBufferPointer { objective(xp, $0) } }
        var direction = [Double](repeating: 0, count: n)
        var trial = [Double](repeating: 0, count: n)
        var trialGradient = [Double](repeating: 0, count: n)
        var previousX = [Double](repeating: 0, count: n)
        var previousGradient = [Double](repeating: 0, count: n)
        // Ring buffers of the last `memory` pairs, pair k at offset (k % memory)·n.
        var s = [Double](repeating: 0, count: memory * n)
        var y = [Double](repeating: 0, count: memory * n)
        var rho = [Double](repeating: 0, count: memory)
        var alpha = [Double](repeating: 0, count: memory)
        var pairs = 0
        var iterations = 0
        var gradientNorm = VectorKernels.norm(gradient)

        while gradientNorm > tolerance && iterations < maxIterations {
            // Two-loop recursion: direction = −H_k·∇f.
            for j in 0..<n { direction[j] = -gradient[j] }
            let kept = min(pairs, memory)
            var gamma = 1.0
            s.withUnsafeBufferPointer { sp in
                y.withUnsafeBufferPointer { yp in
                    direction.withUnsafeMutableBufferPointer { dp in
                        let d = dp.baseAddress!
                        for back in 0..<kept {
                            let slot = (pairs - 1 - back) % memory
                            let a = rho[slot] * VectorKernels.dot(sp.baseAddress! + slot * n, d, n)
                            alpha[slot] = a
                            VectorKernels.axpy(-a, yp.baseAddress! + slot * n, d, n)
                        }
                        if kept > 0 {
                            let last = (pairs - 1) % memory
                            let yy = VectorKernels.dot(yp.baseAddress! + last * n, yp.baseAddress! + last * n, n)
                            gamma = 1 / (rho[last] * yy)
                        }
                        for j in 0..<n { d[j] *= gamma }
                        for forward in 0..<kept {
                            let slot = (pairs - kept + forward) % memory
                            let b = rho[slot] * VectorKernels.dot(yp.baseAddress! + slot * n, d, n)
                            VectorKernels.axpy(alpha[slot] - b, sp.baseAddress! + slot * n, d, n)
                        }
                    }
                }
            }
            for j in 0..<n {
                previousX[j] = x[j]
                previousGradient[j] = gradient[j]
            }
            guard LineSearch.backtrack(x: &x, value: &value, gradient: &gradient, direction: direction,
                                       trial: &trial, trialGradient: &trialGradient, objective: objective)
            else {
                // A stale curvature model can stall the search: restart from steepest descent once.
                if pairs == 0 { break }
                pairs = 0
                continue
            }
            iterations += 1
            gradientNorm = VectorKernels.norm(gradient)
            let slot = pairs % memory
            var sy = 0.0
            for j in 0..<n {
                let sj = x[j] - previousX[j], yj = gradient[j] - previousGradient[j]
                s[slot * n + j] = sj
                y[slot * n + j] = yj
                sy += sj * yj
            }
            if sy > 0 {
                rho[slot] = 1 / sy
                pairs += 1
            } else {
                pairs = 0  // no usable curvature (only possible without strong convexity): restart
            }
        }
        return (iterations, gradientNorm)
    }
}
