/// How a tree grows: when to stop splitting and how many features each split may look at.
struct TreeShape: Sendable, Equatable {
    /// Deepest level a node may sit at (the root is level 0); nil for no limit.
    var maxDepth: Int?
    /// Fewest samples (counted with their multiplicities) each side of a split must keep; ≥ 1.
    var minLeafSize: Int
    /// Features (that vary within the node) tried per split, drawn at random; nil for ⌊√d⌋.
    var maxFeatures: Int?

    /// Features tried per split for `featureCount` features, in 1...featureCount (or 0 for none).
    func featuresPerSplit(featureCount d: Int) -> Int {
        let wanted = maxFeatures ?? Int(Double(d).squareRoot())
        return min(d, max(1, wanted))
    }
}

/// Grows CART classification trees (Gini impurity) on binned features by histogram split
/// search, with every buffer allocated once and reused across nodes and trees.
///
/// Samples are rows with integer multiplicities, so a bootstrap sample is a count per row and
/// no row is ever copied. At each node the rows in it are one contiguous range of `samples`,
/// partitioned in place when the node splits (branch-free). For each candidate feature one pass
/// over that range adds each sample's multiplicity to a (bin, class) histogram; the split scan
/// then walks the bins in order, clearing them as it goes. A node with fewer samples than the
/// feature has bins also marks the bins it saw in a 256-bit set and the scan visits only those,
/// so the many small nodes deep in a tree cost in proportion to their size, not to 256.
///
/// One grower belongs to one worker at a time (it is a reference type holding scratch memory).
final class TreeGrower {
    /// A sample: a row, its class, and how many times it is in the sample (≤ 65,535; a row
    /// drawn more often is split over several samples, which counts the same).
    struct Sample {
        var row: UInt32
        var label: UInt16
        var weight: UInt16
    }

    /// Most classes a grower handles (labels are stored in 16 bits).
    static let maxClasses = Int(UInt16.max)

    let featureCount: Int
    let classCount: Int
    private var samples: UnsafeMutablePointer<Sample>
    private var sampleCapacity: Int
    /// Where partitions write before copying back (as large as `samples`).
    private var spare: UnsafeMutablePointer<Sample>
    /// (bin, class) sample counts of the feature being scanned; all zero between scans.
    private let histogram: UnsafeMutablePointer<UInt32>
    /// Class totals of the node being split.
    private let totals: UnsafeMutablePointer<Int>
    /// Class totals left of the best split so far.
    private let bestLeft: UnsafeMutablePointer<Int>
    /// The bins seen in the feature being scanned: a 256-bit set in four words.
    private let seen: UnsafeMutablePointer<UInt64>
    /// A permutation of the features; each node shuffles a prefix of it to draw candidates.
    private let featurePool: UnsafeMutablePointer<Int>
    /// Number of bins of each feature in the tree being grown.
    private let binCounts: UnsafeMutablePointer<Int>
    /// Nodes waiting to be split: (node, first sample, end of samples, depth, samples counted
    /// with multiplicity); their class totals are in `pendingTotals`, `classCount` each.
    private var pending: [(node: Int, start: Int, end: Int, depth: Int, total: Int)] = []
    private var pendingTotals: [Int] = []

    /// A grower for trees on `featureCount` features and `classCount` classes (≤ 65,535),
    /// with room for `rows` distinct rows (it grows if a tree needs more).
    init(featureCount: Int, classCount: Int, rows: Int) {
        precondition(classCount >= 1 && classCount <= Self.maxClasses)
        self.featureCount = featureCount
        self.classCount = classCount
        sampleCapacity = max(rows, 1)
        samples = .allocate(capacity: sampleCapacity)
        spare = .allocate(capacity: sampleCapacity)
        histogram = .allocate(capacity: BinnedFeatures.maxBins * classCount)
        histogram.initialize(repeating: 0, count: BinnedFeatures.maxBins * classCount)
        totals = .allocate(capacity: classCount)
        bestLeft = .allocate(capacity: classCount)
        seen = .allocate(capacity: 4)
        seen.initialize(repeating: 0, count: 4)
        featurePool = .allocate(capacity: max(featureCount, 1))
        binCounts = .allocate(capacity: max(featureCount, 1))
        pending.reserveCapacity(64)
        pendingTotals.reserveCapacity(64 * classCount)
    }

    deinit {
        samples.deallocate()
        spare.deallocate()
        histogram.deallocate()
        totals.deallocate()
        bestLeft.deallocate()
        seen.deallocate()
        featurePool.deallocate()
        binCounts.deallocate()
    }

    /// Grows one tree into `tree`.
    ///
    /// - Parameters:
    ///   - binned: features of every row.
    ///   - labels: class of each row of `binned`, in `0..<classCount`.
    ///   - counts: multiplicity of each row of `binned` in the sample (0 = not in it).
    ///   - shape: stopping rules and features per split.
    ///   - generator: draws the candidate features of each split.
    ///   - tree: receives the tree (its storage is reused).
    func grow(binned: BinnedFeatures, labels: UnsafeBufferPointer<Int>, counts: UnsafeBufferPointer<UInt32>,
              shape: TreeShape, generator: inout SeededGenerator, into tree: inout FittedTree) {
        precondition(binned.columns == featureCount && labels.count == binned.rows && counts.count == binned.rows)
        let classes = classCount
        for j in 0..<featureCount {
            binCounts[j] = binned.edges[j].count + 1
            // The same start for every tree, so a tree depends only on its own generator.
            featurePool[j] = j
        }
        tree.removeAll()
        tree.nodes.append(.unset)
        let m = loadSamples(labels: labels, counts: counts)
        for c in 0..<classes { totals[c] = 0 }
        var rootTotal = 0
        for t in 0..<m {
            totals[Int(samples[t].label)] += Int(samples[t].weight)
            rootTotal += Int(samples[t].weight)
        }
        // Work on local arrays (keeping the stored ones' capacity): a stored property of a class
        // is checked for exclusive access on every use.
        var pending: [(node: Int, start: Int, end: Int, depth: Int, total: Int)] = []
        var pendingTotals: [Int] = []
        swap(&pending, &self.pending)
        swap(&pendingTotals, &self.pendingTotals)
        defer {
            swap(&pending, &self.pending)
            swap(&pendingTotals, &self.pendingTotals)
        }
        pending.removeAll(keepingCapacity: true)
        pendingTotals.removeAll(keepingCapacity: true)
        pending.append((0, 0, m, 0, rootTotal))
        for c in 0..<classes { pendingTotals.append(totals[c]) }
        let minLeaf = max(1, shape.minLeafSize)
        let maxDepth = shape.maxDepth ?? Int.max
        let perSplit = shape.featuresPerSplit(featureCount: featureCount)
        binned.bins.withUnsafeBufferPointer { bins in
            while let (node, start, end, depth, total) = pending.popLast() {
                let base = pendingTotals.count - classes
                var classesPresent = 0
                for c in 0..<classes {
                    totals[c] = pendingTotals[base + c]
                    if totals[c] > 0 { classesPresent += 1 }
                }
                for _ in 0..<classes { pendingTotals.removeLast() }
                if classesPresent > 1 && total >= 2 * minLeaf && depth < maxDepth,
                   let (feature, bin) = bestSplit(start, end, total: total, minLeaf: minLeaf, perSplit: perSplit,
                                                  bins: bins.baseAddress!, rows: binned.rows, generator: &generator) {
                    let column = bins.baseAddress! + feature * binned.rows
                    let middle = partition(start, end, column: column, bin: bin)
                    let leftChild = tree.nodes.count
                    tree.nodes[node] = TreeNode(feature: Int32(feature), bin: bin, child: Int32(leftChild))
                    tree.nodes.append(.unset)
                    tree.nodes.append(.unset)
                    var leftTotal = 0
                    for c in 0..<classes { leftTotal += bestLeft[c] }
                    pending.append((leftChild + 1, middle, end, depth + 1, total - leftTotal))
                    for c in 0..<classes { pendingTotals.append(totals[c] - bestLeft[c]) }
                    pending.append((leftChild, start, middle, depth + 1, leftTotal))
                    for c in 0..<classes { pendingTotals.append(bestLeft[c]) }
                } else {
                    tree.nodes[node].child = Int32(tree.leafClass.count)
                    var best = 0
                    for c in 0..<classes {
                        if totals[c] > totals[best] { best = c }
                        tree.leafProbabilities.append(total > 0 ? Double(totals[c]) / Double(total) : 1 / Double(classes))
                    }
                    tree.leafClass.append(Int32(best))
                }
            }
        }
    }

    /// Fills `samples` from the rows with a positive count; returns how many samples.
    private func loadSamples(labels: UnsafeBufferPointer<Int>, counts: UnsafeBufferPointer<UInt32>) -> Int {
        let limit = UInt32(UInt16.max)
        // Every row may be written once, even with count 0, before it is kept or not.
        var needed = 0
        for count in counts { needed += count > limit ? Int((count + limit - 1) / limit) : 1 }
        if needed > sampleCapacity {
            samples.deallocate()
            spare.deallocate()
            sampleCapacity = needed
            samples = .allocate(capacity: needed)
            spare = .allocate(capacity: needed)
        }
        var m = 0
        for row in 0..<counts.count {
            let label = labels[row]
            precondition(label >= 0 && label < classCount, "label out of range")
            var count = counts[row]
            if count <= limit {
                // Written whatever the count; kept (branch-free) only when it is positive.
                samples[m] = Sample(row: UInt32(row), label: UInt16(label), weight: UInt16(count))
                m &+= count > 0 ? 1 : 0
            } else {
                while count > 0 {
                    let w = min(count, limit)
                    samples[m] = Sample(row: UInt32(row), label: UInt16(label), weight: UInt16(w))
                    m += 1
                    count -= w
                }
            }
        }
        return m
    }

    /// The best (feature, largest bin going left) over up to `perSplit` random features that
    /// vary within the node, by Gini impurity decrease, keeping `minLeaf` samples each side;
    /// nil when no feature can split the node. `totals` must hold the node's class totals;
    /// `bestLeft` receives the class totals left of the returned split.
    private func bestSplit(_ start: Int, _ end: Int, total: Int, minLeaf: Int, perSplit: Int,
                           bins: UnsafePointer<UInt8>, rows: Int,
                           generator: inout SeededGenerator) -> (Int, UInt8)? {
        let d = featureCount
        var search = SplitSearch()
        var tried = 0
        var k = 0
        while k < d && tried < perSplit {
            let pick = k + generator.nextInt(below: d - k)
            let feature = featurePool[pick]
            featurePool[pick] = featurePool[k]
            featurePool[k] = feature
            k += 1
            let column = bins + feature * rows
            // Two classes is the common case: a constant class count lets the compiler unroll
            // the per-class loops of the same code.
            let varies = classCount == 2
                ? scan(feature, column: column, classes: 2, start, end, total: total, minLeaf: minLeaf, into: &search)
                : scan(feature, column: column, classes: classCount, start, end, total: total, minLeaf: minLeaf, into: &search)
            // A feature constant within the node does not count as tried.
            if varies { tried += 1 }
        }
        return search.feature >= 0 ? (search.feature, search.bin) : nil
    }

    /// The best split found so far by `bestSplit`.
    private struct SplitSearch {
        /// Its score Σ_c L_c²/n_L + Σ_c R_c²/n_R (maximising it minimises the weighted Gini
        /// impurity of the children) as the fraction (Σ_c L_c²·n_R + Σ_c R_c²·n_L) / (n_L·n_R),
        /// so candidates compare by cross-multiplying, without dividing.
        var numerator = -1.0
        var denominator = 1.0
        var feature = -1
        var bin: UInt8 = 0
    }

    /// Histograms `feature` (bins in `column`) over samples `start..<end` and scans its splits,
    /// recording a better one in `search` and its left class totals in `bestLeft`. Returns
    /// whether the feature varies within the node.
    @inline(__always)
    private func scan(_ feature: Int, column: UnsafePointer<UInt8>, classes: Int, _ start: Int, _ end: Int,
                      total: Int, minLeaf: Int, into search: inout SplitSearch) -> Bool {
        // Histogram of (bin, class). A node with fewer samples than bins also records which
        // bins it saw, so the scan skips the empty ones.
        let binCount = binCounts[feature]
        let sparse = (end &- start) < binCount
        if sparse {
            for w in 0..<4 { seen[w] = 0 }
            for t in start..<end {
                let s = samples[t]
                let b = Int(column[Int(s.row)])
                histogram[b &* classes &+ Int(s.label)] &+= UInt32(s.weight)
                seen[b &>> 6] |= 1 &<< UInt64(b & 63)
            }
        } else {
            for t in start..<end {
                let s = samples[t]
                histogram[Int(column[Int(s.row)]) &* classes &+ Int(s.label)] &+= UInt32(s.weight)
            }
        }

        // Scan the bins in order, clearing each; a split after bin b sends bins ≤ b left.
        // The running class totals live on the stack, where the compiler can keep them in
        // registers when the class count is a constant.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: classes) { left in
            for c in 0..<classes { left[c] = 0 }
            var leftTotal = 0
            var varies = false
            @inline(__always) func consider(_ b: Int) {
                let h = histogram + b &* classes
                var inBin = 0
                for c in 0..<classes {
                    let count = Int(h[c])
                    left[c] &+= count
                    inBin &+= count
                    h[c] = 0
                }
                guard inBin > 0 else { return }
                leftTotal &+= inBin
                let rightTotal = total &- leftTotal
                guard leftTotal > inBin || rightTotal > 0 else { return }
                // Some earlier bin or some later one is occupied: the feature varies.
                varies = true
                guard leftTotal >= minLeaf && rightTotal >= minLeaf else { return }
                var leftSquares = 0.0, rightSquares = 0.0
                for c in 0..<classes {
                    let l = Double(left[c]), r = Double(totals[c] &- left[c])
                    leftSquares += l * l
                    rightSquares += r * r
                }
                let nL = Double(leftTotal), nR = Double(rightTotal)
                let numerator = leftSquares * nR + rightSquares * nL, denominator = nL * nR
                if numerator * search.denominator > search.numerator * denominator {
                    search = SplitSearch(numerator: numerator, denominator: denominator, feature: feature,
                                         bin: UInt8(truncatingIfNeeded: b))
                    for c in 0..<classes { bestLeft[c] = left[c] }
                }
            }
            if sparse {
                for w in 0..<4 {
                    var word = seen[w]
                    while word != 0 {
                        consider(w &* 64 &+ word.trailingZeroBitCount)
                        word &= word &- 1
                    }
                }
            } else {
                for b in 0..<binCount { consider(b) }
            }
            return varies
        }
    }

    /// Reorders samples `start..<end` so those with bin ≤ `bin` in `column` come first;
    /// returns where the others begin. Branch-free: each sample is written to both ends of
    /// `spare` and only the matching end advances, then the range is copied back.
    private func partition(_ start: Int, _ end: Int, column: UnsafePointer<UInt8>, bin: UInt8) -> Int {
        var low = start, high = end - 1
        for t in start..<end {
            let s = samples[t]
            let goesLeft = column[Int(s.row)] <= bin ? 1 : 0
            spare[low] = s
            spare[high] = s
            low &+= goesLeft
            high &-= 1 &- goesLeft
        }
        (samples + start).update(from: spare + start, count: end - start)
        return low
    }
}
