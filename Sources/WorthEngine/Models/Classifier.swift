import Foundation

/// A probabilistic classifier that can be refitted on subsets of one training matrix.
///
/// Valuation methods fit thousands of models on subsets of the same rows, so `fit` takes the
/// full matrix plus the indices of the rows to use (repeats allowed: a bootstrap sample), never
/// a copy. Conforming types are values: fitting a model that was already fitted starts from its
/// current solution where the model can use one (warm start), which is what Monte Carlo
/// methods want when they refit on a growing subset.
public protocol Classifier: Sendable {
    /// Number of classes; predictions are in `0..<classCount`.
    var classCount: Int { get }

    /// Fits the model on rows `rows` of `x` with labels `labels[row]`. `rows` may be empty or
    /// hold a single class; the model must then still predict something sensible (the classes
    /// it has seen, or the prior), never trap.
    mutating func fit(_ x: Matrix, labels: [Int], rows: [Int])

    /// Fits on `rows` of `x` where `rows[..<previousCount]` are exactly the rows of this model's
    /// previous fit, on the same `x` and `labels`: the subset grew by the rows after them, as
    /// a permutation's prefix does in TMC-Shapley. A model may reuse what it kept from that fit
    /// (logistic regression updates its loss and gradient sums with the new rows alone instead
    /// of evaluating every row again); the result is that of `fit(x, labels:, rows:)` to within
    /// the model's tolerance. The default is `fit(x, labels:, rows:)`.
    mutating func fit(_ x: Matrix, labels: [Int], rows: [Int], extending previousCount: Int)

    /// Writes the class probabilities of one feature vector (`x.count` == feature count) into
    /// `probabilities` (`count` == `classCount`); they sum to 1.
    func predictProbabilities(_ x: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>)
}

extension Classifier {
    public mutating func fit(_ x: Matrix, labels: [Int], rows: [Int], extending previousCount: Int) {
        fit(x, labels: labels, rows: rows)
    }

    /// Class probabilities of row `row` of `x`.
    public func probabilities(_ x: Matrix, row: Int) -> [Double] {
        var p = [Double](repeating: 0, count: classCount)
        x.storage.withUnsafeBufferPointer { s in
            p.withUnsafeMutableBufferPointer { out in
                predictProbabilities(UnsafeBufferPointer(rebasing: s[(row * x.columns)..<((row + 1) * x.columns)]), into: out)
            }
        }
        return p
    }

    /// The most probable class of each of `rows` of `x` (ties go to the lowest class index).
    public func predict(_ x: Matrix, rows: [Int]) -> [Int] {
        var out = [Int]()
        out.reserveCapacity(rows.count)
        var p = [Double](repeating: 0, count: classCount)
        x.storage.withUnsafeBufferPointer { s in
            p.withUnsafeMutableBufferPointer { probs in
                for r in rows {
                    predictProbabilities(UnsafeBufferPointer(rebasing: s[(r * x.columns)..<((r + 1) * x.columns)]), into: probs)
                    out.append(argmax(UnsafeBufferPointer(probs)))
                }
            }
        }
        return out
    }

    /// Fraction of `rows` of `x` predicted as `labels[row]`, in [0, 1]; 0 for no rows.
    public func accuracy(_ x: Matrix, labels: [Int], rows: [Int]) -> Double {
        guard !rows.isEmpty else { return 0 }
        let predicted = predict(x, rows: rows)
        var correct = 0
        for (k, r) in rows.enumerated() where predicted[k] == labels[r] { correct += 1 }
        return Double(correct) / Double(rows.count)
    }

    /// Mean negative log-likelihood of the true labels of `rows` of `x`, in nats (probabilities
    /// are clipped at 1e-15 so one confident mistake does not make it infinite).
    public func logLoss(_ x: Matrix, labels: [Int], rows: [Int]) -> Double {
        guard !rows.isEmpty else { return 0 }
        var p = [Double](repeating: 0, count: classCount)
        var total = 0.0
        x.storage.withUnsafeBufferPointer { s in
            p.withUnsafeMutableBufferPointer { probs in
                for r in rows {
                    predictProbabilities(UnsafeBufferPointer(rebasing: s[(r * x.columns)..<((r + 1) * x.columns)]), into: probs)
                    total -= log(Swift.max(probs[labels[r]], 1e-15))
                }
            }
        }
        return total / Double(rows.count)
    }
}

/// Index of the largest value (the first one on ties); 0 for an empty buffer.
@inlinable func argmax(_ values: UnsafeBufferPointer<Double>) -> Int {
    var best = 0
    var bestValue = -Double.infinity
    for i in 0..<values.count where values[i] > bestValue {
        best = i
        bestValue = values[i]
    }
    return best
}
