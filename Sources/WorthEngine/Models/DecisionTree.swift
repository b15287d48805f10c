/// A CART classification tree (Gini impurity) grown on quantile-binned features, as the trees
/// of a random forest are: each split looks at a random subset of the features.
///
/// Fitting bins the training rows (at most 256 quantile bins per feature, edges from those
/// rows), grows the tree by histogram split search, and keeps each split's threshold in the
/// original feature scale so any row can be predicted. Leaves hold class probabilities.
/// The random feature draws come from `generator`, which each fit advances.
public struct DecisionTree: Classifier {
    public let classCount: Int
    /// Deepest level a node may sit at (the root is level 0); nil for no limit.
    public var maxDepth: Int?
    /// Fewest training samples each side of a split keeps (repeated rows count with their
    /// multiplicity); ≥ 1.
    public var minLeafSize: Int
    /// Features (among those that vary in the node) tried per split; nil for ⌊√d⌋ as in a random
    /// forest, d (or more) for a plain CART tree.
    public var maxFeatures: Int?
    /// The source of the random feature subsets.
    public var generator: SeededGenerator

    /// The fitted tree.
    private(set) var fitted = FittedTree()
    /// Bin edges of the training rows, per feature: node `k` sends `x` left when
    /// `x[feature] ≤ edges[feature][splitBin]`, exactly when its bin would go left.
    private var edges: [[Double]] = []

    /// An unfitted tree; until fitted it predicts every class equally likely.
    ///
    /// - Parameters:
    ///   - classCount: in 1...65,535.
    ///   - maxDepth: nil for unlimited, else ≥ 0.
    ///   - minLeafSize: ≥ 1.
    ///   - maxFeatures: nil for ⌊√d⌋, else ≥ 1.
    public init(classCount: Int, maxDepth: Int? = nil, minLeafSize: Int = 1, maxFeatures: Int? = nil,
                generator: SeededGenerator) {
        precondition(classCount >= 1 && classCount <= TreeGrower.maxClasses)
        precondition(minLeafSize >= 1 && (maxDepth ?? 0) >= 0 && (maxFeatures ?? 1) >= 1)
        self.classCount = classCount
        self.maxDepth = maxDepth
        self.minLeafSize = minLeafSize
        self.maxFeatures = maxFeatures
        self.generator = generator
    }

    var shape: TreeShape { TreeShape(maxDepth: maxDepth, minLeafSize: minLeafSize, maxFeatures: maxFeatures) }

    public mutating func fit(_ x: Matrix, labels: [Int], rows: [Int]) {
        // Bin the distinct rows once and count how often each is drawn.
        let sorted = rows.sorted()
        var distinct = [Int]()
        for r in sorted where distinct.last != r { distinct.append(r) }
        var bag = BootstrapSample(rows: distinct.count)
        var k = -1
        for (position, r) in sorted.enumerated() {
            if position == 0 || r != sorted[position - 1] { k += 1 }
            bag.add(k)
        }
        let binned = BinnedFeatures(fitting: x, rows: distinct)
        let grower = TreeGrower(featureCount: x.columns, classCount: classCount, rows: distinct.count)
        fit(binned: binned, labels: distinct.map { labels[$0] }, bag: bag, grower: grower)
    }

    /// Fits on prebuilt bins: the fast path of bagging, which bins once for all its trees.
    ///
    /// - Parameters:
    ///   - binned: features of every row.
    ///   - labels: class of each row of `binned`.
    ///   - bag: how many times each row of `binned` is in the training sample (0 = absent).
    ///   - grower: scratch memory, reused from tree to tree by one worker.
    mutating func fit(binned: BinnedFeatures, labels: [Int], bag: BootstrapSample, grower: TreeGrower) {
        labels.withUnsafeBufferPointer { labels in
            grower.grow(binned: binned, labels: labels, bag: bag, shape: shape, generator: &generator, into: &fitted)
        }
        edges = binned.edges
    }

    public func predictProbabilities(_ x: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
        guard !fitted.nodes.isEmpty else {
            for c in 0..<classCount { probabilities[c] = 1 / Double(classCount) }
            return
        }
        var node = fitted.nodes[0]
        while node.feature >= 0 {
            let f = Int(node.feature)
            let goesRight = x[f] > edges[f][Int(node.bin)]
            node = fitted.nodes[Int(node.child) + (goesRight ? 1 : 0)]
        }
        let leaf = Int(node.child)
        for c in 0..<classCount { probabilities[c] = fitted.leafProbabilities[leaf * classCount + c] }
    }
}
