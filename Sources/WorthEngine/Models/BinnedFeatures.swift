/// Features quantised once into at most 256 bins per feature, for histogram-based tree growing.
///
/// Growing a tree on raw values means sorting every candidate feature at every node; on bins it
/// means one pass that counts classes per bin, and the bins are computed once for all the trees
/// of a forest. Bin edges are quantiles of the rows the binning was fitted on and are kept, so
/// that other rows (validation, test) are binned the same way. Quantile bins depend only on the
/// order of each feature's values, so standardising the features first changes nothing.
///
/// Storage is row-major, one byte per (row, feature): a tree node draws a few random features
/// and reads them for each of its rows, and a row's walk down a tree reads several of its
/// features, so a row's bins lie together (`bins[row * columns + feature]`, 100 bytes for 100
/// features: one or two cache lines per row wherever the row sits in the data).
struct BinnedFeatures: Sendable {
    /// Number of rows.
    let rows: Int
    /// Number of features.
    let columns: Int
    /// Bin of (row, feature) at `row * columns + feature`.
    let bins: [UInt8]
    /// Per feature, the strictly ascending upper edges of bins `0..<edges.count` (at most 255):
    /// a value `x` falls in the bin numbered by how many edges are below it, so bin `b` holds
    /// the values in `(edges[b − 1], edges[b]]` and "bin ≤ b" means "x ≤ edges[b]".
    let edges: [[Double]]

    /// Most bins a feature can have (bins are stored as `UInt8`).
    static let maxBins = 256

    /// Bin of `feature` in `row`.
    subscript(row: Int, feature: Int) -> UInt8 { bins[row * columns + feature] }

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
        let source = MatrixRows(matrix: x, rows: rows)
        let edges = Self.fitEdges(source, features: 0..<x.columns, maxBins: maxBins)
        self.init(rows: source.rowCount, columns: x.columns, bins: Self.binRows(source, rows: 0..<source.rowCount, edges: edges),
                  edges: edges)
    }

    /// `init(fitting: x)` for any source of features, on `workers` concurrent tasks (edges a
    /// few features at a time, then bins in blocks of rows), merged in order: the same bins.
    /// Nil when cancelled.
    static func fitting(_ x: some FeatureSource, workers: Int) async throws -> BinnedFeatures? {
        var edges = [[Double]]()
        edges.reserveCapacity(x.featureCount)
        guard try await runChunks(units: 0..<x.featureCount, chunkSize: 4, workers: workers,
                                  work: { features in Self.fitEdges(x, features: features) },
                                  merge: { _, part in edges += part; return .proceed }) == .completed else { return nil }
        var bins = [UInt8]()
        bins.reserveCapacity(x.rowCount * x.featureCount)
        let fitted = edges
        guard try await runChunks(units: 0..<x.rowCount, chunkSize: 16_384, workers: workers,
                                  work: { rows in Self.binRows(x, rows: rows, edges: fitted) },
                                  merge: { _, part in bins += part; return .proceed }) == .completed else { return nil }
        return BinnedFeatures(rows: x.rowCount, columns: x.featureCount, bins: bins, edges: edges)
    }

    /// The bin edges of features `features` of `x`, from their values in all its rows (see
    /// `init(fitting:rows:maxBins:)`).
    static func fitEdges(_ x: some FeatureSource, features: Range<Int>, maxBins: Int = BinnedFeatures.maxBins) -> [[Double]] {
        precondition((2...BinnedFeatures.maxBins).contains(maxBins))
        let m = x.rowCount
        var edges = [[Double]]()
        edges.reserveCapacity(features.count)
        var sorter = RadixSorter()
        // Features are read four at a time, so a row-major matrix is read twice, not once per feature.
        let block = 4
        var values = [Double](repeating: 0, count: block * m)
        var keys = [UInt64](repeating: 0, count: m)
        var sorted = [Double](repeating: 0, count: m)
        for first in stride(from: features.lowerBound, to: features.upperBound, by: block) {
            let width = min(block, features.upperBound - first)
            values.withUnsafeMutableBufferPointer { v in x.read(features: first..<(first + width), rows: 0..<m, into: v.baseAddress!) }
            for f in 0..<width {
                keys.withUnsafeMutableBufferPointer { k in
                    // + 0 turns −0 into +0: the two are equal, so only one may order first.
                    for i in 0..<m { k[i] = RadixSorter.key(values[f * m + i] + 0) }
                    sorter.sort(k, bits: 0..<64)
                    for i in 0..<m { sorted[i] = RadixSorter.value(ofKey: k[i]) }
                }
                edges.append(Self.quantileEdges(sorted: sorted, maxBins: maxBins))
            }
        }
        return edges
    }

    /// Bins rows `rows` of `x` (all rows when nil), in that order, with the given edges (those
    /// of another binning, to bin unseen rows the same way).
    init(_ x: Matrix, rows: [Int]? = nil, edges: [[Double]]) {
        let source = MatrixRows(matrix: x, rows: rows)
        self.init(rows: source.rowCount, columns: x.columns, bins: Self.binRows(source, rows: 0..<source.rowCount, edges: edges),
                  edges: edges)
    }

    /// Bins already computed (by `binRows`), `columns` per row, row-major.
    init(rows: Int, columns: Int, bins: [UInt8], edges: [[Double]]) {
        precondition(edges.count == columns && edges.allSatisfy { $0.count < BinnedFeatures.maxBins })
        precondition(bins.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.bins = bins
        self.edges = edges
    }

    /// The bins of rows `rows` of `x` under `edges`, row-major.
    static func binRows(_ x: some FeatureSource, rows: Range<Int>, edges: [[Double]]) -> [UInt8] {
        let d = x.featureCount
        // All features' edges in one table, each padded to 255 with +infinity so every search
        // takes the same 8 halving steps, branch-free.
        let width = BinnedFeatures.maxBins - 1
        var table = [Double](repeating: .infinity, count: d * width)
        for j in 0..<d { for (b, e) in edges[j].enumerated() { table[j * width + b] = e } }
        // Rows a block at a time: the block's features by column, then its bins by row.
        let block = 1024
        var values = [Double](repeating: 0, count: d * block)
        return [UInt8](unsafeUninitializedCapacity: rows.count * d) { out, initialized in
            table.withUnsafeBufferPointer { t in
                values.withUnsafeMutableBufferPointer { v in
                    for first in stride(from: rows.lowerBound, to: rows.upperBound, by: block) {
                        let count = min(block, rows.upperBound - first)
                        x.read(features: 0..<d, rows: first..<(first + count), into: v.baseAddress!)
                        let o = out.baseAddress! + (first - rows.lowerBound) * d
                        for j in 0..<d {
                            let e = t.baseAddress! + j * width
                            for i in 0..<count { o[i * d + j] = Self.bin(of: v[j * count + i], paddedEdges: e) }
                        }
                    }
                }
            }
            initialized = rows.count * d
        }
    }

    /// Bin of `value` under 255 ascending edges (padded with +infinity): the number of edges
    /// strictly below it, by eight branch-free halving steps.
    @inline(__always)
    static func bin(of value: Double, paddedEdges e: UnsafePointer<Double>) -> UInt8 {
        // Invariant: the first `low` edges are below the value; the answer is in low...low+step*2-1.
        var low = 0
        var step = 128
        while step > 0 {
            low &+= e[low &+ step &- 1] < value ? step : 0
            step >>= 1
        }
        return UInt8(truncatingIfNeeded: low)
    }

    /// The same binning applied to rows `rows` of `x` (all rows when nil).
    func binning(_ x: Matrix, rows: [Int]? = nil) -> BinnedFeatures {
        BinnedFeatures(x, rows: rows, edges: edges)
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

/// Features read a few at a time as doubles: what binning reads, from a matrix or from a
/// dataset's columns standardised on the fly (`StandardizedRows`), without a row-major copy.
protocol FeatureSource: Sendable {
    /// Number of rows.
    var rowCount: Int { get }
    /// Number of features.
    var featureCount: Int { get }
    /// Writes features `features` of rows `rows` to `out`, by feature: feature
    /// `features.lowerBound + f` of row `rows.lowerBound + i` at `out[f * rows.count + i]`.
    func read(features: Range<Int>, rows: Range<Int>, into out: UnsafeMutablePointer<Double>)
}

/// Rows of a matrix (all of them when `rows` is nil), in that order.
struct MatrixRows: FeatureSource {
    let matrix: Matrix
    let rows: [Int]?

    var rowCount: Int { rows?.count ?? matrix.rows }
    var featureCount: Int { matrix.columns }

    func read(features: Range<Int>, rows range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let d = matrix.columns, count = range.count
        matrix.storage.withUnsafeBufferPointer { s in
            for (i, position) in range.enumerated() {
                let row = s.baseAddress! + (rows?[position] ?? position) * d
                for (f, j) in features.enumerated() { out[f * count + i] = row[j] }
            }
        }
    }
}

extension Matrix: FeatureSource {
    var rowCount: Int { rows }
    var featureCount: Int { columns }

    func read(features: Range<Int>, rows range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        MatrixRows(matrix: self, rows: nil).read(features: features, rows: range, into: out)
    }
}
