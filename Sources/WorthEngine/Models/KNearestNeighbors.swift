/// k-nearest-neighbour classifier with Euclidean distance.
///
/// Fitting only remembers the rows (the matrix is shared, not copied). The probabilities of a
/// point are the class fractions among its k nearest fitted rows; equal distances are ordered
/// by the lower row index (and a repeated row by its position in `rows`), so results never
/// depend on the order of evaluation. With fewer than k rows all of them vote; with none the
/// probabilities are uniform.
public struct KNearestNeighbors: Classifier {
    /// k used when none is given: 5, as scikit-learn.
    public static let defaultNeighbors = 5

    public let classCount: Int
    /// Number of neighbours that vote, ≥ 1.
    public var neighbors: Int
    private var train = Matrix(rows: 0, columns: 0)
    private var labels: [Int] = []
    private var rows: [Int] = []

    /// An unfitted model over `classCount` ≥ 1 classes voting with `neighbors` ≥ 1 neighbours.
    public init(classCount: Int, neighbors: Int = KNearestNeighbors.defaultNeighbors) {
        precondition(classCount >= 1 && neighbors >= 1)
        self.classCount = classCount
        self.neighbors = neighbors
    }

    public mutating func fit(_ x: Matrix, labels: [Int], rows: [Int]) {
        train = x
        self.labels = labels
        self.rows = rows
    }

    public func predictProbabilities(_ x: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
        let k = min(neighbors, rows.count)
        guard k > 0 else {
            probabilities.update(repeating: 1 / Double(classCount))
            return
        }
        let d = train.columns
        precondition(x.count == d && probabilities.count == classCount)
        probabilities.update(repeating: 0)
        // The k best (distance, row) so far, sorted ascending, on the stack.
        withUnsafeTemporaryAllocation(of: (distance: Double, row: Int).self, capacity: k) { best in
            var filled = 0
            train.storage.withUnsafeBufferPointer { xs in
                for r in rows {
                    let distance = VectorKernels.squaredDistance(xs.baseAddress! + r * d, x.baseAddress!, d)
                    if filled == k {
                        let worst = best[k - 1]
                        guard distance < worst.distance || (distance == worst.distance && r < worst.row) else { continue }
                    } else {
                        filled += 1
                    }
                    // Insert, shifting larger entries right (equal keys keep the earlier one first).
                    var slot = filled - 1
                    while slot > 0 {
                        let previous = best[slot - 1]
                        guard distance < previous.distance || (distance == previous.distance && r < previous.row) else { break }
                        best[slot] = previous
                        slot -= 1
                    }
                    best[slot] = (distance, r)
                }
            }
            let share = 1 / Double(k)
            for i in 0..<k { probabilities[labels[best[i].row]] += share }
        }
    }
}
