/// One feature's value in every row: 32-bit floats (half the memory of doubles: a million rows
/// of 100 features is 400 MB), or doubles for a feature from a file with a value beyond a
/// float's normal range (±1.2e-38 to ±3.4e38; the values then keep a float's 24 significant
/// bits) or that came from a `Matrix`.
public enum FeatureColumn: Sendable, Equatable {
    case float([Float])
    case double([Double])

    /// Number of rows.
    public var count: Int {
        switch self {
        case .float(let v): v.count
        case .double(let v): v.count
        }
    }

    /// The value of row `i`.
    @inlinable public subscript(i: Int) -> Double {
        switch self {
        case .float(let v): Double(v[i])
        case .double(let v): v[i]
        }
    }

    /// The column made of rows `rows`, in that order.
    func selecting(_ rows: [Int]) -> FeatureColumn {
        switch self {
        case .float(let v): .float(rows.map { v[$0] })
        case .double(let v): .double(rows.map { v[$0] })
        }
    }
}

/// A dataset's features stored by column, each column as compact as its values allow (see
/// `FeatureColumn`). The loader writes it without ever holding the file's text; the valuation
/// problem reads it standardised, row by row, without a second copy (`StandardizedRows`).
public struct FeatureColumns: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// The features, each with `rows` values.
    public private(set) var columns: [FeatureColumn]

    public init(rows: Int, columns: [FeatureColumn]) {
        precondition(columns.allSatisfy { $0.count == rows })
        self.rows = rows
        self.columns = columns
    }

    /// The columns of `matrix`, as doubles (exactly its values).
    public init(_ matrix: Matrix) {
        let (n, d) = (matrix.rows, matrix.columns)
        let columns = (0..<d).map { j in
            FeatureColumn.double([Double](unsafeUninitializedCapacity: n) { out, initialized in
                matrix.storage.withUnsafeBufferPointer { s in for i in 0..<n { out[i] = s[i * d + j] } }
                initialized = n
            })
        }
        self.init(rows: n, columns: columns)
    }

    /// Number of features.
    public var count: Int { columns.count }

    /// Feature `column` of row `row`.
    public subscript(row: Int, column: Int) -> Double { columns[column][row] }

    /// The features as a row-major matrix of doubles (a copy: twice the memory of 32-bit columns).
    public var matrix: Matrix {
        let d = columns.count
        var storage = [Double](repeating: 0, count: rows * d)
        storage.withUnsafeMutableBufferPointer { s in
            for (j, column) in columns.enumerated() {
                switch column {
                case .float(let v): v.withUnsafeBufferPointer { v in for i in 0..<rows { s[i * d + j] = Double(v[i]) } }
                case .double(let v): v.withUnsafeBufferPointer { v in for i in 0..<rows { s[i * d + j] = v[i] } }
                }
            }
        }
        return Matrix(rows: rows, columns: d, storage: storage)
    }

    /// The rows `rows`, in that order (repeats allowed).
    public func selecting(rows indices: [Int]) -> FeatureColumns {
        FeatureColumns(rows: indices.count, columns: columns.map { $0.selecting(indices) })
    }
}
