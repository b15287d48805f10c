/// Retrains a model on the valued rows minus some of them and scores it on held-out rows:
/// the one mechanism behind the point-removal curve, the "remove the lowest 10%" comparison
/// and the terminal UI's what-if.
public struct RetrainingEvaluator: Sendable {
    /// The model to train, unfitted (its parameters, e.g. L2 strength, are kept).
    public var prototype: any Classifier
    /// Valued rows and the labels the valuation saw.
    public var train: Matrix
    public var trainLabels: [Int]

    public init(prototype: any Classifier, train: Matrix, trainLabels: [Int]) {
        self.prototype = prototype
        self.train = train
        self.trainLabels = trainLabels
    }

    /// Accuracy on (`x`, `labels`) of the model trained on every valued row except `removed`
    /// (indices into the valued rows).
    public func accuracy(removing removed: Set<Int>, on x: Matrix, labels: [Int]) -> Double {
        var model = prototype
        model.fit(train, labels: trainLabels, rows: train.rows == 0 ? [] : (0..<train.rows).filter { !removed.contains($0) })
        return model.accuracy(x, labels: labels, rows: Array(0..<x.rows))
    }

    /// The valued rows ordered by value, lowest first (rows without a value last, in row order).
    public static func lowestFirst(_ values: [Double]) -> [Int] {
        values.indices.sorted { a, b in
            switch (values[a].isNaN, values[b].isNaN) {
            case (false, false): values[a] < values[b] || (values[a] == values[b] && a < b)
            case (true, true): a < b
            case (let na, _): !na
            }
        }
    }

    /// Test accuracy after removing 0, 5, …, `maxFraction`×100 % of the valued rows, lowest
    /// values first and highest first.
    public func pointRemovalCurve(values: [Double], on x: Matrix, labels: [Int],
                                  step: Double = 0.05, maxFraction: Double = 0.5) -> PointRemovalCurve {
        let low = Self.lowestFirst(values)
        let valuedHigh = low.filter { !values[$0].isNaN }.reversed() + low.filter { values[$0].isNaN }
        var curve = PointRemovalCurve(fractions: [], removingLowest: [], removingHighest: [])
        var f = 0.0
        while f <= maxFraction + 1e-9 {
            let count = Int((Double(values.count) * f).rounded())
            curve.fractions.append(f)
            curve.removingLowest.append(accuracy(removing: Set(low.prefix(count)), on: x, labels: labels))
            curve.removingHighest.append(accuracy(removing: Set(valuedHigh.prefix(count)), on: x, labels: labels))
            f += step
        }
        return curve
    }
}

/// Test accuracy as rows are removed by value: removing harmful (low) rows first should keep
/// or raise accuracy; removing helpful (high) rows first should drop it fast.
public struct PointRemovalCurve: Sendable, Equatable {
    /// Fractions of the valued rows removed, in [0, 1].
    public var fractions: [Double]
    /// Test accuracy after removing that fraction, lowest values first.
    public var removingLowest: [Double]
    /// Test accuracy after removing that fraction, highest values first.
    public var removingHighest: [Double]
}
