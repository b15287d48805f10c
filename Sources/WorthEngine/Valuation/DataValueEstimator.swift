import Foundation

/// DVRL's data value estimator h_φ: the probability that a training row is worth selecting.
///
/// Two stacked networks, as in the reference implementation
/// [google-research/google-research: dvrl/dvrl.py]:
/// - the trunk reads [x, onehot(y)] through `hiddenLayers` ReLU layers of width `hidden` and a
///   ReLU layer of width `combinedWidth` (10);
/// - the head reads [trunk output, |onehot(y) − p_val(x)|], where p_val is a model fitted on the
///   validation set, through one ReLU layer of width 10 and one output unit, the logit z whose
///   sigmoid p = σ(z) is the selection probability. The loss is differentiated with respect to
///   z directly (`SelectionLoss`), so its pull never passes through a saturated sigmoid.
/// The gap |onehot(y) − p_val(x)| tells the estimator how much a row's label disagrees with what
/// the validation data predicts, which is most of what it needs to spot a wrong label.
struct DataValueEstimator: Sendable {
    /// Width of the trunk's last layer and of the head's hidden layer (the reference's `comb_dim`).
    static let combinedWidth = 10

    var trunk: MultilayerPerceptron
    var head: MultilayerPerceptron
    let classCount: Int

    /// A freshly initialised estimator for rows of `features` features and `classCount` classes.
    init(features: Int, classCount: Int, hidden: Int, hiddenLayers: Int, generator: inout SeededGenerator) {
        precondition(hidden >= 1 && hiddenLayers >= 1 && classCount >= 1)
        self.classCount = classCount
        let c = Self.combinedWidth
        trunk = MultilayerPerceptron(widths: [features + classCount] + Array(repeating: hidden, count: hiddenLayers) + [c],
                                     outputActivation: .relu, generator: &generator)
        head = MultilayerPerceptron(widths: [c + classCount, c, 1], outputActivation: .identity, generator: &generator)
    }

    /// The estimator's inputs for every valued row, computed once.
    ///
    /// Features enter min-max scaled to [0, 1] over the valued rows (a constant column becomes
    /// 0), as the reference's data loader scales them. With standardised features instead, rows
    /// far out in the tails (10σ is common in skewed columns) get large trunk activations, and
    /// Adam's first steps, a full learning-rate step on every weight whatever the gradient's
    /// size, drove their selection probabilities to 0 or 1 within ten iterations, where
    /// REINFORCE's gradient vanishes: on breast_cancer and wine the learned ranking then
    /// depended on the seed (AUROC from 0.49 to 1.0 over four seeds; 0.97 to 1.0 once scaled).
    struct Inputs: Sendable {
        /// [minmax(x), onehot(y)] per row: n × (d + C).
        let rows: Matrix
        /// |onehot(y) − p_val(x)| per row: n × C.
        let gaps: Matrix

        /// Builds the inputs of rows `x` with labels `labels`, with `validationModel` fitted on
        /// the validation set.
        init(x: Matrix, labels: [Int], classCount: Int, validationModel: some Classifier) {
            let n = x.rows, d = x.columns
            var rows = Matrix(rows: n, columns: d + classCount)
            var gaps = Matrix(rows: n, columns: classCount)
            var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
            for i in 0..<n {
                for j in 0..<d { low[j] = min(low[j], x[i, j]); high[j] = max(high[j], x[i, j]) }
            }
            for i in 0..<n {
                let p = validationModel.probabilities(x, row: i)
                for j in 0..<d { rows[i, j] = high[j] > low[j] ? (x[i, j] - low[j]) / (high[j] - low[j]) : 0 }
                for c in 0..<classCount {
                    let onehot: Double = labels[i] == c ? 1 : 0
                    rows[i, d + c] = onehot
                    gaps[i, c] = abs(onehot - p[c])
                }
            }
            self.rows = rows
            self.gaps = gaps
        }

        var count: Int { rows.rows }
    }

    /// Buffers for one batch of up to `capacity` rows, allocated once.
    struct Workspace {
        let capacity: Int
        var trunk: MultilayerPerceptron.Workspace
        var head: MultilayerPerceptron.Workspace
        /// Gathered trunk inputs, capacity × (d + C).
        var trunkInput: [Double]
        /// [trunk output, gap] rows, capacity × (10 + C); after `backward`, their gradients.
        var headInput: [Double]
        var headInputGradient: [Double]
        /// dLoss/d(trunk output), capacity × 10.
        var trunkOutputGradient: [Double]
        /// Selection probabilities σ(z) of the last forward pass (count = its rows).
        var probabilities: [Double]
        /// dLoss/dz, z the logits of the last forward pass (`SelectionLoss` writes it).
        var logitGradient: [Double]
        /// Gradients of the trunk's and the head's parameters from the last `backward`.
        var trunkGradient: [Double]
        var headGradient: [Double]

        init(for estimator: DataValueEstimator, capacity: Int) {
            self.capacity = capacity
            trunk = .init(for: estimator.trunk, capacity: capacity)
            head = .init(for: estimator.head, capacity: capacity)
            trunkInput = [Double](repeating: 0, count: capacity * estimator.trunk.inputWidth)
            headInput = [Double](repeating: 0, count: capacity * estimator.head.inputWidth)
            headInputGradient = headInput
            trunkOutputGradient = [Double](repeating: 0, count: capacity * DataValueEstimator.combinedWidth)
            probabilities = []
            probabilities.reserveCapacity(capacity)
            logitGradient = [Double](repeating: 0, count: capacity)
            trunkGradient = [Double](repeating: 0, count: estimator.trunk.parameters.count)
            headGradient = [Double](repeating: 0, count: estimator.head.parameters.count)
        }
    }

    /// Selection probabilities h_φ of `rows` (indices into `inputs`, at most the workspace's
    /// capacity), left in `workspace.probabilities` with the activations `backward` needs.
    func forward(_ rows: ArraySlice<Int>, inputs: Inputs, workspace: inout Workspace) {
        let m = rows.count, c = Self.combinedWidth, classes = classCount
        precondition(m <= workspace.capacity)
        let width = trunk.inputWidth, headWidth = head.inputWidth
        inputs.rows.storage.withUnsafeBufferPointer { source in
            workspace.trunkInput.withUnsafeMutableBufferPointer { target in
                for (k, i) in rows.enumerated() {
                    (target.baseAddress! + k * width).update(from: source.baseAddress! + i * width, count: width)
                }
            }
        }
        workspace.trunkInput.withUnsafeBufferPointer { trunk.forward($0, rows: m, workspace: &workspace.trunk) }
        let features = workspace.trunk.output(trunk)
        features.withUnsafeBufferPointer { features in
            inputs.gaps.storage.withUnsafeBufferPointer { gaps in
                workspace.headInput.withUnsafeMutableBufferPointer { target in
                    for (k, i) in rows.enumerated() {
                        let t = target.baseAddress! + k * headWidth
                        t.update(from: features.baseAddress! + k * c, count: c)
                        (t + c).update(from: gaps.baseAddress! + i * classes, count: classes)
                    }
                }
            }
        }
        workspace.headInput.withUnsafeBufferPointer { head.forward($0, rows: m, workspace: &workspace.head) }
        workspace.probabilities.removeAll(keepingCapacity: true)
        for z in workspace.head.output(head) { workspace.probabilities.append(1 / (1 + exp(-z))) }
    }

    /// Back-propagates dLoss/dz (`workspace.logitGradient`, one per row of the last forward pass)
    /// into `workspace.trunkGradient` and `workspace.headGradient` (overwritten).
    func backward(workspace: inout Workspace) {
        let m = workspace.probabilities.count, c = Self.combinedWidth, headWidth = head.inputWidth
        for j in workspace.trunkGradient.indices { workspace.trunkGradient[j] = 0 }
        for j in workspace.headGradient.indices { workspace.headGradient[j] = 0 }
        workspace.logitGradient.withUnsafeBufferPointer { outputGradient in
            workspace.headGradient.withUnsafeMutableBufferPointer { gradient in
                workspace.headInputGradient.withUnsafeMutableBufferPointer { inputGradient in
                    head.backward(outputGradient: outputGradient, workspace: &workspace.head,
                                  gradient: gradient, inputGradient: inputGradient)
                }
            }
        }
        for k in 0..<m {
            for j in 0..<c { workspace.trunkOutputGradient[k * c + j] = workspace.headInputGradient[k * headWidth + j] }
        }
        workspace.trunkOutputGradient.withUnsafeBufferPointer { outputGradient in
            workspace.trunkGradient.withUnsafeMutableBufferPointer { gradient in
                trunk.backward(outputGradient: outputGradient, workspace: &workspace.trunk, gradient: gradient)
            }
        }
    }

    /// Selection probabilities of every row of `inputs`, computed `workspace.capacity` rows at a time.
    func probabilities(_ inputs: Inputs, workspace: inout Workspace) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(inputs.count)
        let all = Array(0..<inputs.count)
        var start = 0
        while start < all.count {
            let end = min(start + workspace.capacity, all.count)
            forward(all[start..<end], inputs: inputs, workspace: &workspace)
            out.append(contentsOf: workspace.probabilities)
            start = end
        }
        return out
    }
}

/// DVRL's training loss for one batch [google-research/google-research: dvrl/dvrl.py]:
///
///     L = −(1/K) Σ_k r_k · Σ_i [s_ki log(p_i + ε) + (1 − s_ki) log(1 − p_i + ε)]
///         + w · (max(p̄ − θ, 0) + max((1 − θ) − p̄, 0)),
///
/// with p_i = σ(z_i) the selection probabilities, s_k ∈ {0, 1}^m the K selections sampled from
/// them, r_k their rewards, p̄ the batch mean of p, ε = 10⁻⁸, θ = 0.9 and w = 10³. The first
/// term is REINFORCE's log-likelihood of each selection scaled by its reward (K = 1 in the
/// reference code; K = 2 for DVRL's paired baseline); the second keeps the mean selection
/// probability within [0.1, 0.9] so the estimator neither selects everything nor nothing.
///
/// The gradient is taken with respect to the logits z. REINFORCE's is exact:
/// −(1/K) Σ_k r_k (s_ki − p_i). The penalty's is w/m per row while p̄ is out of bounds (+ above,
/// − below): its pull on p̄, applied to every logit without the sigmoid's slope p(1 − p). The
/// reference passes it through the sigmoid, where it vanishes once the probabilities saturate:
/// on breast_cancer (400 valued rows, one of five splits, seed 0) the mean probability fell
/// through 0.1 at iteration 74 and every probability was below 10⁻²⁰⁰ ten iterations later,
/// with a pull of 10⁻²⁰⁰ left to bring it back (AUROC 0.59 after 1000 iterations); with the pull
/// on the logits the mean comes back within bounds (25 runs per data set, breast_cancer and
/// wine: mean AUROC 0.972 → 0.989 and 0.984 → 0.990, worst 0.59 → 0.975 and 0.76 → 0.92).
struct SelectionLoss: Sendable {
    var epsilon = 1e-8
    var threshold = 0.9
    var penaltyWeight = 1e3

    /// L for probabilities `p`, one selection `s` and its `reward`; writes dL/dz_i into `gradient`.
    func valueAndGradient(p: [Double], selected s: [Bool], reward: Double,
                          gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        valueAndGradient(p: p, selections: [s], rewards: [reward], gradient: gradient)
    }

    /// L for probabilities `p` and K ≥ 1 `selections` with their `rewards`; writes dL/dz_i
    /// into `gradient`.
    func valueAndGradient(p: [Double], selections: [[Bool]], rewards: [Double],
                          gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let m = p.count, k = selections.count
        precondition(k >= 1 && rewards.count == k && selections.allSatisfy { $0.count == m } && gradient.count >= m && m > 0)
        var value = 0.0, total = 0.0
        for i in 0..<m {
            let (up, down) = (log(p[i] + epsilon), log(1 - p[i] + epsilon))
            var g = 0.0
            for (s, reward) in zip(selections, rewards) {
                let weight = reward / Double(k)
                value -= weight * (s[i] ? up : down)
                g -= weight * ((s[i] ? 1 : 0) - p[i])
            }
            gradient[i] = g
            total += p[i]
        }
        let mean = total / Double(m)
        let penalty = penaltyWeight * (max(mean - threshold, 0) + max((1 - threshold) - mean, 0))
        let slope = mean > threshold ? penaltyWeight : (mean < 1 - threshold ? -penaltyWeight : 0)
        if slope != 0 {
            for i in 0..<m { gradient[i] += slope / Double(m) }
        }
        return value + penalty
    }
}
