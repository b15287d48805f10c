/// Multinomial (softmax) logistic regression with an L2 penalty, fitted to high precision.
///
/// Fitting on rows R (m of them, repeats counted) minimises
///
///     F(θ) = (1/m) Σ_{i ∈ R} −log p(y_i | x_i; θ) + (λ/2)‖θ‖²
///
/// over the full C × (d+1) parameters: one weight vector and one bias per class, with no
/// reference class. The penalty covers the biases too. That is a deliberate departure from
/// scikit-learn: it makes F strongly convex (its Hessian is ⪰ λI, so positive definite), hence
/// the minimiser is unique even with the redundant softmax parametrisation, with a single
/// class, or with separable data, and the Hessian can be factored (Newton) or inverted
/// (influence functions) without extra damping.
///
/// λ defaults to 10⁻² (`defaultRegularization`), a fixed constant rather than 1/m: with
/// standardised features it barely biases a fit on hundreds of rows, yet it bounds the
/// weights on separable subsets and keeps the Hessian's condition number moderate, and because
/// it does not change with m a model fitted on 20 rows and one fitted on 2,000 differ only in
/// their data, which is what subset-based valuation compares. (scikit-learn's C corresponds to
/// λ = 1/(C·m).)
///
/// Solver: Newton's method with a Cholesky solve when the parameter count is at most
/// `newtonParameterLimit` (quadratic convergence, cost m·P²/2 per step), L-BFGS beyond
/// (cost m·P per step), both with a backtracking line search, stopping once ‖∇F‖₂ ≤ `tolerance`.
///
/// Value semantics give warm starts: `var refit = fitted; refit.fit(x, labels: y, rows: other)`
/// starts from `fitted`'s parameters, which makes refits on nearby subsets (leave-one-out,
/// growing prefixes) a step or two of Newton.
public struct LogisticRegression: Classifier {
    /// Which minimiser `fit` uses.
    public enum Solver: String, Sendable {
        /// Newton when the parameter count is at most `newtonParameterLimit`, else L-BFGS.
        case automatic
        /// Newton's method with an exact Hessian and a Cholesky solve.
        case newton
        /// Limited-memory BFGS (memory 10).
        case lbfgs
    }

    /// How the last `fit` went.
    public struct FitReport: Sendable, Equatable {
        /// The solver that ran (never `.automatic`).
        public var solver: Solver
        /// Newton or L-BFGS steps taken (0 when the start was already optimal or there were no rows).
        public var iterations: Int
        /// ‖∇F‖₂ at the returned parameters.
        public var gradientNorm: Double
    }

    /// λ used when none is given: 10⁻² (see the type's documentation).
    public static let defaultRegularization = 1e-2
    /// Largest parameter count C·(d+1) for which `.automatic` picks Newton.
    public static let newtonParameterLimit = 300

    public let classCount: Int
    /// λ > 0, the L2 penalty weight on all parameters, biases included.
    public var regularization: Double
    /// Stop once the gradient norm of F is at most this (F is an average, so this does not
    /// depend on the number of rows). Default 10⁻⁸.
    public var tolerance: Double
    /// Cap on solver steps.
    public var maxIterations: Int
    public var solver: Solver
    /// Number of features d the model was fitted on (0 before the first fit).
    public private(set) var featureCount: Int = 0
    /// θ, C × (d+1), class by class: d weights then the bias. Empty before the first fit,
    /// when the model predicts uniform probabilities.
    public private(set) var parameters: [Double] = []
    /// How the last fit went; nil before the first fit.
    public private(set) var lastFit: FitReport?

    /// An unfitted model over `classCount` ≥ 1 classes.
    public init(classCount: Int, regularization: Double = LogisticRegression.defaultRegularization,
                tolerance: Double = 1e-8, maxIterations: Int = 500, solver: Solver = .automatic) {
        precondition(classCount >= 1, "at least one class")
        precondition(regularization > 0, "the penalty must be positive to keep the fit bounded")
        self.classCount = classCount
        self.regularization = regularization
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.solver = solver
    }

    /// C × (d+1) for `features` features.
    public func parameterCount(features: Int) -> Int { classCount * (features + 1) }

    /// The solver `fit` runs for `features` features.
    public func resolvedSolver(features: Int) -> Solver {
        switch solver {
        case .automatic: parameterCount(features: features) <= Self.newtonParameterLimit ? .newton : .lbfgs
        case .newton, .lbfgs: solver
        }
    }

    /// Fits on `rows` of `x`, starting from the current parameters when they have the right
    /// shape (warm start), else from zero. No rows: θ = 0, the penalty's minimiser, which
    /// predicts uniform probabilities. One class: a finite fit leaning towards that class.
    public mutating func fit(_ x: Matrix, labels: [Int], rows: [Int]) {
        let count = parameterCount(features: x.columns)
        if featureCount != x.columns || parameters.count != count {
            featureCount = x.columns
            parameters = [Double](repeating: 0, count: count)
        }
        let method = resolvedSolver(features: x.columns)
        guard !rows.isEmpty else {
            parameters = [Double](repeating: 0, count: count)
            lastFit = FitReport(solver: method, iterations: 0, gradientNorm: 0)
            return
        }
        let objective = objective(x, labels: labels, rows: rows)
        let result: (iterations: Int, gradientNorm: Double)
        switch method {
        case .newton, .automatic:
            result = Self.newton(&parameters, objective: objective, tolerance: tolerance, maxIterations: maxIterations)
        case .lbfgs:
            result = LBFGS(tolerance: tolerance, maxIterations: maxIterations)
                .minimize(&parameters) { objective.valueAndGradient($0, $1) }
        }
        lastFit = FitReport(solver: method, iterations: result.iterations, gradientNorm: result.gradientNorm)
    }

    public func predictProbabilities(_ x: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
        guard !parameters.isEmpty else {
            probabilities.update(repeating: 1 / Double(classCount))
            return
        }
        precondition(x.count == featureCount && probabilities.count == classCount)
        parameters.withUnsafeBufferPointer { t in
            _ = SoftmaxObjective.probabilities(t.baseAddress!, row: x.baseAddress!, features: featureCount,
                                               classes: classCount, label: -1, into: probabilities.baseAddress!)
        }
    }

    // MARK: Derivatives at the fitted parameters (for influence functions)

    /// The objective F over `rows` of `x` with this model's λ.
    func objective(_ x: Matrix, labels: [Int], rows: [Int]) -> SoftmaxObjective {
        SoftmaxObjective(x: x, labels: labels, rows: rows, classCount: classCount, regularization: regularization)
    }

    /// ∇θ ℓ(x_row, labels[row]; θ): the gradient of one row's log-loss, without the penalty,
    /// written into `gradient` (count P). Layout as `parameters`.
    public func rowLossGradient(_ x: Matrix, labels: [Int], row: Int, into gradient: UnsafeMutableBufferPointer<Double>) {
        precondition(parameters.count == parameterCount(features: x.columns) && gradient.count == parameters.count)
        let f = objective(x, labels: labels, rows: [])
        parameters.withUnsafeBufferPointer { f.rowLossGradient($0, row: row, into: gradient) }
    }

    /// ∇²F over `rows` of `x` at the current parameters: (1/m) Σ ∇²ℓ_i + λI, dense row-major
    /// P × P. Positive definite (⪰ λI).
    public func hessian(_ x: Matrix, rows: [Int]) -> [Double] {
        precondition(parameters.count == parameterCount(features: x.columns), "fit the model first")
        var h = [Double](repeating: 0, count: parameters.count * parameters.count)
        let f = SoftmaxObjective(x: x, labels: [], rows: rows, classCount: classCount, regularization: regularization)
        parameters.withUnsafeBufferPointer { t in h.withUnsafeMutableBufferPointer { f.hessian(t, into: $0) } }
        return h
    }

    // MARK: Newton

    /// Damped Newton: step −H⁻¹∇F by Cholesky, backtracking line search, until ‖∇F‖ ≤ tolerance.
    static func newton(_ theta: inout [Double], objective: SoftmaxObjective, tolerance: Double,
                       maxIterations: Int) -> (iterations: Int, gradientNorm: Double) {
        let n = theta.count
        var gradient = [Double](repeating: 0, count: n)
        var value = theta.withUnsafeBufferPointer { t in gradient.withUnsafeMutableBufferPointer { objective.valueAndGradient(t, $0) } }
        var hessian = [Double](repeating: 0, count: n * n)
        var direction = [Double](repeating: 0, count: n)
        var trial = [Double](repeating: 0, count: n)
        var trialGradient = [Double](repeating: 0, count: n)
        var iterations = 0
        var gradientNorm = VectorKernels.norm(gradient)
        while gradientNorm > tolerance && iterations < maxIterations {
            theta.withUnsafeBufferPointer { t in hessian.withUnsafeMutableBufferPointer { objective.hessian(t, into: $0) } }
            for j in 0..<n { direction[j] = -gradient[j] }
            if let factor = Cholesky(hessian, size: n) {
                direction.withUnsafeMutableBufferPointer { factor.solve($0) }
            }  // else (only through rounding) fall back to steepest descent
            guard LineSearch.backtrack(x: &theta, value: &value, gradient: &gradient, direction: direction,
                                       trial: &trial, trialGradient: &trialGradient,
                                       objective: { objective.valueAndGradient($0, $1) })
            else { break }
            iterations += 1
            gradientNorm = VectorKernels.norm(gradient)
        }
        return (iterations, gradientNorm)
    }
}
