/// Data-OOB (Kwon & Zou, ICML 2023): the value of a row is how often the bagged models that
/// did not see it classify it correctly.
///
/// B bootstrap samples of size n are drawn with replacement and model b is trained on sample b;
/// ψ_i = Σ_b 1[i ∉ bag_b]·1[f_b(x_i) = y_i] / Σ_b 1[i ∉ bag_b]. A mislabelled row tends to be
/// contradicted by the models that did not see it, so it gets a low value. No validation set is
/// needed. A row is out of about 36.8% of the bags; a row out of none has no value (NaN).
///
/// Model b draws its bag and its random feature subsets from
/// `SeededGenerator(seed: problem.seed, stream: b)`. The estimate is two integer counts per row
/// (out-of-bag, correct), merged exactly, so any number of workers gives the same values, and
/// the shards of a run (`--shard K/N`, by trees) add up to it.
public struct DataOOB: ValuationRun {
    /// The bagged model.
    public enum Model: String, ParameterChoice {
        /// A CART tree with random feature subsets per split: the bagging is a random forest.
        case tree
        /// L2 logistic regression (`LogisticRegression` with its defaults); much slower per
        /// model than a tree.
        case logistic

        public var summary: String {
            switch self {
            case .tree: "a decision tree with random feature subsets per split: a random forest"
            case .logistic: "L2 logistic regression, much slower per model than a tree"
            }
        }
    }

    /// Number of bootstrap models B, ≥ 1.
    public var trees: Int
    /// The bagged model.
    public var model: Model
    /// Deepest level of each tree; nil for unlimited. Trees only.
    public var maxDepth: Int?
    /// Features tried per split; nil for ⌊√d⌋. Trees only.
    public var maxFeatures: Int?
    /// One shard of the trees and a state file.
    public var session: RunSession

    /// - Parameters:
    ///   - trees: number of bootstrap models, ≥ 1 (the paper and OpenDataVal use 800–1000).
    ///   - model: the bagged model.
    ///   - maxDepth: nil for unlimited, else ≥ 1.
    ///   - maxFeatures: nil for ⌊√d⌋, else ≥ 1.
    ///   - session: one shard of the trees (tree b is the same whichever shard grows it) and a
    ///     state file whose tallies add.
    public init(trees: Int = 1000, model: Model = .tree, maxDepth: Int? = nil, maxFeatures: Int? = nil,
                session: RunSession = RunSession()) {
        precondition(trees >= 1 && (maxDepth ?? 1) >= 1 && (maxFeatures ?? 1) >= 1)
        self.trees = trees
        self.model = model
        self.maxDepth = maxDepth
        self.maxFeatures = maxFeatures
        self.session = session
    }

    /// Number of bootstrap models B.
    public static let trees = Parameter<Int>("trees", default: 1000, in: 1...100_000,
                                             summary: "bootstrap models (trees) to train")
    /// The bagged model.
    public static let model = Parameter<Model>("model", default: .tree,
                                               summary: "the bagged model: tree (a random forest) or logistic regression")
    /// Deepest tree level; 0 for unlimited.
    public static let maxDepth = Parameter<Int>("max-depth", default: 0, in: 0...10_000,
                                                summary: "deepest tree level, 0 for unlimited (trees only)")
    /// Features tried per split; 0 for the square root of the feature count.
    public static let maxFeatures = Parameter<Int>(
        "max-features", default: 0, in: 0...1_000_000,
        summary: "features tried per split, 0 for the square root of the feature count (trees only)")

    /// The catalog entry: `worth value FILE --method data-oob --trees 1000`; it shards by trees.
    public static let descriptor = MethodDescriptor(
        id: "data-oob",
        title: "Data-OOB",
        summary: "Out-of-bag accuracy of each row over a bagged forest; fast, needs no validation set.",
        needsValidation: false,
        parameters: [trees, model, maxDepth, maxFeatures], sessionSettings: [.shard, .stateOut],
        make: { values, session in
            let depth = values[maxDepth], features = values[maxFeatures]
            return DataOOB(trees: values[trees], model: values[model],
                           maxDepth: depth > 0 ? depth : nil, maxFeatures: features > 0 ? features : nil, session: session)
        })

    /// Trees per unit of work handed to a worker: about 2% of the run, fewer for large data so
    /// updates keep coming; independent of the worker count so the progress series is too.
    func treesPerChunk(rows: Int) -> Int {
        max(1, min(trees / 50, 1_000_000 / max(rows, 1)))
    }

    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate {
        let n = problem.count
        guard n > 0 else { throw InputError("Data-OOB: there are no rows to value") }
        let plan = session.plan(units: trees)
        let unit = model == .tree ? "trees" : "models"
        var tally = OutOfBagTally(rows: n)
        var values = [Double](repeating: .nan, count: n)
        var change = ConvergenceSeries(name: "mean |Δvalue|")
        func update(stop: StopReason? = nil, phase: String? = nil) -> ValuationUpdate {
            ValuationUpdate(done: tally.models, total: plan.count, unit: unit, phase: phase,
                            estimate: tally.estimate(values: values), convergence: [change],
                            elapsed: reporter.elapsed, stop: stop)
        }
        if model == .tree { reporter.offer(force: true) { update(phase: "binning features") } }
        guard let makeModel = try await modelMaker(problem) else { return update(stop: .cancelled) }

        let outcome = try await runChunks(
            units: plan, chunkSize: treesPerChunk(rows: n), workers: problem.workers,
            work: { range in
                var part = OutOfBagTally(rows: n)
                var model = makeModel()
                var bag = BootstrapSample(rows: n)
                var outOfBag = [Int32](repeating: 0, count: n), predictions = [Int32](repeating: 0, count: n)
                for b in range {
                    if Task.isCancelled { break }
                    var generator = SeededGenerator(seed: problem.seed, stream: UInt64(b))
                    bag.draw(generator: &generator)
                    model.fit(bag: bag, generator: &generator)
                    // The rows left out, listed branch-free: each row is written, kept if count 0.
                    var left = 0
                    outOfBag.withUnsafeMutableBufferPointer { rows in
                        bag.counts.withUnsafeBufferPointer { counts in
                            for i in 0..<n {
                                rows[left] = Int32(truncatingIfNeeded: i)
                                left &+= counts[i] == 0 ? 1 : 0
                            }
                        }
                    }
                    outOfBag.withUnsafeBufferPointer { all in
                        let rows = UnsafeBufferPointer(rebasing: all[0..<left])
                        predictions.withUnsafeMutableBufferPointer { predicted in
                            model.predict(rows: rows, into: predicted.baseAddress!)
                            part.add(rows: rows, predicted: predicted.baseAddress!, labels: problem.trainLabels)
                        }
                    }
                }
                return part
            },
            merge: { _, part in
                tally.merge(part)
                let previous = values
                values = tally.values()
                var sum = 0.0, compared = 0
                for i in 0..<n where !previous[i].isNaN && !values[i].isNaN {
                    sum += abs(values[i] - previous[i])
                    compared += 1
                }
                if compared > 0 { change.history.append(ConvergencePoint(done: tally.models, value: sum / Double(compared))) }
                reporter.offer { update() }
                return .proceed
            })
        try session.saveState(method: Self.descriptor.id, seed: problem.seed, unitName: unit, units: trees,
                              done: plan.lowerBound..<(plan.lowerBound + tally.models), results: .outOfBag(tally))
        return update(stop: outcome == .completed ? .completed : .cancelled)
    }

    /// Checks `problem` against the model and returns what makes one worker's model; nil when
    /// cancelled while binning the features.
    private func modelMaker(_ problem: ValuationProblem) async throws -> (@Sendable () -> any BaggedModel)? {
        let (labels, classCount) = (problem.trainLabels, problem.classCount)
        switch model {
        case .tree:
            guard classCount <= TreeGrower.maxClasses else {
                throw InputError("Data-OOB: \(classCount) classes is more than a tree handles (\(TreeGrower.maxClasses))")
            }
            guard let binned = try await BinnedFeatures.fitting(problem.trainSource, workers: problem.workers) else { return nil }
            let shape = TreeShape(maxDepth: maxDepth, minLeafSize: 1, maxFeatures: maxFeatures)
            return { BaggedTree(binned: binned, labels: labels, classCount: classCount, shape: shape) }
        case .logistic:
            let x = problem.train
            return { BaggedClassifier(prototype: LogisticRegression(classCount: classCount), x: x, labels: labels) }
        }
    }
}

/// Per row, how many models it was out of the bag of and how many of those classified it right:
/// Data-OOB's sufficient statistics, exact integers so merging is order-free.
struct OutOfBagTally: Sendable, Equatable {
    /// Models whose bag left the row out.
    var outOfBag: [UInt32]
    /// Of those, models that predicted the row's label.
    var correct: [UInt32]
    /// Models tallied.
    var models = 0

    init(rows: Int) {
        outOfBag = [UInt32](repeating: 0, count: rows)
        correct = [UInt32](repeating: 0, count: rows)
    }

    /// Counts one model's predictions: `predicted[k]` is its class for out-of-bag row `rows[k]`.
    mutating func add(rows: UnsafeBufferPointer<Int32>, predicted: UnsafePointer<Int32>, labels: [Int]) {
        outOfBag.withUnsafeMutableBufferPointer { outOfBag in
            correct.withUnsafeMutableBufferPointer { correct in
                for (k, row) in rows.enumerated() {
                    let i = Int(row)
                    outOfBag[i] &+= 1
                    if Int(predicted[k]) == labels[i] { correct[i] &+= 1 }
                }
            }
        }
        models += 1
    }

    /// Adds another tally of the same rows.
    mutating func merge(_ other: OutOfBagTally) {
        for i in 0..<outOfBag.count {
            outOfBag[i] += other.outOfBag[i]
            correct[i] += other.correct[i]
        }
        models += other.models
    }

    /// ψ_i = correct / out-of-bag; NaN for a row not yet out of any bag.
    func values() -> [Double] {
        (0..<outOfBag.count).map { outOfBag[$0] > 0 ? Double(correct[$0]) / Double(outOfBag[$0]) : .nan }
    }

    /// The estimate: `values`, the binomial standard error √(ψ(1−ψ)/count) per row, and the
    /// `oob_count` column.
    func estimate(values: [Double]) -> ValuationEstimate {
        let errors = (0..<outOfBag.count).map { i in
            outOfBag[i] > 0 ? (values[i] * (1 - values[i]) / Double(outOfBag[i])).squareRoot() : .nan
        }
        return ValuationEstimate(values: values, standardErrors: errors,
                                 extraColumns: [ExtraColumn(name: "oob_count", values: outOfBag.map(Double.init))])
    }
}
