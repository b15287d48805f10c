import Foundation
import Testing
@testable import WorthEngine

@Suite struct DataValueEstimatorTests {
    /// A tiny estimator over random inputs for 3 classes.
    static func fixture(outputBias: Double = 0) -> (DataValueEstimator, DataValueEstimator.Inputs) {
        var g = SeededGenerator(seed: 17)
        let (x, y) = LinearFixtures.blobs(n: 12, d: 4, classes: 3, seed: 5)
        var validationModel = LogisticRegression(classCount: 3)
        validationModel.fit(x, labels: y, rows: Array(6..<12))
        var estimator = DataValueEstimator(features: 4, classCount: 3, hidden: 6, hiddenLayers: 2, generator: &g)
        estimator.head.parameters[estimator.head.parameters.count - 1] = outputBias
        let inputs = DataValueEstimator.Inputs(x: x, labels: y, classCount: 3, validationModel: validationModel)
        return (estimator, inputs)
    }

    @Test func inputsAreScaledFeaturesOneHotLabelsAndValidationGaps() {
        let (x, y) = LinearFixtures.blobs(n: 5, d: 2, classes: 2, seed: 1)
        var model = LogisticRegression(classCount: 2)
        model.fit(x, labels: y, rows: [0, 1, 2])
        let inputs = DataValueEstimator.Inputs(x: x, labels: y, classCount: 2, validationModel: model)
        for i in 0..<5 {
            let p = model.probabilities(x, row: i)
            let scaled = (0..<2).map { j in
                let column = (0..<5).map { x[$0, j] }
                return (x[i, j] - column.min()!) / (column.max()! - column.min()!)
            }
            #expect(inputs.rows.row(i) == scaled + [y[i] == 0 ? 1 : 0, y[i] == 1 ? 1 : 0])
            #expect(inputs.gaps.row(i) == [abs((y[i] == 0 ? 1 : 0) - p[0]), abs((y[i] == 1 ? 1 : 0) - p[1])])
        }
    }

    /// The DVRL loss of the batch as a function of all the estimator's parameters (trunk, then
    /// head), with the penalty replaced by the function whose gradient `SelectionLoss` gives it:
    /// ±w·z̄, the pull on the mean probability applied to the mean logit.
    static func loss(_ estimator: DataValueEstimator, _ inputs: DataValueEstimator.Inputs, batch: [Int],
                     selected: [Bool], reward: Double, parameters: [Double]) -> Double {
        var e = estimator
        let split = e.trunk.parameters.count
        e.trunk.parameters = Array(parameters[..<split])
        e.head.parameters = Array(parameters[split...])
        var w = DataValueEstimator.Workspace(for: e, capacity: batch.count)
        e.forward(batch[...], inputs: inputs, workspace: &w)
        let p = w.probabilities, z = Array(w.head.output(e.head))
        let loss = SelectionLoss()
        var reinforce = 0.0
        for i in p.indices { reinforce -= reward * log((selected[i] ? p[i] : 1 - p[i]) + loss.epsilon) }
        let mean = p.reduce(0, +) / Double(p.count)
        let sign: Double = mean > loss.threshold ? 1 : (mean < 1 - loss.threshold ? -1 : 0)
        return reinforce + sign * loss.penaltyWeight * z.reduce(0, +) / Double(z.count)
    }

    /// Gradient of the loss by `backward` against central differences over every parameter;
    /// output bias 0 keeps the mean selection probability near 1/2 (penalty inactive), +4 and
    /// −4 push it beyond 0.9 and below 0.1 so the penalty's pull is checked too.
    @Test(arguments: [0.0, 4.0, -4.0])
    func lossGradientMatchesFiniteDifferences(outputBias: Double) {
        let (estimator, inputs) = Self.fixture(outputBias: outputBias)
        let batch = [3, 0, 7, 11, 5]
        let selected = [true, false, true, true, false]
        let reward = -0.37
        var workspace = DataValueEstimator.Workspace(for: estimator, capacity: 8)
        estimator.forward(batch[...], inputs: inputs, workspace: &workspace)
        let mean = workspace.probabilities.reduce(0, +) / 5
        if outputBias > 0 { #expect(mean > 0.9) } else if outputBias < 0 { #expect(mean < 0.1) } else { #expect(mean > 0.1 && mean < 0.9) }
        let p = workspace.probabilities
        _ = workspace.logitGradient.withUnsafeMutableBufferPointer {
            SelectionLoss().valueAndGradient(p: p, selected: selected, reward: reward, gradient: $0)
        }
        estimator.backward(workspace: &workspace)
        let analytic = workspace.trunkGradient + workspace.headGradient
        let theta = estimator.trunk.parameters + estimator.head.parameters
        var checked = 0
        for k in theta.indices {
            let numeric = MultilayerPerceptronTests.numericDerivative(theta, k) {
                Self.loss(estimator, inputs, batch: batch, selected: selected, reward: reward, parameters: $0)
            }
            #expect(abs(numeric - analytic[k]) < 1e-5 * max(1, abs(numeric)), "parameter \(k): \(numeric) vs \(analytic[k])")
            if analytic[k] != 0 { checked += 1 }
        }
        #expect(checked > theta.count / 3)
    }

    /// The penalty's pull reaches logits whose probabilities have saturated (σ′(z) ≈ 0).
    @Test func thePenaltyPullsSaturatedLogits() {
        var gradient = [0.0, 0.0, 0.0]
        let p = [1e-300, 1e-200, 0.0]  // σ(−700), σ(−460), σ(−800): all below 0.1
        _ = gradient.withUnsafeMutableBufferPointer {
            SelectionLoss().valueAndGradient(p: p, selected: [false, false, false], reward: 0, gradient: $0)
        }
        #expect(gradient.allSatisfy { abs($0 + 1000.0 / 3) < 1e-9 })  // dL/dz < 0: z goes up
    }

    @Test func selectionLossMatchesItsFormula() {
        let p = [0.2, 0.95, 0.5], s = [true, true, false]
        var gradient = [0.0, 0.0, 0.0]
        let value = gradient.withUnsafeMutableBufferPointer {
            SelectionLoss().valueAndGradient(p: p, selected: s, reward: 2, gradient: $0)
        }
        let expected = -2 * (log(0.2 + 1e-8) + log(0.95 + 1e-8) + log(0.5 + 1e-8))
        #expect(abs(value - expected) < 1e-12)
        // Mean p = 0.55: the penalty is inactive. dL/dz = −r (s − p).
        #expect(LinearFixtures.maxAbsDifference(gradient, [-2 * 0.8, -2 * 0.05, 2 * 0.5]) < 1e-12)
        // Mean p = 0.95 > 0.9: penalty 10³ · 0.05 and slope 10³/3 on every row.
        let high = gradient.withUnsafeMutableBufferPointer {
            SelectionLoss().valueAndGradient(p: [0.95, 0.95, 0.95], selected: s, reward: 0, gradient: $0)
        }
        #expect(abs(high - 50) < 1e-9)
        #expect(gradient.allSatisfy { abs($0 - 1000.0 / 3) < 1e-9 })
    }

    /// Two selections (the paired baseline): each REINFORCE term weighted by its reward / 2.
    @Test func selectionLossAveragesTheTermsOfSeveralSelections() {
        let p = [0.2, 0.95, 0.5], a = [true, true, false], b = [false, true, true]
        var gradient = [0.0, 0.0, 0.0]
        let value = gradient.withUnsafeMutableBufferPointer {
            SelectionLoss().valueAndGradient(p: p, selections: [a, b], rewards: [0.6, -0.6], gradient: $0)
        }
        let e = 1e-8
        let logA = log(0.2 + e) + log(0.95 + e) + log(1 - 0.5 + e), logB = log(1 - 0.2 + e) + log(0.95 + e) + log(0.5 + e)
        #expect(abs(value - (-0.3 * logA + 0.3 * logB)) < 1e-12)
        // dL/dz_i = −0.3 (a_i − p_i) + 0.3 (b_i − p_i) = 0.3 (b_i − a_i).
        #expect(LinearFixtures.maxAbsDifference(gradient, [-0.3, 0, 0.3]) < 1e-12)
    }

    @Test func probabilitiesOfAllRowsMatchBatchedForwardPasses() {
        let (estimator, inputs) = Self.fixture()
        var small = DataValueEstimator.Workspace(for: estimator, capacity: 5)
        let all = estimator.probabilities(inputs, workspace: &small)
        var one = DataValueEstimator.Workspace(for: estimator, capacity: 1)
        for i in 0..<inputs.count {
            estimator.forward([i][...], inputs: inputs, workspace: &one)
            #expect(one.probabilities == [all[i]])
        }
        #expect(all.allSatisfy { $0 > 0 && $0 < 1 })
    }
}
