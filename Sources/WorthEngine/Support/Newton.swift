/// Newton's method with a backtracking line search, for smooth strongly convex objectives
/// whose Hessian can be formed and factored (Cholesky), reusing the factor while it works.
///
/// Forming and factoring the Hessian costs far more than an evaluation of f and ∇f: for
/// logistic regression with P parameters over m rows, m·P²/2 + P³/6 against about 2·m·P. A
/// factor from a nearby point (an earlier step, or an earlier fit on a subset that has since
/// grown by a row) still gives steps that shrink the gradient by a large factor, only linearly
/// instead of quadratically. So a step is taken with the factor at hand, and the Hessian is
/// formed again only when a step shrank ‖∇f‖ by less than `contraction` (or the line search
/// failed with an old factor). Near a solution fresh factors converge quadratically, so the
/// rule never costs more than a few extra evaluations; for refits on growing subsets it removed
/// five of six factorisations on breast_cancer (see `LogisticRegression`).
///
/// The factor lives with the caller between calls (`factor`), like L-BFGS's curvature pairs.
struct Newton: Sendable {
    /// Stop once ‖∇f‖₂ ≤ `tolerance`.
    var tolerance: Double
    /// Stop after this many steps whatever the gradient.
    var maxIterations: Int
    /// Form the Hessian again after a step that left ‖∇f‖ above this fraction of what it was.
    var contraction = 0.5

    /// Writes ∇²f(x) (n × n, row-major) into the second buffer.
    typealias Hessian = (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void

    /// How a run ended.
    struct Outcome: Sendable {
        /// Steps taken.
        var iterations: Int
        /// Evaluations of f with ∇f, the start's included when the run computed it.
        var evaluations: Int
        /// Hessians formed and factored.
        var factorizations: Int
        /// f and ‖∇f‖₂ at the returned point.
        var value: Double
        var gradientNorm: Double
    }

    /// Minimises `objective` from `x`, which is overwritten with the solution, starting with
    /// `factor` (an earlier Hessian's, or nil) and leaving the last one used there. `gradient`
    /// (count n) receives ∇f at the solution; when `value` is given, `gradient` must hold ∇f(x)
    /// on entry and the start is not evaluated again.
    func minimize(_ x: inout [Double], factor: inout Cholesky?, value start: Double? = nil, gradient: inout [Double],
                  objective: LineSearch.Objective, hessian: Hessian) -> Outcome {
        let n = x.count
        precondition(gradient.count == n && (factor == nil || factor?.size == n))
        var evaluations = 0
        func counted(_ point: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>) -> Double {
            evaluations += 1
            return objective(point, gradient)
        }
        var value = start ?? x.withUnsafeBufferPointer { xp in gradient.withUnsafeMutableBufferPointer { counted(xp, $0) } }
        var matrix: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var trial = [Double](repeating: 0, count: n)
        var trialGradient = [Double](repeating: 0, count: n)
        var iterations = 0, factorizations = 0
        var gradientNorm = VectorKernels.norm(gradient)
        var fresh = false  // whether `factor` was formed at the current point

        while gradientNorm > tolerance && iterations < maxIterations {
            if factor == nil {
                if matrix.isEmpty { matrix = [Double](repeating: 0, count: n * n) }
                x.withUnsafeBufferPointer { xp in matrix.withUnsafeMutableBufferPointer { hessian(xp, $0) } }
                factor = Cholesky(matrix, size: n)
                factorizations += 1
                fresh = true
            }
            for j in 0..<n { direction[j] = -gradient[j] }
            if let factor {
                direction.withUnsafeMutableBufferPointer { factor.solve($0) }
            }  // else (only through rounding) steepest descent, and a new factor next step
            let before = gradientNorm
            guard LineSearch.backtrack(x: &x, value: &value, gradient: &gradient, direction: direction,
                                       trial: &trial, trialGradient: &trialGradient, objective: counted)
            else {
                if fresh { break }  // optimal to working precision
                factor = nil
                continue
            }
            iterations += 1
            gradientNorm = VectorKernels.norm(gradient)
            fresh = false
            if gradientNorm > contraction * before { factor = nil }
        }
        return Outcome(iterations: iterations, evaluations: evaluations, factorizations: factorizations,
                       value: value, gradientNorm: gradientNorm)
    }
}
