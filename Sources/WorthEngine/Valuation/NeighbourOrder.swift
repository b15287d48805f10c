/// The rows of a matrix in order of squared Euclidean distance to query points, ties by row
/// index: the exact, complete order KNN-Shapley's recursion walks for every validation point.
///
/// Work is done for a tile of query points at a time:
/// - Distances: each row is read once per tile and compared with four query points at a time
///   (SIMD over the features, in the lanes `VectorKernels.squaredDistance` uses for its four
///   sums, added up in the same order), so each distance has the same bits as that function's
///   and the rows stream from memory once per tile instead of once per point.
/// - Order of one point: non-negative doubles order like their bit patterns, and those of one
///   point's distances span [lowest, highest]; (bits − lowest) scaled down to 32 bits is a key
///   that orders the distances to within about one part in 2³² of their range. A word per row,
///   key << 32 | flag << 31 | row, is radix-sorted by its key (stable: equal keys stay in row
///   order), then the rare runs of equal keys are put in (distance, row) order from the full
///   distances. That is the order a full sort by (distance, row) gives, for three passes of
///   11-bit digits instead of six.
///
/// One value serves one worker (it holds scratch memory).
struct NeighbourOrder {
    /// Rows being ordered.
    let rows: Matrix
    /// Query points per tile: as many as keep the tile within ~32 MB, a multiple of 4 in 4...64.
    let tileSize: Int
    /// Distances of the current tile as bit patterns, `rows.rows` per query point.
    private var distances: [UInt64]
    /// The smallest and largest distance bits of each query point of the tile.
    private var lowest: [UInt64], highest: [UInt64]
    /// The order of the last `order(query:labels:label:)`: key << 32 | flag << 31 | row.
    private(set) var words: [UInt64]
    private var sorter = RadixSorter()

    /// Bits of a sort key (three radix passes). With 22 bits (two passes) a few percent of the
    /// rows share keys at 160,000 rows and settling them costs more than the pass it saves.
    static let keyBits = 32

    /// Most rows it can order: a row index has 31 bits in a word.
    static let maxRows = Int(Int32.max)

    init(rows: Matrix) {
        precondition(rows.rows <= Self.maxRows)
        self.rows = rows
        tileSize = Self.tileSize(rows: rows.rows)
        distances = [UInt64](repeating: 0, count: tileSize * rows.rows)
        lowest = [UInt64](repeating: 0, count: tileSize)
        highest = lowest
        words = [UInt64](repeating: 0, count: rows.rows)
    }

    /// Query points per tile for `rows` rows: the tile's distances within 32 MB, 4...64 points.
    static func tileSize(rows: Int) -> Int {
        min(64, max(4, (32 << 20) / (max(1, rows) * MemoryLayout<UInt64>.size) / 4 * 4))
    }

    /// Computes the distances from every row to query points `points` (at most `tileSize`
    /// rows of `queries`, which has the rows' columns); `order(query:labels:label:)` then
    /// orders the rows for one of them.
    mutating func computeTile(_ queries: Matrix, points: Range<Int>) {
        precondition(points.count <= tileSize && queries.columns == rows.columns)
        let n = rows.rows, d = rows.columns
        guard n > 0, !points.isEmpty else { return }
        for q in 0..<tileSize {
            lowest[q] = .max
            highest[q] = 0
        }
        rows.storage.withUnsafeBufferPointer { xs in
            queries.storage.withUnsafeBufferPointer { qs in
                distances.withUnsafeMutableBufferPointer { out in
                    // Groups of four points; a short last group repeats its last point.
                    var group = 0
                    while group < points.count {
                        func point(_ k: Int) -> UnsafePointer<Double> {
                            qs.baseAddress! + (points.lowerBound + min(group + k, points.count - 1)) * d
                        }
                        let (q0, q1, q2, q3) = (point(0), point(1), point(2), point(3))
                        let live = min(4, points.count - group)
                        var low = SIMD4<UInt64>(repeating: .max), high = SIMD4<UInt64>(repeating: 0)
                        for i in 0..<n {
                            let (d0, d1, d2, d3) = Self.squaredDistances(xs.baseAddress! + i * d, q0, q1, q2, q3, d)
                            let bits = SIMD4(d0.bitPattern, d1.bitPattern, d2.bitPattern, d3.bitPattern)
                            low = pointwiseMin(low, bits)
                            high = pointwiseMax(high, bits)
                            let base = out.baseAddress! + group * n + i
                            base[0] = bits[0]
                            if live > 1 { base[n] = bits[1] }
                            if live > 2 { base[2 * n] = bits[2] }
                            if live > 3 { base[3 * n] = bits[3] }
                        }
                        for k in 0..<live {
                            lowest[group + k] = low[k]
                            highest[group + k] = high[k]
                        }
                        group += 4
                    }
                }
            }
        }
    }

    /// Orders the rows by distance to the `query`-th point of the tile (ties by row index) into
    /// `words`, each with bit 31 set when the row's entry in `labels` is `label`.
    mutating func order(query: Int, labels: UnsafeBufferPointer<Int>, label: Int) {
        let n = rows.rows
        guard n > 0 else { return }
        let low = lowest[query]
        let range = highest[query] - low
        let shift = UInt64(max(0, (UInt64.bitWidth - range.leadingZeroBitCount) - Self.keyBits))
        distances.withUnsafeBufferPointer { all in
            words.withUnsafeMutableBufferPointer { w in
                let bits = all.baseAddress! + query * n
                for i in 0..<n {
                    w[i] = ((bits[i] &- low) >> shift) << 32 | (labels[i] == label ? 1 << 31 : 0) | UInt64(i)
                }
            }
        }
        sorter.sort(&words, bits: 32..<(32 + Self.keyBits))
        // Runs of equal keys (rare but for exact ties): in (distance, row) order.
        distances.withUnsafeBufferPointer { all in
            words.withUnsafeMutableBufferPointer { w in
                let bits = all.baseAddress! + query * n
                var i = 1
                while i < n {
                    if (w[i] ^ w[i - 1]) >> 32 == 0 {
                        let start = i - 1
                        var end = i + 1
                        while end < n && (w[end] ^ w[start]) >> 32 == 0 { end += 1 }
                        Self.sortRun(w, start..<end, bits: bits)
                        i = end
                    }
                    i += 1
                }
            }
        }
    }

    /// Puts `words[range]` (in row order on entry) in order of their rows' distance bits
    /// `bits[row]`, keeping row order among equal distances.
    private static func sortRun(_ words: UnsafeMutableBufferPointer<UInt64>, _ range: Range<Int>, bits: UnsafePointer<UInt64>) {
        @inline(__always) func distance(_ word: UInt64) -> UInt64 { bits[Int(word & 0x7FFF_FFFF)] }
        // Exact ties (duplicate rows, grid data) need nothing: they are in row order already.
        let first = distance(words[range.lowerBound])
        guard range.dropFirst().contains(where: { distance(words[$0]) != first }) else { return }
        var run = UnsafeMutableBufferPointer(rebasing: words[range])
        if run.count <= 16 {
            for k in 1..<run.count {
                let item = run[k], key = distance(item)
                var j = k
                while j > 0 && distance(run[j - 1]) > key {
                    run[j] = run[j - 1]
                    j -= 1
                }
                run[j] = item
            }
        } else {
            run.sort { (distance($0), $0 & 0x7FFF_FFFF) < (distance($1), $1 & 0x7FFF_FFFF) }
        }
    }

    /// Squared distances from `a` to `b0`…`b3`, each with the same bits as
    /// `VectorKernels.squaredDistance(a, b, count)`: lane j mod 4 of a SIMD sum is that
    /// function's j-th accumulator, the tail goes to lane 0, and the lanes are added
    /// (s0 + s1) + (s2 + s3).
    @inline(__always)
    static func squaredDistances(_ a: UnsafePointer<Double>, _ b0: UnsafePointer<Double>, _ b1: UnsafePointer<Double>,
                                 _ b2: UnsafePointer<Double>, _ b3: UnsafePointer<Double>,
                                 _ count: Int) -> (Double, Double, Double, Double) {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        @inline(__always) func load(_ p: UnsafePointer<Double>, _ j: Int) -> SIMD4<Double> {
            UnsafeRawPointer(p + j).loadUnaligned(as: SIMD4<Double>.self)
        }
        var j = 0
        while j &+ 4 <= count {
            let x = load(a, j)
            let e0 = x - load(b0, j), e1 = x - load(b1, j), e2 = x - load(b2, j), e3 = x - load(b3, j)
            s0 += e0 * e0
            s1 += e1 * e1
            s2 += e2 * e2
            s3 += e3 * e3
            j &+= 4
        }
        while j < count {
            let e0 = a[j] - b0[j], e1 = a[j] - b1[j], e2 = a[j] - b2[j], e3 = a[j] - b3[j]
            s0[0] += e0 * e0
            s1[0] += e1 * e1
            s2[0] += e2 * e2
            s3[0] += e3 * e3
            j &+= 1
        }
        @inline(__always) func total(_ s: SIMD4<Double>) -> Double { (s[0] + s[1]) + (s[2] + s[3]) }
        return (total(s0), total(s1), total(s2), total(s3))
    }
}
