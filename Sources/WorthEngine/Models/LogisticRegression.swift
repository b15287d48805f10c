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
/// Solver, chosen by size (`.automatic`): Newton's method (`Newton`: Cholesky steps, the factor
/// reused while it keeps contracting the gradient) when the parameter count P is at most
/// `newtonParameterLimit`, L-BFGS beyond; both with a backtracking line search, stopping once
/// ‖∇F‖₂ ≤ `tolerance`. A Newton step costs m·P²/2 + P³/6 to form and factor the Hessian, an
/// L-BFGS step one evaluation (about 2·m·P), so L-BFGS wins once P is large even though it
/// takes several times as many steps (see `newtonParameterLimit`).
///
/// Value semantics give warm starts: `var refit = fitted; refit.fit(x, labels: y, rows: other)`
/// starts from `fitted`'s parameters (and Newton from its Hessian factor), which makes refits on
/// nearby subsets (leave-one-out, growing prefixes) a few cheap steps. A subset grown from the
/// previous fit's rows is cheaper still with `fit(_:labels:rows:extending:)`.
public struct LogisticRegression: Classifier {
    /// Which minimiser `fit` uses.
    public enum Solver: String, Sendable {
        /// Newton when the parameter count is at most `newtonParameterLimit`, else L-BFGS.
        case automatic
        /// Newton's method: Cholesky solves with the exact Hessian, formed again whenever the
        /// factor at hand stops contracting the gradient by half a step.
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
        /// Evaluations of F with its gradient (over all the fit's rows), the start's included.
        public var evaluations: Int
        /// Hessians formed and factored (Newton only).
        public var factorizations: Int
        /// ‖∇F‖₂ at the returned parameters.
        public var gradientNorm: Double
    }

    /// λ used when none is given: 10⁻² (see the type's documentation).
    public static let defaultRegularization = 1e-2
    /// Largest parameter count C·(d+1) for which `.automatic` picks Newton: where the two cross
    /// for TMC-Shapley's refits (growing prefixes of 500 valued rows, tolerance 10⁻⁴). Measured
    /// CPU time per permutation, Newton / L-BFGS: 42 parameters 0.7, 93 to 105 about 0.9–1.1,
    /// 195 and above 3 to 13. Below the limit Newton also wins cold fits to 10⁻⁸ by far.
    public static let newtonParameterLimit = 120

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
    /// The Cholesky factor of the Hessian Newton used last, reused by the next Newton fit
    /// while it keeps contracting the gradient (nil until the first Newton fit).
    private var hessianFactor: Cholesky?
    /// Σℓ_i and Σ∇ℓ_i over the last fit's rows at `parameters`, which `fit(_:labels:rows:extending:)`
    /// extends with the new rows (nil before the first fit).
    private var rowSums: RowSums?

    /// Loss and gradient sums over `rows` rows, without the penalty.
    private struct RowSums: Sendable {
        var rows: Int
        var loss: Double
        var gradient: [Double]
    }

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
        fit(x, labels: labels, rows: rows, start: nil)
    }

    /// Fits on `rows`, which extend the rows of the previous fit (see `Classifier`): F and ∇F at
    /// the current parameters come from the previous fit's sums plus the new rows alone, which
    /// saves one evaluation over all rows per fit (of the three to ten a warm refit takes).
    public mutating func fit(_ x: Matrix, labels: [Int], rows: [Int], extending previousCount: Int) {
        guard let sums = rowSums, sums.rows == previousCount, previousCount > 0, previousCount < rows.count,
              featureCount == x.columns, parameters.count == parameterCount(features: x.columns)
        else {
            fit(x, labels: labels, rows: rows, start: nil)
            return
        }
        var gradient = [Double](repeating: 0, count: parameters.count)
        let added = objective(x, labels: labels, rows: Array(rows[previousCount...]))
        var loss = parameters.withUnsafeBufferPointer { t in
            gradient.withUnsafeMutableBufferPointer { added.lossAndGradientSums(t, $0) }
        }
        loss += sums.loss
        for j in gradient.indices { gradient[j] += sums.gradient[j] }
        fit(x, labels: labels, rows: rows, start: RowSums(rows: rows.count, loss: loss, gradient: gradient))
    }

    /// The fit behind both entry points; `start` holds the sums over `rows` at the current
    /// parameters when the caller has them.
    private mutating func fit(_ x: Matrix, labels: [Int], rows: [Int], start: RowSums?) {
        let count = parameterCount(features: x.columns)
        if featureCount != x.columns || parameters.count != count {
            featureCount = x.columns
            parameters = [Double](repeating: 0, count: count)
            hessianFactor = nil
        }
        let method = resolvedSolver(features: x.columns)
        guard !rows.isEmpty else {
            parameters = [Double](repeating: 0, count: count)
            rowSums = RowSums(rows: 0, loss: 0, gradient: [Double](repeating: 0, count: count))
            lastFit = FitReport(solver: method, iterations: 0, evaluations: 0, factorizations: 0, gradientNorm: 0)
            return
        }
        let objective = objective(x, labels: labels, rows: rows)
        // F and ∇F at the start, from the sums: F = Σℓ/m + (λ/2)‖θ‖², ∇F = Σ∇ℓ/m + λθ.
        let m = Double(rows.count)
        var gradient = start?.gradient ?? [Double](repeating: 0, count: count)
        let value = start.map { sums in
            var penalty = 0.0
            for j in 0..<count {
                gradient[j] = sums.gradient[j] / m + regularization * parameters[j]
                penalty += parameters[j] * parameters[j]
            }
            return sums.loss / m + 0.5 * regularization * penalty
        }
        let outcome: (value: Double, report: FitReport)
        switch method {
        case .newton, .automatic:
            let result = Newton(tolerance: tolerance, maxIterations: maxIterations)
                .minimize(&parameters, factor: &hessianFactor, value: value, gradient: &gradient,
                          objective: { objective.valueAndGradient($0, $1) }, hessian: { objective.hessian($0, into: $1) })
            outcome = (result.value, FitReport(solver: method, iterations: result.iterations, evaluations: result.evaluations,
                                               factorizations: result.factorizations, gradientNorm: result.gradientNorm))
        case .lbfgs:
            let result = LBFGS(tolerance: tolerance, maxIterations: maxIterations)
                .minimize(&parameters, value: value, gradient: &gradient) { objective.valueAndGradient($0, $1) }
            outcome = (result.value, FitReport(solver: method, iterations: result.iterations, evaluations: result.evaluations,
                                               factorizations: 0, gradientNorm: result.gradientNorm))
        }
        lastFit = outcome.report
        // Back to sums at the fitted parameters, for the next extending fit.
        var penalty = 0.0
        for j in 0..<count {
            penalty += parameters[j] * parameters[j]
            gradient[j] = (gradient[j] - regularization * parameters[j]) * m
        }
        rowSums = RowSums(rows: rows.count, loss: (outcome.value - 0.5 * regularization * penalty) * m, gradient: gradient)
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
}
