/// One DVRL training run, in three parts: `init` sets it up (the validation model and the
/// estimator's inputs, the estimator and its optimisers), `step()` runs one policy-gradient
/// iteration, and `averagedValues()` reads the values out. `DVRL.value` drives it and reports
/// progress; the trainer knows nothing of progress or cancellation.
struct DVRLTrainer {
    let method: DVRL
    let problem: ValuationProblem
    let inputs: DataValueEstimator.Inputs
    /// Rows per iteration: `method.batchSize`, capped at the rows valued.
    let batch: Int
    private(set) var estimator: DataValueEstimator
    private var workspace: DataValueEstimator.Workspace
    private var trunkOptimizer: AdamOptimizer
    private var headOptimizer: AdamOptimizer
    private let loss: SelectionLoss
    /// The predictor, warm-started from one iteration's fit to the next.
    private var predictor: LogisticRegression
    /// The full-data model's score (`.fullData` baseline only).
    private let fullDataPerformance: Double
    private var movingAverage: Double?
    private var scale = RewardScale()
    /// Scratch: the batch (first `batch` entries), the two selections, the selected rows.
    private var order: [Int]
    private var selection: [Bool]
    private var other: [Bool]
    private var selected: [Int] = []
    /// Iterations done.
    private(set) var done = 0
    /// Σ of the values at the snapshots taken so far (`averagingStride`), and their count.
    private var valueSum: [Double]
    private var snapshots = 0

    /// What one iteration measured, for the progress series.
    struct StepReport {
        /// Score − baseline, before `RewardScale`.
        var reward: Double
        /// The baseline the score was compared with.
        var baseline: Double
        /// The batch's mean selection probability.
        var meanProbability: Double
    }

    /// Sets up a run of `method` on `problem`, calling `phase` before each slow part.
    init(method: DVRL, problem: ValuationProblem, phase: (String) -> Void) throws {
        let n = problem.count, classCount = problem.classCount
        guard n > 0 else { throw InputError("DVRL: there are no rows to value") }
        guard !problem.validationLabels.isEmpty else {
            throw InputError(.needsValidation(method: "dvrl"))
        }
        self.method = method
        self.problem = problem
        phase("fitting the validation model")
        var validationModel = LogisticRegression(classCount: classCount)
        validationModel.fit(problem.validation, labels: problem.validationLabels, rows: problem.allValidationRows)
        inputs = DataValueEstimator.Inputs(x: problem.train, labels: problem.trainLabels, classCount: classCount,
                                           validationModel: validationModel)
        if method.baseline == .fullData {
            phase("fitting the full-data model")
            var full = LogisticRegression(classCount: classCount)
            full.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows)
            fullDataPerformance = method.utility.evaluate(full, on: problem.validation, labels: problem.validationLabels,
                                                          rows: problem.allValidationRows)
        } else {
            fullDataPerformance = 0
        }
        var initial = SeededGenerator(seed: problem.seed, stream: UInt64.max)
        estimator = DataValueEstimator(features: problem.train.columns, classCount: classCount, hidden: method.hidden,
                                       hiddenLayers: method.hiddenLayers, generator: &initial)
        batch = min(n, method.batchSize)
        workspace = DataValueEstimator.Workspace(for: estimator, capacity: batch)
        trunkOptimizer = AdamOptimizer(parameterCount: estimator.trunk.parameters.count, learningRate: method.learningRate)
        headOptimizer = AdamOptimizer(parameterCount: estimator.head.parameters.count, learningRate: method.learningRate)
        loss = SelectionLoss(penaltyWeight: DVRL.penaltyPerRow * Double(batch))
        predictor = LogisticRegression(classCount: classCount)
        order = [Int](repeating: 0, count: n)
        selection = [Bool](repeating: false, count: batch)
        other = selection
        selected.reserveCapacity(batch)
        valueSum = [Double](repeating: 0, count: n)
    }

    /// Iterations between two snapshots of the values in the second half of the run: 20
    /// snapshots in all (every iteration when there are fewer than 40).
    var averagingStride: Int { max(1, method.iterations / 40) }

    /// The validation score of `model`.
    private func performance(_ model: LogisticRegression) -> Double {
        method.utility.evaluate(model, on: problem.validation, labels: problem.validationLabels, rows: problem.allValidationRows)
    }

    /// Draws s_i ~ Bernoulli(p_i) over the batch into `s`, redrawn with probability 1/2 per row
    /// while nothing is selected, and fits `model` on the selected rows; returns its score.
    private func select(_ s: inout [Bool], _ p: [Double], fitting model: inout LogisticRegression,
                        _ generator: inout SeededGenerator, selected: inout [Int]) -> Double {
        var any = false
        for k in 0..<batch {
            s[k] = generator.nextUnit() < p[k]
            any = any || s[k]
        }
        while !any {
            for k in 0..<batch {
                s[k] = generator.nextUnit() < 0.5
                any = any || s[k]
            }
        }
        selected.removeAll(keepingCapacity: true)
        for k in 0..<batch where s[k] { selected.append(order[k]) }
        model.fit(problem.train, labels: problem.trainLabels, rows: selected)
        return performance(model)
    }

    /// Iteration `done`: draws its batch and selections from `SeededGenerator(seed:, stream: t)`,
    /// fits and scores them, and takes one Adam step on the selection loss.
    @discardableResult
    mutating func step() -> StepReport {
        let n = problem.count, t = done
        var generator = SeededGenerator(seed: problem.seed, stream: UInt64(t))
        // The batch: the first `batch` entries of a partial Fisher-Yates shuffle of 0..<n.
        for i in 0..<n { order[i] = i }
        if batch < n {
            for k in 0..<batch { order.swapAt(k, k + generator.nextInt(below: n - k)) }
        }
        estimator.forward(order[0..<batch], inputs: inputs, workspace: &workspace)
        let p = workspace.probabilities
        // Both fits of a paired iteration start from the previous iteration's fit.
        var (selection, other, selected, predictor) = (self.selection, self.other, self.selected, self.predictor)
        var otherPredictor = predictor
        let score = select(&selection, p, fitting: &predictor, &generator, selected: &selected)
        let reference: Double
        switch method.baseline {
        case .paired:
            reference = select(&other, p, fitting: &otherPredictor, &generator, selected: &selected)
        case .fullData:
            reference = fullDataPerformance
        case .movingAverage:
            reference = movingAverage ?? score
            movingAverage = reference + (score - reference) / Double(DVRL.movingAverageWindow)
        }
        (self.selection, self.other, self.selected, self.predictor) = (selection, other, selected, predictor)
        let reward = score - reference, scaled = scale.normalize(reward)
        let loss = self.loss
        _ = workspace.logitGradient.withUnsafeMutableBufferPointer {
            method.baseline == .paired
                ? loss.valueAndGradient(p: p, selections: [selection, other], rewards: [scaled, -scaled], gradient: $0)
                : loss.valueAndGradient(p: p, selected: selection, reward: scaled, gradient: $0)
        }
        estimator.backward(workspace: &workspace)
        trunkOptimizer.step(&estimator.trunk.parameters, gradient: workspace.trunkGradient)
        headOptimizer.step(&estimator.head.parameters, gradient: workspace.headGradient)
        done += 1
        if 2 * done > method.iterations && done % averagingStride == 0 {
            let now = values()
            for i in valueSum.indices { valueSum[i] += now[i] }
            snapshots += 1
        }
        return StepReport(reward: reward, baseline: reference, meanProbability: p.reduce(0, +) / Double(batch))
    }

    /// The values now: h_φ's selection probability of every valued row.
    mutating func values() -> [Double] {
        estimator.probabilities(inputs, workspace: &workspace)
    }

    /// The values of the run: each row's selection probability averaged over the snapshots of
    /// the second half of the run (the current ones before the first snapshot).
    ///
    /// A single late estimator can undo what the run learned: on wine (100 valued rows, one
    /// split of five, seed 2) the ten flipped rows were all below 0.01 at iteration 800 (AUROC
    /// 0.991) and four of them were at 1.0 at iteration 1000 (0.774), as 39 rows saturated. The
    /// average over the second half (Polyak–Ruppert averaging of the outputs) keeps what the
    /// estimator held for most of it.
    mutating func averagedValues() -> [Double] {
        guard snapshots > 0 else { return values() }
        return valueSum.map { $0 / Double(snapshots) }
    }
}
