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
        self.init((0..<d).map { j in x.storage.withUnsafeBufferPointer { s in Self.fit(rows.lazy.map { s[$0 * d + j] }) } })
    }

    /// Fits on `rows` of `x` (all rows when nil).
    public init(fitting x: FeatureColumns, rows: [Int]? = nil) {
        let rows = rows ?? Array(0..<x.rows)
        self.init(x.columns.map { column in
            switch column {
            case .float(let v): v.withUnsafeBufferPointer { v in Self.fit(rows.lazy.map { Double(v[$0]) }) }
            case .double(let v): v.withUnsafeBufferPointer { v in Self.fit(rows.lazy.map { v[$0] }) }
            }
        })
    }

    private init(_ fitted: [(mean: Double, scale: Double, prescale: Double)]) {
        means = fitted.map(\.mean)
        scales = fitted.map(\.scale)
        prescales = fitted.map(\.prescale)
    }

    /// One feature's mean, scale and prescale from its values (Welford's running moments).
    private static func fit(_ values: some Collection<Double>) -> (mean: Double, scale: Double, prescale: Double) {
        var largest = 0.0
        for v in values where v.isFinite { largest = max(largest, abs(v)) }
        let p = largest > prescaleThreshold ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        var mean = 0.0, m2 = 0.0, n = 0.0
        for x in values {
            n += 1
            let v = p == 1 ? x : x / p
            let delta = v - mean
            mean += delta / n
            m2 += delta * (v - mean)
        }
        // A prescaled column's variance is relative to its largest magnitude (about 1), and a
        // constant one is divided by that magnitude instead of 1.
        return (mean * p, (n > 0 && m2 / n > 1e-24 ? (m2 / n).squareRoot() : 1) * p, p)
    }

    /// `value` of feature `j` standardised: (x − mean) / scale (for a prescaled feature, with
    /// all three divided by its power of two first, so nothing overflows on the way).
    @inline(__always)
    func standardized(_ value: Double, feature j: Int) -> Double {
        let p = prescales[j]
        return p == 1 ? (value - means[j]) / scales[j] : (value / p - means[j] / p) / (scales[j] / p)
    }

    /// `x` standardised, column by column (`standardized(_:feature:)`).
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.columns == means.count)
        var out = x
        let d = x.columns
        out.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<x.rows {
                for j in 0..<d { s[i * d + j] = standardized(s[i * d + j], feature: j) }
            }
        }
        return out
    }
}

/// Rows of a dataset's feature columns, standardised as they are read: the valued rows of a
/// problem without a second copy of the data (`ValuationProblem.train` makes one only when a
/// method asks for a matrix).
struct StandardizedRows: FeatureSource {
    let columns: FeatureColumns
    let standardizer: Standardizer
    /// The dataset rows, in problem order.
    let rows: [Int]

    var rowCount: Int { rows.count }
    var featureCount: Int { columns.count }

    func read(features: Range<Int>, rows range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let count = range.count
        rows.withUnsafeBufferPointer { index in
            for (f, j) in features.enumerated() {
                let o = out + f * count
                switch columns.columns[j] {
                case .float(let v):
                    v.withUnsafeBufferPointer { v in
                        for (i, p) in range.enumerated() { o[i] = standardizer.standardized(Double(v[index[p]]), feature: j) }
                    }
                case .double(let v):
                    v.withUnsafeBufferPointer { v in
                        for (i, p) in range.enumerated() { o[i] = standardizer.standardized(v[index[p]], feature: j) }
                    }
                }
            }
        }
    }

    /// The rows as a row-major matrix of doubles.
    var matrix: Matrix {
        let d = columns.count, n = rows.count
        var storage = [Double](repeating: 0, count: n * d)
        var column = [Double](repeating: 0, count: n)
        storage.withUnsafeMutableBufferPointer { s in
            column.withUnsafeMutableBufferPointer { c in
                for j in 0..<d {
                    read(features: j..<(j + 1), rows: 0..<n, into: c.baseAddress!)
                    for i in 0..<n { s[i * d + j] = c[i] }
                }
            }
        }
        return Matrix(rows: n, columns: d, storage: storage)
    }
}
