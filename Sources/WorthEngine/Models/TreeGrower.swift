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
/// no row is ever copied. At each node the rows in it are one contiguous range of a sample
/// buffer; when the node splits they are partitioned (stable, branch-free) into the same range
/// of the other buffer, so the two buffers alternate by depth and nothing is copied back.
///
/// Split search draws the node's candidate features in batches and histograms a whole batch in
/// one pass over the node's samples: the bins are row-major, so each sample costs one visit to
/// its row's bytes (one or two cache lines, usually cached since the parent just read them)
/// instead of one cache miss per candidate feature. Each feature's split scan then walks its
/// (bin, class) histogram in bin order, clearing it as it goes. A node with fewer samples than
/// there can be bins also marks the bins it saw in a 256-bit set per feature and the scan
/// visits only those, so the many small nodes deep in a tree cost in proportion to their size.
///
/// Histogram subtraction (a child's histogram as its parent's minus its sibling's) does not
/// apply: every node draws its own random features, so a child rarely scans a feature its
/// parent histogrammed.
///
/// The tree depends only on the sample and the generator: features are drawn exactly as one at
/// a time (a feature constant within the node is not counted as tried and another is drawn),
/// and candidates are compared in draw order, bins in ascending order, first best kept.
///
/// One grower belongs to one worker at a time (it is a reference type holding scratch memory).
final class TreeGrower {
    /// A sample: a row, its class, and how many times it is in the sample.
    struct Sample {
        var row: UInt32
        var label: UInt16
        var weight: UInt16
    }

    /// Most classes a grower handles (labels are stored in 16 bits).
    static let maxClasses = Int(UInt16.max)

    let featureCount: Int
    let classCount: Int
    /// Most candidate features histogrammed in one pass: their histograms (256 bins × classes
    /// counts each) stay within 64 KB.
    let batchLimit: Int
    /// The two sample buffers; a node at depth k has its samples in `buffers[k & 1]`.
    private var buffers: (UnsafeMutablePointer<Sample>, UnsafeMutablePointer<Sample>)
    private var sampleCapacity: Int
    /// (bin, class) sample counts of each feature of a batch, `histogramStride` apart; all zero
    /// between scans.
    private let histograms: UnsafeMutablePointer<UInt32>
    private let histogramStride: Int
    /// The bins each feature of a batch saw: a 256-bit set (four words) per feature.
    private let seen: UnsafeMutablePointer<UInt64>
    /// Where reads made only to start cache misses early leave their result.
    private let sink: UnsafeMutablePointer<UInt8>
    /// The features of the batch being histogrammed.
    private let batch: UnsafeMutablePointer<Int>
    /// Class totals of the node being split.
    private let totals: UnsafeMutablePointer<Int>
    /// Class totals left of the best split so far.
    private let bestLeft: UnsafeMutablePointer<Int>
    /// A permutation of the features; each node shuffles a prefix of it to draw candidates.
    private let featurePool: UnsafeMutablePointer<Int>
    /// Number of bins of each feature in the tree being grown.
    private let binCounts: UnsafeMutablePointer<Int>
    /// Nodes waiting to be split: (node, first sample, end of samples, depth, samples counted
    /// with multiplicity); their class totals are in `pendingTotals`, `classCount` each.
    private var pending: [Pending] = []
    private var pendingTotals: [Int] = []
    /// Bins of the rows of one small subtree, copied together (see `compactRows`).
    private let compact: UnsafeMutablePointer<UInt8>
    /// A node with at most this many samples whose rows are still read from the shared bins
    /// gets their bins copied into `compact` (256 KB at most), and its whole subtree reads them
    /// there: deep in a tree a node's rows are scattered over the data and each read would be
    /// a cache miss, while the copy stays in the core's own cache until the subtree is grown.
    /// Depth-first growth finishes a subtree before the next one needs the space.
    let compactRows: Int

    /// A node waiting to be split: its samples `start..<end` (in the buffer of its depth's
    /// parity), their count with multiplicity, and whether their rows index `compact`.
    private struct Pending {
        var node: Int
        var start: Int
        var end: Int
        var depth: Int
        var total: Int
        var compacted: Bool
    }

    /// A grower for trees on `featureCount` features and `classCount` classes (≤ 65,535),
    /// with room for `rows` distinct rows (it grows if a tree needs more). `compactRows`
    /// overrides the size under which a node's rows are copied together (tests).
    init(featureCount: Int, classCount: Int, rows: Int, compactRows: Int? = nil) {
        precondition(classCount >= 1 && classCount <= Self.maxClasses)
        self.featureCount = featureCount
        self.classCount = classCount
        histogramStride = BinnedFeatures.maxBins * classCount
        batchLimit = max(1, min(16, 16_384 / histogramStride))
        sampleCapacity = max(rows, 1)
        buffers = (.allocate(capacity: sampleCapacity), .allocate(capacity: sampleCapacity))
        histograms = .allocate(capacity: batchLimit * histogramStride)
        histograms.initialize(repeating: 0, count: batchLimit * histogramStride)
        seen = .allocate(capacity: 4 * batchLimit)
        batch = .allocate(capacity: batchLimit)
        sink = .allocate(capacity: 1)
        sink.initialize(to: 0)
        totals = .allocate(capacity: classCount)
        bestLeft = .allocate(capacity: classCount)
        featurePool = .allocate(capacity: max(featureCount, 1))
        binCounts = .allocate(capacity: max(featureCount, 1))
        self.compactRows = compactRows ?? max(64, min(1 << 16, (256 << 10) / max(featureCount, 1)))
        compact = .allocate(capacity: self.compactRows * max(featureCount, 1))
        pending.reserveCapacity(64)
        pendingTotals.reserveCapacity(64 * classCount)
    }

    deinit {
        buffers.0.deallocate()
        buffers.1.deallocate()
        histograms.deallocate()
        seen.deallocate()
        batch.deallocate()
        sink.deallocate()
        totals.deallocate()
        bestLeft.deallocate()
        featurePool.deallocate()
        binCounts.deallocate()
        compact.deallocate()
    }

    /// Grows one tree into `tree`.
    ///
    /// - Parameters:
    ///   - binned: features of every row.
    ///   - labels: class of each row of `binned`, in `0..<classCount`.
    ///   - bag: how many times each row of `binned` is in the sample (0 = not in it).
    ///   - shape: stopping rules and features per split.
    ///   - generator: draws the candidate features of each split.
    ///   - tree: receives the tree (its storage is reused).
    func grow(binned: BinnedFeatures, labels: UnsafeBufferPointer<Int>, bag: BootstrapSample,
              shape: TreeShape, generator: inout SeededGenerator, into tree: inout FittedTree) {
        precondition(binned.columns == featureCount && labels.count == binned.rows && bag.rows == binned.rows)
        let classes = classCount
        for j in 0..<featureCount {
            binCounts[j] = binned.edges[j].count + 1
            // The same start for every tree, so a tree depends only on its own generator.
            featurePool[j] = j
        }
        tree.removeAll()
        tree.nodes.append(.unset)
        let m = loadSamples(labels: labels, bag: bag)
        for c in 0..<classes { totals[c] = 0 }
        var rootTotal = 0
        for t in 0..<m {
            totals[Int(buffers.0[t].label)] += Int(buffers.0[t].weight)
            rootTotal += Int(buffers.0[t].weight)
        }
        // Work on local arrays (keeping the stored ones' capacity): a stored property of a class
        // is checked for exclusive access on every use.
        var pending: [Pending] = []
        var pendingTotals: [Int] = []
        swap(&pending, &self.pending)
        swap(&pendingTotals, &self.pendingTotals)
        defer {
            swap(&pending, &self.pending)
            swap(&pendingTotals, &self.pendingTotals)
        }
        pending.removeAll(keepingCapacity: true)
        pendingTotals.removeAll(keepingCapacity: true)
        pending.append(Pending(node: 0, start: 0, end: m, depth: 0, total: rootTotal, compacted: false))
        for c in 0..<classes { pendingTotals.append(totals[c]) }
        let minLeaf = max(1, shape.minLeafSize)
        let maxDepth = shape.maxDepth ?? Int.max
        let perSplit = shape.featuresPerSplit(featureCount: featureCount)
        let buffers = self.buffers
        binned.bins.withUnsafeBufferPointer { bins in
            let shared = Splitter(bins: bins.baseAddress!, stride: binned.columns, scattered: true)
            let local = Splitter(bins: compact, stride: binned.columns, scattered: false)
            while let next = pending.popLast() {
                let (node, start, end, depth, total) = (next.node, next.start, next.end, next.depth, next.total)
                let base = pendingTotals.count - classes
                var classesPresent = 0
                for c in 0..<classes {
                    totals[c] = pendingTotals[base + c]
                    if totals[c] > 0 { classesPresent += 1 }
                }
                for _ in 0..<classes { pendingTotals.removeLast() }
                let samples = depth & 1 == 0 ? buffers.0 : buffers.1
                let splittable = classesPresent > 1 && total >= 2 * minLeaf && depth < maxDepth
                var compacted = next.compacted
                if splittable && !compacted && end - start <= compactRows {
                    shared.copyRows(samples, start, end, to: compact, sink: sink)
                    compacted = true
                }
                let split = compacted ? local : shared
                if splittable, let (feature, bin) = bestSplit(samples, start, end, total: total, minLeaf: minLeaf, perSplit: perSplit,
                                                  split: split, generator: &generator) {
                    let middle = split.partition(samples, start, end, into: depth & 1 == 0 ? buffers.1 : buffers.0,
                                                 feature: feature, bin: bin, sink: sink)
                    let leftChild = tree.nodes.count
                    tree.nodes[node] = TreeNode(feature: Int32(feature), bin: bin, child: Int32(leftChild))
                    tree.nodes.append(.unset)
                    tree.nodes.append(.unset)
                    var leftTotal = 0
                    for c in 0..<classes { leftTotal += bestLeft[c] }
                    pending.append(Pending(node: leftChild + 1, start: middle, end: end, depth: depth + 1,
                                           total: total - leftTotal, compacted: compacted))
                    for c in 0..<classes { pendingTotals.append(totals[c] - bestLeft[c]) }
                    pending.append(Pending(node: leftChild, start: start, end: middle, depth: depth + 1,
                                           total: leftTotal, compacted: compacted))
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

    /// Fills the first sample buffer from the rows in `bag`, in row order; returns how many
    /// samples. A row's draws beyond the bag's byte counts come last, one sample per draw.
    private func loadSamples(labels: UnsafeBufferPointer<Int>, bag: BootstrapSample) -> Int {
        // Every row may be written once, even with count 0, before it is kept or not.
        let needed = bag.rows + bag.extra.count
        if needed > sampleCapacity {
            buffers.0.deallocate()
            buffers.1.deallocate()
            sampleCapacity = needed
            buffers = (.allocate(capacity: needed), .allocate(capacity: needed))
        }
        let samples = buffers.0
        var m = 0
        bag.counts.withUnsafeBufferPointer { counts in
            for row in 0..<counts.count {
                let label = labels[row]
                precondition(label >= 0 && label < classCount, "label out of range")
                // Written whatever the count; kept (branch-free) only when it is positive.
                samples[m] = Sample(row: UInt32(row), label: UInt16(label), weight: UInt16(counts[row]))
                m &+= counts[row] > 0 ? 1 : 0
            }
        }
        for row in bag.extra {
            samples[m] = Sample(row: UInt32(row), label: UInt16(labels[Int(row)]), weight: 1)
            m += 1
        }
        return m
    }

    /// Reads bins of sample rows: `bins[row * stride + feature]`.
    private struct Splitter {
        let bins: UnsafePointer<UInt8>
        let stride: Int
        /// Whether the rows are scattered over memory (the shared bins), so that reading a
        /// row usually misses the cache.
        let scattered: Bool

        /// Calls `body` on `start..<end` in order. When rows are scattered, it first reads
        /// (touches) what `touch` reads for each sample of the next block, so the cache misses
        /// of a block overlap with each other and with the work on the current block: a loop
        /// that reads each row only when it needs it waits for one miss after another.
        @inline(__always)
        func inBlocks(_ start: Int, _ end: Int, sink: UnsafeMutablePointer<UInt8>,
                      touch: (Int) -> UInt8, _ body: (Int) -> Void) {
            guard scattered else {
                for t in start..<end { body(t) }
                return
            }
            let block = 16
            var touched: UInt8 = 0
            for u in start..<min(start &+ block, end) { touched |= touch(u) }
            var t = start
            while t < end {
                let blockEnd = min(t &+ block, end)
                for u in blockEnd..<min(blockEnd &+ block, end) { touched |= touch(u) }
                for u in t..<blockEnd { body(u) }
                t = blockEnd
            }
            // Stored, so the touching reads are not optimised away.
            sink.pointee |= touched
        }

        /// The OR of one byte of each cache line of `row`'s bins (0 for no features).
        @inline(__always)
        func touchAll(_ row: UnsafePointer<UInt8>) -> UInt8 {
            guard stride > 0 else { return 0 }
            var touched = row[stride &- 1]
            var offset = 0
            while offset < stride {
                touched |= row[offset]
                offset &+= 64
            }
            return touched
        }

        @inline(__always)
        func row(_ s: Sample) -> UnsafePointer<UInt8> { bins + Int(s.row) &* stride }

        /// Copies the bins of samples `start..<end` to `target`, one row after another, and
        /// renumbers the samples' rows to their places there.
        func copyRows(_ samples: UnsafeMutablePointer<Sample>, _ start: Int, _ end: Int, to target: UnsafeMutablePointer<UInt8>,
                      sink: UnsafeMutablePointer<UInt8>) {
            let words = stride / 8
            inBlocks(start, end, sink: sink, touch: { touchAll(row(samples[$0])) }) { t in
                let from = UnsafeRawPointer(row(samples[t])), to = UnsafeMutableRawPointer(target + (t &- start) &* stride)
                for w in 0..<words {
                    to.storeBytes(of: from.loadUnaligned(fromByteOffset: w &* 8, as: UInt64.self), toByteOffset: w &* 8, as: UInt64.self)
                }
                for b in (words &* 8)..<stride { to.storeBytes(of: from.load(fromByteOffset: b, as: UInt8.self), toByteOffset: b, as: UInt8.self) }
                samples[t].row = UInt32(truncatingIfNeeded: t &- start)
            }
        }

        /// Writes samples `start..<end` of `source` to the same range of `target`, those with
        /// bin ≤ `bin` of `feature` first (in order), the others after (in reverse order);
        /// returns where the others begin. Branch-free: each sample is written at both ends
        /// and only the matching end advances.
        func partition(_ source: UnsafePointer<Sample>, _ start: Int, _ end: Int, into target: UnsafeMutablePointer<Sample>,
                       feature: Int, bin: UInt8, sink: UnsafeMutablePointer<UInt8>) -> Int {
            var low = start, high = end - 1
            inBlocks(start, end, sink: sink, touch: { row(source[$0])[feature] }) { t in
                let s = source[t]
                let goesLeft = row(s)[feature] <= bin ? 1 : 0
                target[low] = s
                target[high] = s
                low &+= goesLeft
                high &-= 1 &- goesLeft
            }
            return low
        }
    }

    /// The best (feature, largest bin going left) over up to `perSplit` random features that
    /// vary within the node, by Gini impurity decrease, keeping `minLeaf` samples each side;
    /// nil when no feature can split the node. `totals` must hold the node's class totals;
    /// `bestLeft` receives the class totals left of the returned split.
    private func bestSplit(_ samples: UnsafePointer<Sample>, _ start: Int, _ end: Int, total: Int, minLeaf: Int,
                           perSplit: Int, split: Splitter, generator: inout SeededGenerator) -> (Int, UInt8)? {
        let d = featureCount
        var search = SplitSearch()
        var tried = 0
        var k = 0
        // A node with fewer samples than bins marks the bins it sees.
        let sparse = end - start < BinnedFeatures.maxBins
        while k < d && tried < perSplit {
            // Draw as many features as are still wanted (at most a batch): exactly the draws
            // one at a time would make, since each of them may still be needed.
            let count = min(batchLimit, perSplit - tried, d - k)
            for q in 0..<count {
                let pick = k + generator.nextInt(below: d - k)
                let feature = featurePool[pick]
                featurePool[pick] = featurePool[k]
                featurePool[k] = feature
                batch[q] = feature
                k += 1
            }
            // Two classes is the common case: a constant class count lets the compiler unroll
            // the per-class loops of the same code.
            if classCount == 2 {
                histogram(samples, start, end, count: count, classes: 2, sparse: sparse, split: split)
            } else {
                histogram(samples, start, end, count: count, classes: classCount, sparse: sparse, split: split)
            }
            for q in 0..<count {
                let varies = classCount == 2
                    ? scan(q, classes: 2, sparse: sparse, total: total, minLeaf: minLeaf, into: &search)
                    : scan(q, classes: classCount, sparse: sparse, total: total, minLeaf: minLeaf, into: &search)
                // A feature constant within the node does not count as tried.
                if varies { tried += 1 }
            }
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

    /// Adds samples `start..<end` to the histograms of the first `count` features of `batch`,
    /// in one pass; when `sparse`, also records the bins each feature saw.
    @inline(__always)
    private func histogram(_ samples: UnsafePointer<Sample>, _ start: Int, _ end: Int, count: Int, classes: Int,
                           sparse: Bool, split: Splitter) {
        // With two classes a bin's two counts are one 64-bit word (class 0 in the low half,
        // little-endian as the 32-bit counts are read), updated in one operation.
        let pairs = UnsafeMutableRawPointer(histograms).assumingMemoryBound(to: UInt64.self)
        let stride = histogramStride
        @inline(__always) func add(_ q: Int, _ b: Int, _ s: Sample) {
            if classes == 2 {
                pairs[(q &* stride &+ b &* 2) &>> 1] &+= UInt64(s.weight) &<< (UInt64(s.label) &* 32)
            } else {
                histograms[q &* stride &+ b &* classes &+ Int(s.label)] &+= UInt32(s.weight)
            }
        }
        if sparse {
            for w in 0..<(4 * count) { seen[w] = 0 }
            for t in start..<end {
                let s = samples[t]
                let row = split.row(s)
                for q in 0..<count {
                    let b = Int(row[batch[q]])
                    add(q, b, s)
                    seen[q &* 4 &+ b &>> 6] |= 1 &<< UInt64(b & 63)
                }
            }
        } else {
            split.inBlocks(start, end, sink: sink, touch: { split.touchAll(split.row(samples[$0])) }) { t in
                let s = samples[t]
                let row = split.row(s)
                for q in 0..<count { add(q, Int(row[batch[q]]), s) }
            }
        }
    }

    /// Scans the splits of feature `batch[q]` from its histogram, clearing it, and records a
    /// better one in `search` and its left class totals in `bestLeft`. Returns whether the
    /// feature varies within the node.
    @inline(__always)
    private func scan(_ q: Int, classes: Int, sparse: Bool, total: Int, minLeaf: Int,
                      into search: inout SplitSearch) -> Bool {
        let feature = batch[q]
        let histogram = histograms + q * histogramStride
        // Scan the bins in order, clearing each; a split after bin b sends bins ≤ b left.
        // The running class totals live on the stack, where the compiler can keep them in
        // registers when the class count is a constant.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: classes) { left in
            for c in 0..<classes { left[c] = 0 }
            var leftTotal = 0
            // The feature varies within the node when two or more bins are occupied.
            var occupied = 0
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
                occupied &+= 1
                leftTotal &+= inBin
                let rightTotal = total &- leftTotal
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
                    var word = seen[q &* 4 &+ w]
                    while word != 0 {
                        consider(w &* 64 &+ word.trailingZeroBitCount)
                        word &= word &- 1
                    }
                }
            } else {
                for b in 0..<binCounts[feature] { consider(b) }
            }
            return occupied > 1
        }
    }
}
