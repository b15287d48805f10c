/// Per-feature centring and scaling to unit variance, fitted on the valued rows only so no
/// information from validation or test rows leaks into training.
public struct Standardizer: Sendable, Equatable {
    /// Mean of each feature over the fitted rows.
    public var means: [Double]
    /// Standard deviation of each feature (population), 1 where a feature is constant.
    public var scales: [Double]

    /// Fits on `rows` of `x` (all rows when nil).
    public init(fitting x: Matrix, rows: [Int]? = nil) {
        let d = x.columns
        let rows = rows ?? Array(0..<x.rows)
        var mean = [Double](repeating: 0, count: d)
        var m2 = [Double](repeating: 0, count: d)
        var n = 0.0
        for r in rows {
            n += 1
            for j in 0..<d {
                let v = x[r, j]
                let delta = v - mean[j]
                mean[j] += delta / n
                m2[j] += delta * (v - mean[j])
            }
        }
        means = mean
        scales = m2.map { n > 0 && $0 / n > 1e-24 ? ($0 / n).squareRoot() : 1 }
    }

    /// `x` standardised: (x − mean) / scale, column by column.
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.columns == means.count)
        var out = x
        let d = x.columns
        out.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<x.rows {
                for j in 0..<d { s[i * d + j] = (s[i * d + j] - means[j]) / scales[j] }
            }
        }
        return out
    }
}
