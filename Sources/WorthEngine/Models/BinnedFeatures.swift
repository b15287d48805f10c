/// Features quantised once into at most 256 bins per feature, for histogram-based tree growing.
///
/// Growing a tree on raw values means sorting every candidate feature at every node; on bins it
/// means one pass that counts classes per bin, and the bins are computed once for all the trees
/// of a forest. Bin edges are quantiles of the rows the binning was fitted on and are kept, so
/// that other rows (validation, test) are binned the same way.
///
/// Storage is column-major: the split search scans one feature over a node's rows at a time, so
/// one feature's bins lie together (`bins[feature * rows + row]`).
struct BinnedFeatures: Sendable {
    /// Number of rows.
    let rows: Int
    /// Number of features.
    let columns: Int
    /// Bin of (row, feature) at `feature * rows + row`.
    let bins: [UInt8]
    /// Per feature, the strictly ascending upper edges of bins `0..<edges.count` (at most 255):
    /// a value `x` falls in the bin numbered by how many edges are below it, so bin `b` holds
    /// the values in `(edges[b − 1], edges[b]]` and "bin ≤ b" means "x ≤ edges[b]".
    let edges: [[Double]]

    /// Most bins a feature can have (bins are stored as `UInt8`).
    static let maxBins = 256

    /// Bins rows `rows` of `x` (all rows when nil), in that order, with edges fitted on them.
    ///
    /// A feature with at most `maxBins` distinct values gets one bin per value, with edges
    /// midway between neighbouring values; otherwise the edges sit just above the values at the
    /// 1/maxBins, 2/maxBins, … quantiles, so each bin holds about the same number of rows.
    ///
    /// - Parameters:
    ///   - x: features; values must be finite.
    ///   - rows: the rows to bin and to take the quantiles from (distinct rows, any order).
    ///   - maxBins: in 2...256.
    init(fitting x: Matrix, rows: [Int]? = nil, maxBins: Int = BinnedFeatures.maxBins) {
        precondition((2...BinnedFeatures.maxBins).contains(maxBins))
        let rows = rows ?? Array(0..<x.rows)
        var edges = [[Double]]()
        edges.reserveCapacity(x.columns)
        var column = [Double](repeating: 0, count: rows.count)
        for j in 0..<x.columns {
            for (k, r) in rows.enumerated() { column[k] = x[r, j] }
            column.sort()
            edges.append(Self.quantileEdges(sorted: column, maxBins: maxBins))
        }
        self.init(x, rows: rows, edges: edges)
    }

    /// Bins rows `rows` of `x` (all rows when nil), in that order, with the given edges (those
    /// of another binning, to bin unseen rows the same way).
    init(_ x: Matrix, rows: [Int]? = nil, edges: [[Double]]) {
        precondition(edges.count == x.columns && edges.allSatisfy { $0.count < BinnedFeatures.maxBins })
        let rows = rows ?? Array(0..<x.rows)
        let n = rows.count
        var bins = [UInt8](repeating: 0, count: n * x.columns)
        x.storage.withUnsafeBufferPointer { s in
            bins.withUnsafeMutableBufferPointer { out in
                for j in 0..<x.columns {
                    edges[j].withUnsafeBufferPointer { e in
                        for (k, r) in rows.enumerated() {
                            out[j * n + k] = Self.bin(of: s[r * x.columns + j], edges: e)
                        }
                    }
                }
            }
        }
        self.rows = n
        self.columns = x.columns
        self.bins = bins
        self.edges = edges
    }

    /// The same binning applied to rows `rows` of `x` (all rows when nil).
    func binning(_ x: Matrix, rows: [Int]? = nil) -> BinnedFeatures {
        BinnedFeatures(x, rows: rows, edges: edges)
    }

    /// Bin of `value` under ascending `edges`: the number of edges strictly below it.
    @inlinable static func bin(of value: Double, edges: UnsafeBufferPointer<Double>) -> UInt8 {
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) >> 1
            if edges[mid] < value { low = mid + 1 } else { high = mid }
        }
        return UInt8(truncatingIfNeeded: low)
    }

    /// Upper bin edges for the ascending `sorted` values (see `init(fitting:rows:maxBins:)`).
    static func quantileEdges(sorted: [Double], maxBins: Int) -> [Double] {
        let n = sorted.count
        var edges = [Double]()
        // An edge between a value and the next larger one: the midpoint, or the value itself when
        // the two are neighbouring doubles (the midpoint would round up onto the larger one).
        func edge(_ low: Double, _ high: Double) -> Double {
            let mid = low + (high - low) / 2
            return mid < high ? mid : low
        }
        var distinct = 0
        for i in 0..<n where i == 0 || sorted[i] != sorted[i - 1] { distinct += 1 }
        if distinct <= maxBins {
            for i in 1..<max(n, 1) where sorted[i] != sorted[i - 1] {
                edges.append(edge(sorted[i - 1], sorted[i]))
            }
            return edges
        }
        var i = 0
        for q in 1..<maxBins {
            // The value at the q-th quantile, then the first larger value after its run of ties.
            i = max(i, q * n / maxBins)
            guard i < n else { break }
            let value = sorted[i]
            while i < n && sorted[i] == value { i += 1 }
            guard i < n else { break }
            edges.append(edge(value, sorted[i]))
        }
        return edges
    }
}
