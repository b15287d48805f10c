/// A model that bagging can train on a bootstrap sample and ask about the rows the sample left
/// out: the one thing Data-OOB needs from a model.
///
/// A value holds one worker's model and scratch memory and is reused from bag to bag; each fit
/// depends only on the counts and the generator it is given, never on earlier fits.
protocol BaggedModel {
    /// Fits on the bootstrap sample `bag` (how many times each training row was drawn),
    /// drawing any randomness the model needs from `generator`.
    mutating func fit(bag: BootstrapSample, generator: inout SeededGenerator)

    /// Writes the predicted class of each training row in `rows` to `classes` (same positions).
    mutating func predict(rows: UnsafeBufferPointer<Int32>, into classes: UnsafeMutablePointer<Int32>)
}

/// Bagged CART trees with random feature subsets: a random forest. Features are binned once
/// for all the trees; a bag is a count per row, never a copy.
struct BaggedTree: BaggedModel {
    private let binned: BinnedFeatures
    private let labels: [Int]
    private let grower: TreeGrower
    private var tree: DecisionTree

    /// Trees on `binned` (all training rows) with `labels`, grown to `shape`.
    init(binned: BinnedFeatures, labels: [Int], classCount: Int, shape: TreeShape) {
        self.binned = binned
        self.labels = labels
        grower = TreeGrower(featureCount: binned.columns, classCount: classCount, rows: binned.rows)
        tree = DecisionTree(classCount: classCount, maxDepth: shape.maxDepth, minLeafSize: shape.minLeafSize,
                            maxFeatures: shape.maxFeatures, generator: SeededGenerator(seed: 0))
    }

    mutating func fit(bag: BootstrapSample, generator: inout SeededGenerator) {
        tree.generator = generator
        tree.fit(binned: binned, labels: labels, bag: bag, grower: grower)
        generator = tree.generator
    }

    func predict(rows: UnsafeBufferPointer<Int32>, into classes: UnsafeMutablePointer<Int32>) {
        let fitted = tree.fitted
        fitted.nodes.withUnsafeBufferPointer { nodes in
            binned.bins.withUnsafeBufferPointer { bins in
                FittedTree.leaves(nodes: nodes.baseAddress!, bins: bins.baseAddress!, columns: binned.columns,
                                  of: rows, into: classes)
            }
        }
        fitted.leafClass.withUnsafeBufferPointer { leafClass in
            for k in 0..<rows.count { classes[k] = leafClass[Int(classes[k])] }
        }
    }
}

/// Any `Classifier` bagged through its ordinary `fit(rows:)`, a bag's counts becoming repeated
/// rows. Every bag starts from the same unfitted `prototype`, so no fit warm-starts from
/// another bag's.
struct BaggedClassifier<Model: Classifier>: BaggedModel {
    private let x: Matrix
    private let labels: [Int]
    private let prototype: Model
    private var model: Model
    private var rows: [Int] = []

    /// `prototype` bagged on the rows of `x` with `labels`.
    init(prototype: Model, x: Matrix, labels: [Int]) {
        self.x = x
        self.labels = labels
        self.prototype = prototype
        model = prototype
    }

    mutating func fit(bag: BootstrapSample, generator: inout SeededGenerator) {
        rows.removeAll(keepingCapacity: true)
        for row in 0..<bag.rows where bag.counts[row] > 0 {
            rows.append(contentsOf: repeatElement(row, count: bag.count(of: row)))
        }
        model = prototype
        model.fit(x, labels: labels, rows: rows)
    }

    mutating func predict(rows selected: UnsafeBufferPointer<Int32>, into classes: UnsafeMutablePointer<Int32>) {
        rows = selected.map(Int.init)
        for (k, predicted) in model.predict(x, rows: rows).enumerated() { classes[k] = Int32(predicted) }
    }
}
