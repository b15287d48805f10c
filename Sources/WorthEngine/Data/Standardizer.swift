/// Per-feature centring and scaling to unit variance, fitted on the valued rows only so no
/// information from validation or test rows leaks into training.
///
/// Safe for any finite input: a column whose magnitudes exceed 2²⁵⁶ (features near ±1.7e308,
/// say) is first divided by a power of two that brings them near 1, so that neither the
/// differences from the mean nor the sums of squares overflow. Dividing by a power of two is
/// exact, so such a column standardises to the same numbers as the column scaled down by hand;
/// every other column is computed exactly as without the guard.
public struct Standardizer: Sendable, Equatable {
    /// Mean of each feature over the fitted rows.
    public var means: [Double]
    /// Standard deviation of each feature (population); where a feature is constant, 1 (its
    /// prescale for a prescaled column).
    public var scales: [Double]
    /// The power of two each feature is divided by before centring: 1 except for columns whose
    /// magnitudes would overflow the sums of squares.
    public var prescales: [Double]

    /// Magnitude above which a column is scaled down by a power of two before fitting.
    static let prescaleThreshold = 0x1p256

    /// Fits on `rows` of `x` (all rows when nil).
    public init(fitting x: Matrix, rows: [Int]? = nil) {
        let d = x.columns
        let rows = rows ?? Array(0..<x.rows)
        var largest = [Double](repeating: 0, count: d)
        for r in rows {
            for j in 0..<d where x[r, j].isFinite { largest[j] = max(largest[j], abs(x[r, j])) }
        }
        let prescales = largest.map { $0 > Self.prescaleThreshold ? Double(sign: .plus, exponent: $0.exponent, significand: 1) : 1 }
        var mean = [Double](repeating: 0, count: d)
        var m2 = [Double](repeating: 0, count: d)
        var n = 0.0
        for r in rows {
            n += 1
            for j in 0..<d {
                let v = prescales[j] == 1 ? x[r, j] : x[r, j] / prescales[j]
                let delta = v - mean[j]
                mean[j] += delta / n
                m2[j] += delta * (v - mean[j])
            }
        }
        means = zip(mean, prescales).map { $0 * $1 }
        scales = zip(m2, prescales).map { m2, p in
            // A prescaled column's variance is relative to its largest magnitude (about 1), and
            // a constant one is divided by that magnitude instead of 1.
            (n > 0 && m2 / n > 1e-24 ? (m2 / n).squareRoot() : 1) * p
        }
        self.prescales = prescales
    }

    /// `x` standardised: (x − mean) / scale, column by column (for a prescaled column, with
    /// all three divided by its power of two first, so nothing overflows on the way).
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.columns == means.count)
        var out = x
        let d = x.columns
        out.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<x.rows {
                for j in 0..<d {
                    let p = prescales[j]
                    s[i * d + j] = p == 1 ? (s[i * d + j] - means[j]) / scales[j]
                                          : (s[i * d + j] / p - means[j] / p) / (scales[j] / p)
                }
            }
        }
        return out
    }
}
