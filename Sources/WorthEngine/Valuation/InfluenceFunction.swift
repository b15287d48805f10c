/// Influence functions (Koh & Liang, ICML 2017) for the L2 logistic regression.
///
/// With θ̂ minimising F(θ) = (1/n) Σ ℓ(z_i; θ) + (λ/2)‖θ‖² over the n valued rows and
/// H = ∇²F(θ̂) + δI (δ = `damping`), removing row i moves θ̂ by about (1/n) H⁻¹∇ℓ(z_i). Hence:
/// - `.validationLoss` (`influence`): value_i = (1/n) ∇L_valᵀ H⁻¹ ∇ℓ(z_i), the predicted rise of
///   the summed validation loss L_val (no penalty) when row i is removed. Positive: the row
///   helped. One solve v = H⁻¹∇L_val serves every row.
/// - `.selfInfluence` (`self-influence`): s_i = ∇ℓ(z_i)ᵀ H⁻¹ ∇ℓ(z_i), how much a row bends the
///   model towards itself; high means suspect (often mislabelled). Needs no validation set.
///   Reported as value = −s_i, so that low means suspect as for every other method; the raw
///   s_i is the `self_influence` column.
///
/// H⁻¹ is applied exactly by Cholesky for small parameter counts and by conjugate gradient on
/// Hessian-vector products for large ones (`HessianInverse`); the progress `phase` says which.
/// Rows are chunked over `problem.workers`; each value depends on its row only, so results do
/// not depend on the number of workers, and the shards of a run (`--shard K/N`, by rows; each
/// fits the model and its Hessian) concatenate to it. Progress is counted in rows.
public struct InfluenceFunction: ValuationRun {
    /// What is measured.
    public enum Kind: Sendable {
        /// Predicted change of the validation loss when the row is removed.
        case validationLoss
        /// −∇ℓ(z)ᵀH⁻¹∇ℓ(z), without validation data.
        case selfInfluence
    }

    public var kind: Kind
    /// δ ≥ 0 added to the Hessian's diagonal (on top of λ), for stability or to temper the
    /// values of rows the model fits poorly.
    public var damping: Double
    /// Forces a Hessian method (tests); nil chooses by parameter count.
    var method: HessianInverse.Method?
    /// One shard of the rows and a state file.
    public var session: RunSession

    public init(kind: Kind = .validationLoss, damping: Double = 0, session: RunSession = RunSession()) {
        precondition(damping >= 0)
        self.kind = kind
        self.damping = damping
        self.session = session
    }

    /// δ added to the Hessian's diagonal.
    public static let damping = Parameter<Double>("damping", default: 0, in: 0...1e6,
                                                  summary: "added to the Hessian's diagonal (on top of the L2 penalty 0.01)")

    /// `influence` for the catalog, with parameter `damping`; it also explains single
    /// validation predictions (`explain`).
    public static let descriptor = MethodDescriptor(
        id: "influence", title: "Influence function",
        summary: "Predicted rise in validation loss of logistic regression if the row were removed; one linear solve",
        needsValidation: true, parameters: [damping], sessionSettings: [.shard, .stateOut],
        explainer: { problem, row, count, values in try explain(problem, validationRow: row, count: count, damping: values[damping]) },
        make: { values, session in InfluenceFunction(kind: .validationLoss, damping: values[damping], session: session) })

    /// `self-influence` for the catalog, with parameter `damping`.
    public static let selfInfluenceDescriptor = MethodDescriptor(
        id: "self-influence", title: "Self-influence",
        summary: "How strongly a row pulls logistic regression towards itself, negated: low value = suspect; no validation set",
        needsValidation: false, parameters: [damping], sessionSettings: [.shard, .stateOut],
        make: { values, session in InfluenceFunction(kind: .selfInfluence, damping: values[damping], session: session) })

    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let n = problem.count, unit = "rows"
        let empty = ValuationEstimate(values: [Double](repeating: .nan, count: n))
        func phase(_ text: String) {
            reporter.offer(force: true) {
                ValuationUpdate(done: 0, total: n, unit: unit, phase: text, estimate: empty, elapsed: reporter.elapsed)
            }
        }
        phase("fitting logistic regression")
        let model = Self.fittedModel(problem)
        let p = model.parameterCount(features: problem.train.columns)
        let method = self.method ?? HessianInverse.automatic(parameterCount: p, manySolves: kind == .selfInfluence)
        phase(HessianInverse.describe(method, parameterCount: p))
        let inverse = HessianInverse(model: model, x: problem.train, labels: problem.trainLabels,
                                     rows: problem.allRows, damping: damping, method: method)
        let direction = kind == .validationLoss
            ? inverse.solve(Self.validationGradient(model, problem, rows: problem.allValidationRows)) : []

        var values = [Double](repeating: .nan, count: n)
        let kind = self.kind
        func estimate() -> ValuationEstimate {
            kind == .validationLoss ? ValuationEstimate(values: values)
                : ValuationEstimate(values: values, extraColumns: [ExtraColumn(name: "self_influence", values: values.map { -$0 })])
        }
        let plan = session.plan(units: n)
        let final = try await ChunkedPass(units: plan, chunkSize: 256, unit: unit, phase: inverse.description).run(
            workers: problem.workers, reporter: reporter,
            work: { range in
                Self.rowValues(range, kind: kind, model: model, problem: problem, inverse: inverse, direction: direction)
            },
            merge: { range, partial in
                for (i, v) in zip(range, partial) { values[i] = v }
            },
            estimate: { _ in estimate() })
        let id = kind == .validationLoss ? Self.descriptor.id : Self.selfInfluenceDescriptor.id
        let done = plan.lowerBound..<(plan.lowerBound + final.done)
        if final.stop != .cancelled {
            // A shard checks its own rows; the others have no value yet.
            var own = final.estimate
            own.values = Array(own.values[done])
            try own.requireFinite(method: id)
        }
        try session.saveState(method: id, seed: problem.seed, unitName: unit, units: n, done: done,
                              results: estimate().results(ofRows: done))
        return final
    }

    /// The values of valued rows `rows`: (1/n) ∇L_valᵀH⁻¹∇ℓ(z_i) (`direction` = H⁻¹∇L_val) or
    /// −∇ℓ(z_i)ᵀH⁻¹∇ℓ(z_i).
    static func rowValues(_ rows: Range<Int>, kind: Kind, model: LogisticRegression, problem: ValuationProblem,
                          inverse: HessianInverse, direction: [Double]) -> [Double] {
        let n = problem.count, p = model.parameters.count
        let x = problem.train
        // The chunk's gradients, one after another (never all n of them).
        var gradients = [Double](repeating: 0, count: rows.count * p)
        var values = [Double](repeating: 0, count: rows.count)
        gradients.withUnsafeMutableBufferPointer { g in
            for (k, i) in rows.enumerated() {
                model.rowLossGradient(x, labels: problem.trainLabels, row: i,
                                      into: UnsafeMutableBufferPointer(rebasing: g[(k * p)..<((k + 1) * p)]))
            }
            values.withUnsafeMutableBufferPointer { v in
                switch kind {
                case .validationLoss:
                    direction.withUnsafeBufferPointer { u in
                        for k in 0..<rows.count { v[k] = VectorKernels.dot(u.baseAddress!, g.baseAddress! + k * p, p) / Double(n) }
                    }
                case .selfInfluence:
                    inverse.quadraticForms(g.baseAddress!, count: rows.count, into: v.baseAddress!)
                    for k in 0..<rows.count { v[k] = -v[k] }
                }
            }
        }
        return values
    }

    // MARK: Explaining one validation prediction

    /// The influence of one valued row on one validation point's loss.
    public struct RowInfluence: Sendable, Equatable {
        /// Index of the valued row (into `problem.train`).
        public var row: Int
        /// (1/n) ∇ℓ(z_t)ᵀH⁻¹∇ℓ(z_row): predicted rise of the point's log-loss (nats) if the row
        /// were removed; positive = the row helped this prediction.
        public var influence: Double
    }

    /// Which valued rows most helped and most hurt one validation prediction.
    public struct Explanation: Sendable, Equatable {
        /// Index of the validation row (into `problem.validation`).
        public var validationRow: Int
        /// Rows with positive influence, largest first.
        public var helped: [RowInfluence]
        /// Rows with negative influence, most negative first.
        public var hurt: [RowInfluence]
    }

    /// The `count` valued rows that most helped and the `count` that most hurt the logistic
    /// regression's prediction of validation row `validationRow` (an index into
    /// `problem.validation`), by influence on its log-loss. Ties go to the lower row index.
    /// Throws an `InputError` (`.noValidationRow`) when the row does not exist.
    public static func explain(_ problem: ValuationProblem, validationRow t: Int, count: Int = 10,
                               damping: Double = 0) throws -> Explanation {
        guard (0..<problem.validationLabels.count).contains(t) else {
            throw InputError(.noValidationRow(t, count: problem.validationLabels.count))
        }
        let model = fittedModel(problem)
        let p = model.parameterCount(features: problem.train.columns)
        let inverse = HessianInverse(model: model, x: problem.train, labels: problem.trainLabels, rows: problem.allRows,
                                     damping: damping, method: HessianInverse.automatic(parameterCount: p, manySolves: false))
        let direction = inverse.solve(validationGradient(model, problem, rows: [t]))
        var gradient = [Double](repeating: 0, count: p)
        let n = Double(problem.count)
        let influences = (0..<problem.count).map { i -> RowInfluence in
            gradient.withUnsafeMutableBufferPointer { g in
                model.rowLossGradient(problem.train, labels: problem.trainLabels, row: i, into: g)
            }
            var s = 0.0
            for j in 0..<p { s += direction[j] * gradient[j] }
            return RowInfluence(row: i, influence: s / n)
        }
        let helped = influences.filter { $0.influence > 0 }
            .sorted { $0.influence > $1.influence || ($0.influence == $1.influence && $0.row < $1.row) }
        let hurt = influences.filter { $0.influence < 0 }
            .sorted { $0.influence < $1.influence || ($0.influence == $1.influence && $0.row < $1.row) }
        return Explanation(validationRow: t, helped: Array(helped.prefix(count)), hurt: Array(hurt.prefix(count)))
    }

    // MARK: Shared steps

    /// The logistic regression (default λ) fitted on all valued rows.
    static func fittedModel(_ problem: ValuationProblem) -> LogisticRegression {
        var model = LogisticRegression(classCount: problem.classCount)
        model.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows)
        return model
    }

    /// Σ_{t ∈ rows} ∇ℓ(z_t; θ̂) over validation rows, without the penalty.
    static func validationGradient(_ model: LogisticRegression, _ problem: ValuationProblem, rows: [Int]) -> [Double] {
        let p = model.parameters.count
        var total = [Double](repeating: 0, count: p)
        var one = [Double](repeating: 0, count: p)
        for t in rows {
            one.withUnsafeMutableBufferPointer {
                model.rowLossGradient(problem.validation, labels: problem.validationLabels, row: t, into: $0)
            }
            for j in 0..<p { total[j] += one[j] }
        }
        return total
    }
}
