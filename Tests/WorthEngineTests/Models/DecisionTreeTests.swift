import Foundation
import Testing
@testable import WorthEngine

@Suite struct DecisionTreeTests {
    /// `n` rows of `d` standard normal features (Box-Muller) and labels uniform over `classes`.
    static func noise(n: Int, d: Int, classes: Int, seed: UInt64) -> (Matrix, [Int]) {
        var g = SeededGenerator(seed: seed)
        var x = [Double]()
        for _ in 0..<(n * d) {
            let u = max(g.nextUnit(), 1e-300), v = g.nextUnit()
            x.append((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
        }
        return (Matrix(rows: n, columns: d, storage: x), (0..<n).map { _ in g.nextInt(below: classes) })
    }

    /// Depth of every leaf, from the flat node arrays (children follow their parent).
    static func leafDepths(_ tree: FittedTree) -> [Int] {
        var depth = [Int](repeating: 0, count: tree.nodes.count)
        var leaves = [Int]()
        for (node, split) in tree.nodes.enumerated() {
            if split.feature >= 0 {
                let l = Int(split.child)
                #expect(l > node)
                depth[l] = depth[node] + 1
                depth[l + 1] = depth[node] + 1
            } else {
                leaves.append(depth[node])
            }
        }
        return leaves
    }

    @Test func fitsASeparableSetPerfectly() {
        // Three classes by quadrant rule on two features plus a noise feature: not linearly
        // separable, but a tree can carve it exactly.
        let (x, _) = Self.noise(n: 120, d: 3, classes: 2, seed: 5)
        let labels = (0..<x.rows).map { r in x[r, 0] > 0 ? (x[r, 1] > 0.3 ? 2 : 1) : 0 }
        var tree = DecisionTree(classCount: 3, generator: SeededGenerator(seed: 9))
        tree.fit(x, labels: labels, rows: Array(0..<x.rows))
        #expect(tree.predict(x, rows: Array(0..<x.rows)) == labels)
        #expect(tree.accuracy(x, labels: labels, rows: Array(0..<x.rows)) == 1)
    }

    @Test func randomLabelsAreMemorisedWhenUnlimited() {
        // Distinct rows (each value its own bin) can always be separated down to one row a leaf.
        let (x, labels) = Self.noise(n: 150, d: 4, classes: 3, seed: 6)
        var tree = DecisionTree(classCount: 3, generator: SeededGenerator(seed: 1))
        tree.fit(x, labels: labels, rows: Array(0..<x.rows))
        #expect(tree.predict(x, rows: Array(0..<x.rows)) == labels)
    }

    @Test func respectsMaxDepth() {
        let (x, labels) = Self.noise(n: 200, d: 4, classes: 2, seed: 7)
        for limit in [0, 1, 3] {
            var tree = DecisionTree(classCount: 2, maxDepth: limit, generator: SeededGenerator(seed: 2))
            tree.fit(x, labels: labels, rows: Array(0..<x.rows))
            // Random labels leave every node mixed, so the tree grows exactly to the limit.
            #expect(Self.leafDepths(tree.fitted).max() == limit)
            #expect(tree.fitted.leafClass.count <= 1 << limit)
        }
    }

    @Test func respectsMinLeafSizeCountingMultiplicities() {
        let (x, labels) = Self.noise(n: 200, d: 3, classes: 2, seed: 8)
        let binned = BinnedFeatures(fitting: x)
        var counts = [UInt32](repeating: 0, count: x.rows)
        var g = SeededGenerator(seed: 3)
        drawBootstrap(&counts, generator: &g)
        let grower = TreeGrower(featureCount: 3, classCount: 2, rows: x.rows)
        for minLeaf in [1, 7, 30] {
            var tree = DecisionTree(classCount: 2, minLeafSize: minLeaf, generator: SeededGenerator(seed: 4))
            tree.fit(binned: binned, labels: labels, counts: counts, grower: grower)
            var perLeaf = [Int](repeating: 0, count: tree.fitted.leafClass.count)
            for r in 0..<x.rows { perLeaf[tree.fitted.leaf(binned: binned, row: r)] += Int(counts[r]) }
            #expect(perLeaf.min()! >= minLeaf)
            if minLeaf == 1 { #expect(perLeaf.count > 30) }
        }
    }

    @Test func repeatedRowsWeighTheLeafProbabilities() {
        // A single leaf (depth 0) holds the class fractions of the sample, repeats counted.
        let x = Matrix(rows: 3, columns: 1, storage: [0, 1, 2])
        let labels = [0, 1, 2]
        var tree = DecisionTree(classCount: 3, maxDepth: 0, generator: SeededGenerator(seed: 1))
        tree.fit(x, labels: labels, rows: [0, 0, 0, 1, 2, 2, 0, 2])
        #expect(tree.probabilities(x, row: 1) == [0.5, 0.125, 0.375])
        // Unfitted or fitted on nothing: every class equally likely, never a trap.
        tree.fit(x, labels: labels, rows: [])
        let third: Double = 1.0 / 3
        #expect(tree.probabilities(x, row: 0) == [third, third, third])
    }

    @Test func classifierPathEqualsCountsPath() {
        // fit(rows:) with repeats is the bagging path with a count per distinct row.
        let (x, labels) = Self.noise(n: 120, d: 5, classes: 2, seed: 11)
        var g = SeededGenerator(seed: 12)
        let rows = (0..<120).map { _ in g.nextInt(below: 120) }
        var byRows = DecisionTree(classCount: 2, generator: SeededGenerator(seed: 13))
        byRows.fit(x, labels: labels, rows: rows)

        let distinct = Array(Set(rows)).sorted()
        let counts = distinct.map { r in UInt32(rows.filter { $0 == r }.count) }
        let binned = BinnedFeatures(fitting: x, rows: distinct)
        var byCounts = DecisionTree(classCount: 2, generator: SeededGenerator(seed: 13))
        byCounts.fit(binned: binned, labels: distinct.map { labels[$0] }, counts: counts,
                     grower: TreeGrower(featureCount: 5, classCount: 2, rows: distinct.count))
        #expect(byRows.fitted.nodes == byCounts.fitted.nodes)
        #expect(byRows.fitted.leafProbabilities == byCounts.fitted.leafProbabilities)
        // Raw thresholds and bins agree on every row, seen or not.
        let all = BinnedFeatures(fitting: x, rows: distinct).binning(x)
        #expect(byRows.predict(x, rows: Array(0..<x.rows)) == (0..<x.rows).map { byCounts.predictedClass(binned: all, row: $0) })
    }

    @Test func binningIsMonotoneAndKeepsItsEdges() {
        let (x, _) = Self.noise(n: 1000, d: 2, classes: 2, seed: 14)
        // Feature 1 with few distinct values: one bin per value.
        var storage = x.storage
        for r in 0..<1000 { storage[r * 2 + 1] = Double(r % 7) }
        let m = Matrix(rows: 1000, columns: 2, storage: storage)
        let binned = BinnedFeatures(fitting: m)
        #expect(binned.edges[0].count == 255)
        #expect(binned.edges[1].count == 6)
        for j in 0..<2 {
            #expect(zip(binned.edges[j], binned.edges[j].dropFirst()).allSatisfy { $0 < $1 })
            let order = (0..<1000).sorted { m[$0, j] < m[$1, j] }
            let bins = order.map { binned.bins[j * 1000 + $0] }
            #expect(zip(bins, bins.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect((0..<1000).allSatisfy { Int(binned.bins[1000 + $0]) == $0 % 7 })
        // Quantile bins: about 1000/256 rows each, none empty.
        var perBin = [Int](repeating: 0, count: 256)
        for r in 0..<1000 { perBin[Int(binned.bins[r])] += 1 }
        #expect(perBin.min()! >= 3 && perBin.max()! <= 5)
        // Unseen values go where their neighbours went.
        let probe = Matrix(rows: 2, columns: 2, storage: [-100, 2.7, 100, 6])
        let probed = binned.binning(probe)
        #expect(probed.bins == [0, 255, 3, 6])
    }
}

extension DecisionTree {
    /// Most probable class of row `row` of `binned` (binned with this tree's training edges).
    func predictedClass(binned: BinnedFeatures, row: Int) -> Int {
        Int(fitted.leafClass[fitted.leaf(binned: binned, row: row)])
    }
}
