/// A dense row-major matrix of `Double`: the engine's feature storage.
///
/// Rows are samples, columns are features. Storage is one contiguous array so hot loops can
/// run over `withUnsafeBufferPointer` without bounds checks or allocation.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// Row-major values: element (i, j) is `storage[i * columns + j]`.
    public var storage: [Double]

    /// A matrix over `storage`, which must hold `rows * columns` values in row-major order.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns, "storage does not match the shape")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix of `rows` × `columns` filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, storage: Array(repeating: value, count: rows * columns))
    }

    /// Element (`row`, `column`).
    @inlinable public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of row `i`.
    public func row(_ i: Int) -> [Double] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// The matrix made of the given rows, in the given order (repeats allowed).
    public func selecting(rows indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * columns)
        storage.withUnsafeBufferPointer { s in
            for i in indices {
                out.append(contentsOf: s[(i * columns)..<((i + 1) * columns)])
            }
        }
        return Matrix(rows: indices.count, columns: columns, storage: out)
    }
}
