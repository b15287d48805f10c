import Foundation

/// In-Run Data Shapley (Wang, Mittal, Song & Jia, "Data Shapley in One Training Run", ICLR
/// 2025) for multinomial logistic regression or a one-hidden-layer network: train the model once by mini-batch gradient
/// descent and, at every step, give each row of the batch its Shapley value in the game "how
/// much this step lowers the validation loss". No model is ever refitted: a run costs one
/// training run plus a few dot products per row and step.
///
/// ## The game of one step
/// The model is θ (a weight vector and a bias per class), the per-row loss ℓ(θ, z) is the
/// cross-entropy of the softmax, and a step on batch B of b rows is
/// θ_{t+1} = θ_t − Σ_{z∈B} ĝ_z with ĝ_z = (η/b) ∇ℓ(θ_t, z) (the batch mean, learning rate η).
/// The step's game over the players S ⊆ B is the drop of the mean validation loss L_val:
///
///     U_t(S) = L_val(θ_t) − L_val(θ_t − G_S),   G_S = Σ_{z∈S} ĝ_z.
///
/// A row's value is the sum over the steps of every run that saw it of its Shapley value in
/// U_t, averaged over `runs` runs that each shuffle the rows with their own seed.
///
/// **First order.** Taylor to the gradient, U_t(S) ≈ ∇L_val(θ_t)·G_S: the game is additive, so
/// row z's Shapley value is its own term, φ_z = ∇L_val(θ_t)·ĝ_z, positive when the row's step
/// points downhill for the validation loss.
///
/// **Second order.** With H = ∇²L_val(θ_t),
///
///     U_t(S) ≈ ∇L_val·G_S − ½ G_Sᵀ H G_S
///            = Σ_{i∈S} (∇L_val·ĝ_i − ½ ĝ_iᵀHĝ_i) + Σ_{i<j, i,j∈S} (−ĝ_iᵀHĝ_j).
///
/// The first sum is additive (each row keeps its term). Each pair term is a game
/// c·1[i ∈ S and j ∈ S], whose Shapley value is c/2 to each of i and j (they are symmetric and
/// the rest are null players), so i collects −½ ĝ_iᵀHĝ_j from every other j in B. Summing,
///
///     φ_i = ∇L_val·ĝ_i − ½ ĝ_iᵀHĝ_i − ½ Σ_{j∈B, j≠i} ĝ_iᵀHĝ_j = ĝ_i · (∇L_val − ½ H G_B).
///
/// So the whole batch's second-order values cost one Hessian-vector product H G_B per step,
/// and they are efficient: Σ_i φ_i = ∇L_val·G_B − ½ G_BᵀHG_B = U_t(B). For the softmax,
/// H v = (1/m) Σ_v (diag p_v − p_v p_vᵀ)(V x̃_v) x̃_vᵀ over the validation rows, computed in the
/// same pass as the gradient (1/m) Σ_v (p_v − e_{y_v}) x̃_vᵀ; ĝ_i·u = (η/b) Σ_k r_ik (u_k·x̃_i)
/// with r_i = p_i − e_{y_i}, so no per-row gradient is ever materialised.
///
/// ## The network
/// With `model: .mlp` the model is a ReLU network with one hidden layer of `hiddenUnits` and a
/// softmax output (`InRunNetworkTrainer`). The game and both orders are the same; the second
/// order's H is the Gauss–Newton matrix of the validation loss (the Hessian for the softmax
/// regression), and every product a step needs is a backward or a forward-mode pass through the
/// network, so a step costs a few forward passes over the batch and the validation window.
/// Each run starts from its own Glorot-initialised network.
///
/// ## Keeping the validation side cheap
/// Each step needs ∇L_val(θ_t) (and H G_B): a pass over the validation rows. When there are
/// more than `validationRowsPerStep` of them, a step uses the next that many of a validation
/// order shuffled once per run, wrapping around, so every validation row counts equally often
/// and a step costs O(validationRowsPerStep · classes · features) however large the validation
/// part is; the step's game is then the loss on that window (an unbiased estimate of the full
/// one).
///
/// ## Determinism and progress
/// Run r draws its row orders (and its validation order) from `SeededGenerator(seed:
/// problem.seed, stream: r)` and runs sequentially on one worker; runs go in parallel and are
/// merged in run order, so any number of workers gives the same bits. After every epoch (all
/// runs) the stream carries the mean over runs of each row's accumulated value, its standard
/// error across runs (with two runs or more), and, as the convergence figure, the Spearman
/// rank correlation of the estimate with the previous epoch's.
public struct InRunShapley: ValuationRun {
    /// The model trained (and valued along the way).
    public enum Model: String, Sendable, CaseIterable {
        /// Multinomial logistic regression, θ starting at zero.
        case logistic
        /// A ReLU network with one hidden layer and a softmax output.
        case mlp
    }

    /// How far the Taylor expansion of each step's game goes.
    public enum Order: String, Sendable, CaseIterable {
        /// Gradient only: φ_z = η ∇L_val·∇ℓ_z / b.
        case first
        /// Gradient and the Hessian term, its pair interactions split equally.
        case second
    }

    /// Passes over the valued rows per run, ≥ 1.
    public var epochs: Int
    /// Independent training runs (row orders) averaged, ≥ 1.
    public var runs: Int
    /// Rows per gradient step, ≥ 1; nil for `automaticBatchSize(rows:)`.
    public var batchSize: Int?
    /// Step size η on the batch-mean gradient, > 0; nil for `automaticLearningRate`.
    public var learningRate: Double?
    /// First or second order.
    public var order: Order
    /// Validation rows per step (all of them when there are fewer); nil for 8 × the batch size.
    public var validationRowsPerStep: Int?
    /// The model trained.
    public var model: Model
    /// Hidden units of the `.mlp` network, ≥ 1.
    public var hiddenUnits: Int

    /// - Parameters:
    ///   - epochs: passes over the rows per run, ≥ 1.
    ///   - runs: seeded runs averaged, ≥ 1.
    ///   - batchSize: rows per step, ≥ 1, or nil for `automaticBatchSize(rows:)`.
    ///   - learningRate: η > 0 on the batch-mean gradient, or nil for 1/λ_max of the rows'
    ///     second moment (`automaticLearningRate`), half the largest stable step of the softmax
    ///     regression; the network takes the same step, a heuristic there (it found the flipped
    ///     labels of the samples as well as the regression did).
    ///   - order: Taylor order of each step's game.
    ///   - validationRowsPerStep: validation rows per step, ≥ 1, or nil for 8 × the batch size.
    ///   - model: the model trained.
    ///   - hiddenUnits: hidden units of the `.mlp` network, ≥ 1.
    public init(epochs: Int = 3, runs: Int = 5, batchSize: Int? = nil, learningRate: Double? = nil,
                order: Order = .second, validationRowsPerStep: Int? = nil, model: Model = .logistic,
                hiddenUnits: Int = 32) {
        precondition(epochs >= 1 && runs >= 1 && (batchSize ?? 1) >= 1 && (learningRate ?? 1) > 0)
        precondition((validationRowsPerStep ?? 1) >= 1 && hiddenUnits >= 1)
        self.model = model
        self.hiddenUnits = hiddenUnits
        self.epochs = epochs
        self.runs = runs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.order = order
        self.validationRowsPerStep = validationRowsPerStep
    }

    /// The run behind `run(_:)`: offers updates to `reporter`, returns the final one.
    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let n = problem.count
        guard n > 0 else { throw InputError("in-run-shapley: there are no rows to value") }
        guard !problem.validationLabels.isEmpty else {
            throw InputError(.needsValidation(method: Self.descriptor.id))
        }
        var configured = self
        if configured.learningRate == nil { configured.learningRate = Self.automaticLearningRate(problem) }
        if configured.batchSize == nil { configured.batchSize = Self.automaticBatchSize(rows: n) }
        if configured.validationRowsPerStep == nil { configured.validationRowsPerStep = 8 * configured.batchSize! }
        let method = configured
        var states = (0..<runs).map {
            InRunState(problem: problem, run: $0, validationRowsPerStep: method.validationRowsPerStep,
                       theta: method.initialParameters(problem, run: $0))
        }
        var estimate = ValuationEstimate(values: [Double](repeating: .nan, count: n))
        var correlation = ConvergenceSeries(name: "rank corr. to last epoch")
        var previous: [Double]?
        var done = 0
        func update(stop: StopReason? = nil) -> ValuationUpdate {
            ValuationUpdate(done: done, total: epochs * runs, unit: "run epochs", estimate: estimate,
                            convergence: [correlation], elapsed: reporter.elapsed, stop: stop)
        }
        reporter.offer(force: true) { update() }

        for epoch in 0..<epochs {
            let start = states
            let outcome = try await runChunks(
                units: 0..<runs, chunkSize: 1, workers: problem.workers,
                work: { range in try method.epoch(start[range.lowerBound], problem: problem) },
                merge: { range, state in
                    states[range.lowerBound] = state
                    done += 1
                    reporter.offer { update() }
                    return .proceed
                })
            guard outcome == .completed else { return update(stop: .cancelled) }
            estimate = Self.estimate(states)
            if let previous {
                correlation.history.append(ConvergencePoint(done: done, value: RankAgreement.spearman(previous, estimate.values)))
            }
            previous = estimate.values
            reporter.offer(force: epoch + 1 < epochs) { update() }
        }
        return update(stop: .completed)
    }

    /// One epoch of one run, from `state` to the state after it. Checks for cancellation and a
    /// pause every 64 steps; a paused epoch is thrown away and run again from `state`.
    func epoch(_ state: InRunState, problem: ValuationProblem) throws -> InRunState {
        var state = state
        let n = problem.count
        let order = state.generator.permutation(n)
        let window = min(validationRowsPerStep ?? Int.max, problem.validationLabels.count)
        let trainer = makeTrainer(theta: state.theta, problem: problem, window: window)
        var validationRows = [Int](repeating: 0, count: window)
        let control = RunControl.current
        var accumulated = state.values
        try problem.train.storage.withUnsafeBufferPointer { x in
            try problem.validation.storage.withUnsafeBufferPointer { vx in
                try order.withUnsafeBufferPointer { order in
                    try accumulated.withUnsafeMutableBufferPointer { values in
                        var step = 0
                        var begin = 0
                        while begin < n {
                            if step & 63 == 0 {
                                try Task.checkCancellation()
                                if control?.isPaused == true { throw UnitPaused() }
                            }
                            let end = min(begin + batchSize!, n)
                            state.nextValidationWindow(into: &validationRows)
                            validationRows.withUnsafeBufferPointer { rows in
                                trainer.step(
                                    batch: UnsafeBufferPointer(rebasing: order[begin..<end]),
                                    train: (x.baseAddress!, problem.trainLabels),
                                    validation: (vx.baseAddress!, problem.validationLabels, rows),
                                    learningRate: learningRate!, order: self.order,
                                    values: values.baseAddress!)
                            }
                            begin = end
                            step += 1
                        }
                    }
                }
            }
        }
        state.theta = trainer.theta
        state.values = accumulated
        return state
    }

    /// The parameters run `run` starts from: zero for the softmax regression; for the network,
    /// Glorot-uniform weights drawn from the run's own stream (not the one its row orders come
    /// from, so adding the network changed no logistic run).
    func initialParameters(_ problem: ValuationProblem, run: Int) -> [Double] {
        switch model {
        case .logistic:
            return [Double](repeating: 0, count: problem.classCount * (problem.train.columns + 1))
        case .mlp:
            var generator = SeededGenerator(seed: problem.seed, stream: 0x4E_E7_0000 + UInt64(run))
            return InRunNetworkTrainer.initialNetwork(features: problem.train.columns, hidden: hiddenUnits,
                                                      classes: problem.classCount, generator: &generator).parameters
        }
    }

    /// The trainer of one run's epoch, starting at `theta`.
    func makeTrainer(theta: [Double], problem: ValuationProblem, window: Int) -> InRunTrainer {
        let d = problem.train.columns, k = problem.classCount
        switch model {
        case .logistic:
            return InRunSoftmaxTrainer(features: d, classes: k, theta: theta)
        case .mlp:
            let network = MultilayerPerceptron(widths: [d, hiddenUnits, k], outputActivation: .identity, parameters: theta)
            return InRunNetworkTrainer(network: network, batchCapacity: min(batchSize!, problem.count), validationCapacity: window)
        }
    }

    /// Rows per step when none is given: n / 3000 within 32…1024, so a run makes about 3,000
    /// steps an epoch on large data. Each step's validation window (8 × the batch by default) is
    /// what each value is measured against; on 800,000 × 100 (binary), batch 32 with 256
    /// validation rows gave AUROC 0.761 for 53 CPU seconds, batch 32 with 2,048 rows 0.812 for
    /// 122, batch 256 with 2,048 rows 0.811 for 57 (whole process, CSV parsing included): a bigger batch
    /// buys a bigger window for the same work. Small data keeps 32: breast_cancer's 400 rows at
    /// batch 128 (3 steps an epoch) fell to AUROC 0.979 from 0.986.
    static func automaticBatchSize(rows n: Int) -> Int {
        min(1024, max(32, n / 3000))
    }

    /// 1/λ_max of (1/s) Σ x̃ x̃ᵀ (x̃ = (x, 1)) over s = min(n, 4096) rows drawn with the run's
    /// seed, by 50 power iterations. The batch-mean cross-entropy's Hessian is at most
    /// ½ λ_max(Σ x̃ x̃ᵀ / n) (the softmax's curvature is at most ½), so this is half the largest
    /// stable step. Correlated features make λ_max large: breast_cancer's 30 standardised
    /// features have λ_max ≈ 14, and a fixed η = 1 there ended in AUROC 0.51 (η = 0.1: 0.985).
    static func automaticLearningRate(_ problem: ValuationProblem) -> Double {
        let n = problem.count, d = problem.train.columns, q = d + 1
        var generator = SeededGenerator(seed: problem.seed, stream: 0x1E_A7)
        let rows = n <= 4096 ? Array(0..<n) : (0..<4096).map { _ in generator.nextInt(below: n) }
        var v = [Double](repeating: 1 / Double(q).squareRoot(), count: q)
        var w = [Double](repeating: 0, count: q)
        var lambda = 1.0
        problem.train.storage.withUnsafeBufferPointer { x in
            for _ in 0..<50 {
                for j in 0..<q { w[j] = 0 }
                for i in rows {
                    let row = x.baseAddress! + i * d
                    let t = VectorKernels.dot(row, v, d) + v[d]
                    w.withUnsafeMutableBufferPointer { VectorKernels.axpy(t, row, $0.baseAddress!, d) }
                    w[d] += t
                }
                let norm = VectorKernels.norm(w)
                lambda = norm / Double(rows.count)
                guard norm > 0 else { break }
                for j in 0..<q { v[j] = w[j] / norm }
            }
        }
        return 1 / max(lambda, 1e-12)
    }

    /// The mean over runs of each row's accumulated value, with its standard error across runs.
    static func estimate(_ states: [InRunState]) -> ValuationEstimate {
        let n = states[0].values.count, r = Double(states.count)
        var mean = [Double](repeating: 0, count: n)
        for state in states { for i in 0..<n { mean[i] += state.values[i] } }
        for i in 0..<n { mean[i] /= r }
        guard states.count >= 2 else { return ValuationEstimate(values: mean) }
        var squares = [Double](repeating: 0, count: n)
        for state in states {
            for i in 0..<n {
                let e = state.values[i] - mean[i]
                squares[i] += e * e
            }
        }
        let errors = squares.map { ($0 / (r - 1) / r).squareRoot() }
        return ValuationEstimate(values: mean, standardErrors: errors)
    }
}

/// Where one In-Run Shapley run stands between epochs: its model, its random stream, its
/// place in the validation order and the values its steps gave so far.
struct InRunState: Sendable {
    /// The model's parameters (the trainer's layout).
    var theta: [Double]
    /// The run's generator: each epoch's row order comes from it.
    var generator: SeededGenerator
    /// The validation rows in the order the steps' windows walk them (identity when every step
    /// uses all of them).
    let validationOrder: [Int]
    /// Where the next window starts in `validationOrder`.
    var validationPosition = 0
    /// Each row's value accumulated over the run's steps so far.
    var values: [Double]

    init(problem: ValuationProblem, run: Int, validationRowsPerStep: Int?, theta: [Double]) {
        self.theta = theta
        generator = SeededGenerator(seed: problem.seed, stream: UInt64(run))
        let m = problem.validationLabels.count
        validationOrder = m > (validationRowsPerStep ?? Int.max) ? generator.permutation(m) : Array(0..<m)
        values = [Double](repeating: 0, count: problem.count)
    }

    /// Fills `window` with the next validation rows of the walk, wrapping around.
    mutating func nextValidationWindow(into window: inout [Int]) {
        let m = validationOrder.count
        for k in 0..<window.count {
            window[k] = validationOrder[validationPosition]
            validationPosition = validationPosition + 1 == m ? 0 : validationPosition + 1
        }
    }
}

extension InRunShapley.Model: ParameterChoice {
    public var summary: String {
        switch self {
        case .logistic: "multinomial logistic regression"
        case .mlp: "a ReLU network with one hidden layer; second order uses its Gauss-Newton curvature"
        }
    }
}

extension InRunShapley.Order: ParameterChoice {
    public var summary: String {
        switch self {
        case .first: "gradient only: each row's step dotted with the validation gradient"
        case .second: "adds the validation Hessian's term, each pair's interaction split equally (one extra Hessian-vector product per step)"
        }
    }
}

extension InRunShapley {
    /// Passes over the rows per training run.
    public static let epochs = Parameter<Int>("epochs", default: 3, in: 1...10_000, summary: "passes over the rows in each training run")
    /// Training runs averaged.
    public static let runs = Parameter<Int>(
        "runs", default: 5, in: 1...10_000, summary: "training runs, each with its own row order; values are their mean")
    /// Rows per gradient step; 0 for the automatic size.
    public static let batchSize = Parameter<Int>(
        "batch-size", default: 0, in: 0...1_000_000, summary: "rows per gradient step (0: n / 3000 within 32...1024)")
    /// SGD step size; 0 for the automatic one.
    public static let learningRate = Parameter<Double>(
        "learning-rate", default: 0, in: 0...1_000,
        summary: "step size on the batch-mean gradient (0: 1/λmax of the rows' second moment, half the largest stable step)")
    /// Taylor order of each step's game.
    public static let order = Parameter<Order>("order", default: .second, summary: "Taylor order of each step's game")
    /// Validation rows per step; 0 for 8 × the batch size.
    public static let validationRows = Parameter<Int>(
        "validation-rows", default: 0, in: 0...1_000_000_000,
        summary: "validation rows per step, a window walking a shuffled order (0: 8 x the batch size)")

    /// The model trained.
    public static let model = Parameter<Model>("model", default: .logistic, summary: "the model trained and valued along the way")
    /// Hidden units of the network.
    public static let hidden = Parameter<Int>("hidden", default: 32, in: 1...4096, summary: "hidden units of the mlp model")

    /// The catalog entry: `worth value FILE --method in-run-shapley --epochs 3 --runs 5`.
    public static let descriptor = MethodDescriptor(
        id: "in-run-shapley", title: "In-Run Data Shapley",
        summary: "Shapley values of each SGD step's drop in validation loss, summed over one training run of logistic regression or a small network (no refits), averaged over seeded runs",
        needsValidation: true,
        parameters: [epochs, runs, batchSize, learningRate, order, validationRows, model, hidden],
        make: { values, _ in
            let rate = values[learningRate], window = values[validationRows], batch = values[batchSize]
            return InRunShapley(epochs: values[epochs], runs: values[runs], batchSize: batch > 0 ? batch : nil,
                                learningRate: rate > 0 ? rate : nil, order: values[order],
                                validationRowsPerStep: window > 0 ? window : nil, model: values[model],
                                hiddenUnits: values[hidden])
        })
}
