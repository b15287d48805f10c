import Foundation
import Testing
@testable import WorthEngine

@Suite struct DVRLTests {
    /// Two Gaussian classes in 3 dimensions (means ±1 on every feature): `n` valued rows with
    /// 20% of the labels flipped, and 60 clean validation rows. Returns the problem and the
    /// flipped rows.
    static func noisyTwoGaussians(n: Int = 100, seed: UInt64 = 1) -> (ValuationProblem, [Int]) {
        var g = SeededGenerator(seed: 123)
        func draw(_ count: Int) -> (Matrix, [Int]) {
            var x = [Double](), labels = [Int]()
            for _ in 0..<count {
                let y = g.nextInt(below: 2)
                labels.append(y)
                for _ in 0..<3 { x.append(LinearFixtures.gaussian(&g) + (y == 1 ? 1 : -1)) }
            }
            return (Matrix(rows: count, columns: 3, storage: x), labels)
        }
        var (train, labels) = draw(n)
        let (validation, validationLabels) = draw(60)
        let flipped = LabelNoise.flip(&labels, fraction: 0.2, classCount: 2, seed: 9)
        let problem = ValuationProblem(train: train, trainLabels: labels, validation: validation,
                                       validationLabels: validationLabels, classCount: 2, seed: seed, workers: 1)
        return (problem, flipped)
    }

    /// Small enough to train in about a second in a debug build.
    static let small = DVRL(iterations: 150, batchSize: 64, hidden: 16, hiddenLayers: 1)

    @Test(arguments: [UInt64(1), 2, 3])
    func ranksFlippedRowsLow(seed: UInt64) async throws {
        let (problem, flipped) = Self.noisyTwoGaussians(seed: seed)
        let result = try await Self.small.finalUpdate(problem)
        #expect(result.stop == .completed && result.done == 150 && result.total == 150)
        #expect(result.estimate.values.allSatisfy { $0 > 0 && $0 < 1 })
        // Chance is 0.5; the classes overlap (the Bayes rule misclassifies about 4% of clean
        // rows), so the margin asked is 0.9, not perfection (measured: 0.96 to 0.98 on seeds 1-10).
        let score = DataOOBTests.auroc(values: result.estimate.values, flipped: flipped)
        #expect(score > 0.9, "AUROC \(score)")
    }

    /// The untrained network already orders rows by their validation gap, in a direction its
    /// random weights pick; with seed 4 it is the wrong one, so this checks that training,
    /// not the initialisation, finds the flipped rows.
    @Test func trainingTurnsAroundAWrongStart() async throws {
        let (problem, flipped) = Self.noisyTwoGaussians(seed: 4)
        var untrained = Self.small
        untrained.iterations = 1
        let start = try await untrained.finalUpdate(problem)
        let end = try await Self.small.finalUpdate(problem)
        #expect(DataOOBTests.auroc(values: start.estimate.values, flipped: flipped) < 0.5)
        #expect(DataOOBTests.auroc(values: end.estimate.values, flipped: flipped) > 0.9)
    }

    /// 200 valued rows of two weakly separated classes in 10 dimensions (centres ±0.5), 10% of
    /// the labels flipped, 100 clean validation rows: the regime where the batch (32) is a
    /// small part of the data, as with the default batch of 256 on 5,000 rows.
    static func weakTenDimensional(seed: UInt64) -> (ValuationProblem, [Int]) {
        let (n, d) = (200, 10)
        let (all, allLabels) = LinearFixtures.blobs(n: n + 100, d: d, classes: 2, separation: 0.5, seed: 5)
        let train = Matrix(rows: n, columns: d, storage: Array(all.storage[0..<(n * d)]))
        let validation = Matrix(rows: 100, columns: d, storage: Array(all.storage[(n * d)...]))
        var labels = Array(allLabels[0..<n])
        let flipped = LabelNoise.flip(&labels, fraction: 0.1, classCount: 2, seed: 9)
        let problem = ValuationProblem(train: train, trainLabels: labels, validation: validation,
                                       validationLabels: Array(allLabels[n...]), classCount: 2, seed: seed, workers: 1)
        return (problem, flipped)
    }

    /// The collapse and inversion seen with the reference's full-data baseline, raw rewards and
    /// its fixed penalty on a batch much smaller than the data: with those, seed 6 here ranked
    /// the flipped rows as the most valuable (AUROC 0.19) and seed 3 reached 0.65. With the
    /// defaults (paired baseline, scaled rewards, a penalty of 10 per row on the logits) seeds 1-8
    /// measured 0.83 to 0.88 (0.71 to 0.88 with 1 per row through the sigmoid); the classes
    /// overlap, so the margin asked is 0.75, well clear of 0.5 and of 0.19.
    @Test(arguments: [UInt64(5), 6, 8])
    func smallBatchesOfALargerSetStillRankFlippedRowsLow(seed: UInt64) async throws {
        let (problem, flipped) = Self.weakTenDimensional(seed: seed)
        let result = try await DVRL(iterations: 200, batchSize: 32, hidden: 16, hiddenLayers: 2).finalUpdate(problem)
        let values = result.estimate.values
        // A collapsed estimator (every ReLU off) gives every row the same value.
        #expect(Set(values).count > problem.count / 2, "\(Set(values).count) distinct values")
        let score = DataOOBTests.auroc(values: values, flipped: flipped)
        #expect(score > 0.75, "AUROC \(score)")
    }

    @Test func sameSeedSameValuesWhateverTheWorkers() async throws {
        let (problem, _) = Self.noisyTwoGaussians(seed: 7)
        var method = Self.small
        method.iterations = 40
        let first = try await method.finalUpdate(problem)
        var twoWorkers = problem
        twoWorkers.workers = 2
        let second = try await method.finalUpdate(twoWorkers)
        #expect(first.estimate.values == second.estimate.values)
        #expect(first.convergence == second.convergence)
        var reseeded = problem
        reseeded.seed = 8
        let other = try await method.finalUpdate(reseeded)
        #expect(other.estimate.values != first.estimate.values)
    }

    @Test func reportsRewardBaselineAndMeanSelectionPerIteration() async throws {
        let (problem, _) = Self.noisyTwoGaussians(n: 40)
        for baseline in DVRL.Baseline.allCases {
            let method = DVRL(iterations: 30, batchSize: 16, hidden: 8, hiddenLayers: 1, baseline: baseline, utility: .accuracy)
            let result = try await method.finalUpdate(problem)
            #expect(result.convergence.map(\.name) == ["reward", "baseline", "mean p"])
            let (reward, reference, mean) = (result.convergence[0].history, result.convergence[1].history, result.convergence[2].history)
            #expect(reward.map(\.done) == Array(1...30) && reference.count == 30 && mean.count == 30)
            // reward + baseline is a validation accuracy: a multiple of 1/60 in [0, 1].
            for (r, b) in zip(reward, reference) {
                let score = (r.value + b.value) * 60
                #expect(abs(score - score.rounded()) < 1e-9 && score >= 0 && score <= 60)
            }
            #expect(mean.allSatisfy { $0.value > 0 && $0.value < 1 })
            switch baseline {
            case .paired:
                // The baseline is the second selection's score: also a validation accuracy.
                for b in reference {
                    #expect(abs(b.value * 60 - (b.value * 60).rounded()) < 1e-9 && b.value >= 0 && b.value <= 1)
                }
            case .fullData:
                var full = LogisticRegression(classCount: 2)
                full.fit(problem.train, labels: problem.trainLabels, rows: problem.allRows)
                let score = full.accuracy(problem.validation, labels: problem.validationLabels, rows: problem.allValidationRows)
                #expect(reference.allSatisfy { $0.value == score })
            case .movingAverage:
                // Starts at the first score (reward 0), then δ ← δ + (score − δ)/20.
                #expect(reward[0].value == 0)
                for t in 1..<30 {
                    let score = reward[t - 1].value + reference[t - 1].value
                    #expect(abs(reference[t].value - (reference[t - 1].value + (score - reference[t - 1].value) / 20)) < 1e-12)
                }
            }
        }
    }

    @Test func cancellationReturnsTheValuesSoFar() async throws {
        let (problem, _) = Self.noisyTwoGaussians()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ValuationUpdate.self)
        let reporter = ProgressReporter(continuation: continuation)
        let method = DVRL(iterations: 10_000_000, batchSize: 32, hidden: 8, hiddenLayers: 1)
        let run = Task { try await method.execute(problem, reporter: reporter) }
        // Selection probabilities: in [0, 1]. Not strictly inside: on a loaded machine the
        // cancellation can land thousands of iterations in, where a sigmoid may round to 0 or 1.
        let probabilities: (Double) -> Bool = { $0.isFinite && $0 >= 0 && $0 <= 1 }
        for try await update in stream where update.done > 0 {
            #expect(update.estimate.values.allSatisfy(probabilities))
            break
        }
        run.cancel()
        let final = try await run.value
        #expect(final.stop == .cancelled)
        #expect(final.done > 0 && final.done < 10_000_000)
        #expect(final.estimate.values.count == problem.count && final.estimate.values.allSatisfy(probabilities))
    }

    @Test func catalogEntry() throws {
        let method = try #require(MethodCatalog.method("dvrl"))
        #expect(method.needsValidation)
        var p = method.defaults
        let defaults = try #require(try method.make(p) as? DVRL)
        #expect(defaults.iterations == 1000 && defaults.batchSize == 256 && defaults.hidden == 100 && defaults.hiddenLayers == 3)
        #expect(defaults.learningRate == 0.01 && defaults.baseline == .paired && defaults.utility == .logLoss)
        try p.set("baseline", "moving-average")
        try p.set("utility", "accuracy")
        try p.set("batch-size", "32")
        let made = try #require(try method.make(p) as? DVRL)
        #expect(made.baseline == .movingAverage && made.utility == .accuracy && made.batchSize == 32)
        #expect(throws: InputError.self) { try p.set("baseline", "none") }
        #expect(throws: InputError.self) { try p.set("learning-rate", "0") }
    }

    /// The values are the estimator's outputs averaged over 20 snapshots of the second half of
    /// the run (with 40 iterations: after each of iterations 21 to 40).
    @Test func valuesAreAveragedOverTheSecondHalf() async throws {
        let (problem, _) = Self.noisyTwoGaussians(n: 40)
        let method = DVRL(iterations: 40, batchSize: 16, hidden: 8, hiddenLayers: 1)
        var trainer = try DVRLTrainer(method: method, problem: problem) { _ in }
        #expect(trainer.averagingStride == 1)
        var sum = [Double](repeating: 0, count: 40), last = sum
        for t in 1...40 {
            trainer.step()
            if t > 20 {
                last = trainer.values()
                for i in sum.indices { sum[i] += last[i] }
            }
        }
        let averaged = trainer.averagedValues()
        #expect(LinearFixtures.maxAbsDifference(averaged, sum.map { $0 / 20 }) < 1e-12)
        #expect(averaged != last)
        let result = try await method.finalUpdate(problem)
        #expect(result.estimate.values == averaged)
    }

    /// An estimator whose probabilities all saturated at 0 (logit −50, σ′ ≈ 10⁻²²) comes back:
    /// the penalty pulls the logits, so Adam steps on it alone bring the mean back above 0.1.
    /// Through the sigmoid the pull would be 10⁻²² and nothing would move.
    @Test func aSaturatedEstimatorIsPulledBack() {
        let (problem, _) = Self.noisyTwoGaussians(n: 40)
        var g = SeededGenerator(seed: 3)
        var estimator = DataValueEstimator(features: 3, classCount: 2, hidden: 8, hiddenLayers: 1, generator: &g)
        estimator.head.parameters[estimator.head.parameters.count - 1] = -50
        var validationModel = LogisticRegression(classCount: 2)
        validationModel.fit(problem.validation, labels: problem.validationLabels, rows: problem.allValidationRows)
        let inputs = DataValueEstimator.Inputs(x: problem.train, labels: problem.trainLabels, classCount: 2,
                                               validationModel: validationModel)
        var workspace = DataValueEstimator.Workspace(for: estimator, capacity: 40)
        var trunk = AdamOptimizer(parameterCount: estimator.trunk.parameters.count, learningRate: 0.01)
        var head = AdamOptimizer(parameterCount: estimator.head.parameters.count, learningRate: 0.01)
        let loss = SelectionLoss(penaltyWeight: DVRL.penaltyPerRow * 40)
        let rows = Array(0..<40)
        estimator.forward(rows[...], inputs: inputs, workspace: &workspace)
        #expect(workspace.probabilities.allSatisfy { $0 < 1e-15 })
        var steps = 0
        while workspace.probabilities.reduce(0, +) / 40 < 0.1 && steps < 5000 {
            let p = workspace.probabilities
            _ = workspace.logitGradient.withUnsafeMutableBufferPointer {
                loss.valueAndGradient(p: p, selected: [Bool](repeating: false, count: 40), reward: 0, gradient: $0)
            }
            estimator.backward(workspace: &workspace)
            trunk.step(&estimator.trunk.parameters, gradient: workspace.trunkGradient)
            head.step(&estimator.head.parameters, gradient: workspace.headGradient)
            estimator.forward(rows[...], inputs: inputs, workspace: &workspace)
            steps += 1
        }
        #expect(workspace.probabilities.reduce(0, +) / 40 >= 0.1, "after \(steps) steps")
    }
}
