/// Applies (∇²F(θ̂) + δI)⁻¹, the damped inverse Hessian of a fitted logistic regression's
/// objective over its training rows, as influence functions need it.
///
/// Two ways, chosen by `automatic(parameterCount:manySolves:)`:
/// - `.cholesky`: form the P × P Hessian (m·P²/2 flops) and factor it (P³/6); each solve then
///   costs P². Exact, and the only sensible choice when there is one solve per row.
/// - `.conjugateGradient`: never form it; Jacobi-preconditioned CG on Hessian-vector products
///   (4·m·P flops each) with the row probabilities cached. For one solve with many parameters.
struct HessianInverse: Sendable {
    enum Method: Sendable, Equatable {
        case cholesky
        case conjugateGradient
    }

    /// Up to this parameter count a single solve uses Cholesky: forming the Hessian (m·P²/2)
    /// against a CG run to 10⁻¹⁰ on products (about 4·m·P each, tens to hundreds of them).
    /// This was the logistic regression's Newton limit until its refits moved to L-BFGS above
    /// 120 parameters; a solve to 10⁻¹⁰ is not a refit to 10⁻⁴, so it keeps its value.
    static let singleSolveCholeskyLimit = 300
    /// Up to this parameter count (a 32 MB Hessian) one solve per row still uses Cholesky:
    /// a CG run per row would cost far more than forming the Hessian once.
    static let manySolveCholeskyLimit = 2000

    let method: Method
    let parameterCount: Int
    private let factor: Cholesky?
    private let objective: SoftmaxObjective
    private let probabilities: [Double]
    private let diagonal: [Double]
    private let damping: Double

    /// The method for `parameterCount` parameters and one solve (`manySolves` false) or one
    /// per row.
    static func automatic(parameterCount: Int, manySolves: Bool) -> Method {
        parameterCount <= (manySolves ? manySolveCholeskyLimit : singleSolveCholeskyLimit) ? .cholesky : .conjugateGradient
    }

    /// For `model`, fitted on `rows` of `x`, with damping δ ≥ 0 added to the diagonal.
    init(model: LogisticRegression, x: Matrix, labels: [Int], rows: [Int], damping: Double, method: Method) {
        let p = model.parameterCount(features: x.columns)
        precondition(model.parameters.count == p, "fit the model first")
        parameterCount = p
        self.damping = damping
        let objective = model.objective(x, labels: labels, rows: rows)
        self.objective = objective
        var factor: Cholesky?
        if method == .cholesky {
            var h = model.hessian(x, rows: rows)
            for i in 0..<p { h[i * p + i] += damping }
            factor = Cholesky(h, size: p)
        }
        self.factor = factor
        // A failed factorisation (only possible through rounding, H ⪰ λI) falls back to CG.
        self.method = factor == nil ? .conjugateGradient : .cholesky
        if factor == nil {
            probabilities = model.parameters.withUnsafeBufferPointer { objective.rowProbabilities($0) }
            diagonal = objective.hessianDiagonal(probabilities: probabilities, damping: damping)
        } else {
            probabilities = []
            diagonal = []
        }
    }

    /// H⁻¹·b.
    func solve(_ b: [Double]) -> [Double] {
        if let factor {
            var x = b
            x.withUnsafeMutableBufferPointer { factor.solve($0) }
            return x
        }
        return ConjugateGradient(maxIterations: 10 * parameterCount + 100)
            .solve(b, diagonal: diagonal) { v, out in
                objective.hessianVectorProduct(probabilities: probabilities, damping: damping, v, into: out)
            }.x
    }

    /// gᵀH⁻¹g. `g` is overwritten (with L⁻¹g under Cholesky).
    func quadraticForm(_ g: UnsafeMutableBufferPointer<Double>) -> Double {
        if let factor {
            factor.forwardSolve(g)
            var s = 0.0
            for v in g { s += v * v }
            return s
        }
        let x = solve(Array(g))
        var s = 0.0
        for j in 0..<g.count { s += g[j] * x[j] }
        return s
    }

    /// gᵀH⁻¹g for each of the `count` gradients stored one after another in `gradients`
    /// (count × P, which it may overwrite), into `out`; each the same bits as `quadraticForm`.
    ///
    /// Under Cholesky the forward solves of four gradients run together: each row of L is read
    /// once for the four and the four dot products share the SIMD lanes, in the same order of
    /// operations as `Cholesky.forwardSolve` on each alone.
    func quadraticForms(_ gradients: UnsafeMutablePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
        let p = parameterCount
        guard let factor else {
            for r in 0..<count { out[r] = quadraticForm(UnsafeMutableBufferPointer(start: gradients + r * p, count: p)) }
            return
        }
        withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: max(p, 1)) { x in
            factor.lower.withUnsafeBufferPointer { lp in
                var first = 0
                while first < count {
                    let live = min(4, count - first)
                    // Four gradients interleaved (missing ones zero): x[j] holds their j-th entries.
                    for j in 0..<p {
                        var v = SIMD4<Double>()
                        for r in 0..<live { v[r] = gradients[(first + r) * p + j] }
                        x[j] = v
                    }
                    Self.forwardSolve4(lp.baseAddress!, p, x.baseAddress!)
                    var sums = SIMD4<Double>()
                    for j in 0..<p { sums += x[j] * x[j] }
                    for r in 0..<live { out[first + r] = sums[r] }
                    first += 4
                }
            }
        }
    }

    /// L⁻¹ applied to four vectors at once (interleaved, `x[j]` = their j-th entries), for the
    /// row-major n × n lower triangle `l`: lane by lane the operations of
    /// `Cholesky.forwardSolve`, with `VectorKernels.dot`'s four sums.
    @inline(__always)
    private static func forwardSolve4(_ l: UnsafePointer<Double>, _ n: Int, _ x: UnsafeMutablePointer<SIMD4<Double>>) {
        for i in 0..<n {
            let li = l + i * n
            var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
            var j = 0
            while j &+ 4 <= i {
                s0 += SIMD4(repeating: li[j]) * x[j]
                s1 += SIMD4(repeating: li[j &+ 1]) * x[j &+ 1]
                s2 += SIMD4(repeating: li[j &+ 2]) * x[j &+ 2]
                s3 += SIMD4(repeating: li[j &+ 3]) * x[j &+ 3]
                j &+= 4
            }
            while j < i {
                s0 += SIMD4(repeating: li[j]) * x[j]
                j &+= 1
            }
            x[i] = (x[i] - ((s0 + s1) + (s2 + s3))) / SIMD4(repeating: li[i])
        }
    }

    /// What is being done, for progress text.
    var description: String { Self.describe(method, parameterCount: parameterCount) }

    /// Progress text for `method` over `parameterCount` parameters.
    static func describe(_ method: Method, parameterCount: Int) -> String {
        switch method {
        case .cholesky: "exact Hessian, Cholesky (\(parameterCount) parameters)"
        case .conjugateGradient: "conjugate gradient on Hessian-vector products (\(parameterCount) parameters)"
        }
    }
}
