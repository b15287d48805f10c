/// The rows nearest to a row, by Euclidean distance over standardised features: what a person
/// checks a suspect label against ("its 8 nearest neighbours all say benign").
///
/// The features are standardised (each column centred and divided by its standard deviation
/// over the rows searched, `Standardizer`) so that no column dominates by its unit; pass
/// `standardize: false` for features that already are (a `ValuationProblem`'s `train`).
/// Equal distances are ordered by the lower row index, so the answer never depends on the
/// order of evaluation.
public struct NearestRows: Sendable {
    /// A row found, and its distance to the query (in standard deviations).
    public struct Neighbor: Sendable, Equatable {
        public var row: Int
        public var distance: Double
        public init(row: Int, distance: Double) {
            self.row = row
            self.distance = distance
        }
    }

    /// The k used when none is given.
    public static let defaultCount = 8

    /// The rows searched, standardised.
    public let features: Matrix

    /// Searches the rows of `features`, standardising them first unless `standardize` is false.
    public init(features: Matrix, standardize: Bool = true) {
        self.features = standardize ? Standardizer(fitting: features).apply(features) : features
    }

    /// The `k` rows nearest to row `query` (itself left out), nearest first; fewer when there
    /// are not that many other rows.
    public func neighbors(of query: Int, k: Int = NearestRows.defaultCount) -> [Neighbor] {
        let n = features.rows, d = features.columns
        precondition((0..<n).contains(query), "row \(query) is not one of the \(n) rows")
        let k = min(max(0, k), n - 1)
        guard k > 0 else { return [] }
        var best: [Neighbor] = []
        best.reserveCapacity(k + 1)
        features.storage.withUnsafeBufferPointer { x in
            let q = x.baseAddress! + query * d
            for r in 0..<n where r != query {
                let distance = VectorKernels.squaredDistance(x.baseAddress! + r * d, q, d)
                if best.count == k, let worst = best.last, !(distance < worst.distance) { continue }
                // Insert after every entry at most as far (rows come in ascending order, so a tie goes after).
                var slot = best.count
                while slot > 0 && best[slot - 1].distance > distance { slot -= 1 }
                best.insert(Neighbor(row: r, distance: distance), at: slot)
                if best.count > k { best.removeLast() }
            }
        }
        return best.map { Neighbor(row: $0.row, distance: $0.distance.squareRoot()) }
    }
}
