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
        var bag = BootstrapSample(rows: x.rows)
        var g = SeededGenerator(seed: 3)
        bag.draw(generator: &g)
        let grower = TreeGrower(featureCount: 3, classCount: 2, rows: x.rows)
        for minLeaf in [1, 7, 30] {
            var tree = DecisionTree(classCount: 2, minLeafSize: minLeaf, generator: SeededGenerator(seed: 4))
            tree.fit(binned: binned, labels: labels, bag: bag, grower: grower)
            var perLeaf = [Int](repeating: 0, count: tree.fitted.leafClass.count)
            for r in 0..<x.rows { perLeaf[tree.fitted.leaf(binned: binned, row: r)] += bag.count(of: r) }
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
        var bag = BootstrapSample(rows: distinct.count)
        for (k, r) in distinct.enumerated() { for q in rows where q == r { bag.add(k) } }
        let binned = BinnedFeatures(fitting: x, rows: distinct)
        var byCounts = DecisionTree(classCount: 2, generator: SeededGenerator(seed: 13))
        byCounts.fit(binned: binned, labels: distinct.map { labels[$0] }, bag: bag,
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
            let bins = order.map { binned[$0, j] }
            #expect(zip(bins, bins.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect((0..<1000).allSatisfy { Int(binned[$0, 1]) == $0 % 7 })
        // Quantile bins: about 1000/256 rows each, none empty.
        var perBin = [Int](repeating: 0, count: 256)
        for r in 0..<1000 { perBin[Int(binned[r, 0])] += 1 }
        #expect(perBin.min()! >= 3 && perBin.max()! <= 5)
        // Unseen values go where their neighbours went.
        let probe = Matrix(rows: 2, columns: 2, storage: [-100, 2.7, 100, 6])
        let probed = binned.binning(probe)
        #expect([probed[0, 0], probed[1, 0], probed[0, 1], probed[1, 1]] == [0, 255, 3, 6])
    }

    /// A plain recursive CART on bins, written for clarity, not speed: candidate features drawn
    /// one at a time from the same shuffled pool (one not varying in the node is not counted),
    /// every threshold's Gini score computed from scratch, first best kept, left subtree first.
    /// Returns the nodes in the grower's numbering.
    static func referenceTree(binned: BinnedFeatures, labels: [Int], counts: [Int], classes: Int,
                              perSplit: Int, minLeaf: Int, maxDepth: Int, generator: inout SeededGenerator) -> [TreeNode] {
        let d = binned.columns
        var pool = Array(0..<d)
        var nodes = [TreeNode.unset]
        var leaves = 0
        var stack = [(node: 0, rows: (0..<binned.rows).filter { counts[$0] > 0 }, depth: 0)]
        func classTotals(_ rows: [Int]) -> [Int] {
            var t = [Int](repeating: 0, count: classes)
            for r in rows { t[labels[r]] += counts[r] }
            return t
        }
        while let (node, rows, depth) = stack.popLast() {
            let totals = classTotals(rows)
            let total = totals.reduce(0, +)
            var best: (score: Double, feature: Int, bin: Int)?
            if totals.filter({ $0 > 0 }).count > 1 && total >= 2 * minLeaf && depth < maxDepth {
                var tried = 0, k = 0
                while k < d && tried < perSplit {
                    let pick = k + generator.nextInt(below: d - k)
                    pool.swapAt(pick, k)
                    let f = pool[k]
                    k += 1
                    let bins = Set(rows.map { Int(binned[$0, f]) }).sorted()
                    guard bins.count > 1 else { continue }
                    tried += 1
                    for b in bins.dropLast() {
                        let left = classTotals(rows.filter { Int(binned[$0, f]) <= b })
                        let nL = left.reduce(0, +), nR = total - nL
                        guard nL >= minLeaf && nR >= minLeaf else { continue }
                        var score = 0.0
                        for c in 0..<classes {
                            score += Double(left[c] * left[c]) / Double(nL)
                            score += Double((totals[c] - left[c]) * (totals[c] - left[c])) / Double(nR)
                        }
                        if best == nil || score > best!.score * (1 + 1e-12) { best = (score, f, b) }
                    }
                }
            }
            if let best {
                let child = nodes.count
                nodes[node] = TreeNode(feature: Int32(best.feature), bin: UInt8(best.bin), child: Int32(child))
                nodes += [.unset, .unset]
                stack.append((child + 1, rows.filter { Int(binned[$0, best.feature]) > best.bin }, depth + 1))
                stack.append((child, rows.filter { Int(binned[$0, best.feature]) <= best.bin }, depth + 1))
            } else {
                // Leaves are numbered in the order they are reached.
                nodes[node].child = Int32(leaves)
                leaves += 1
            }
        }
        return nodes
    }

    @Test(arguments: [(2, 7, 3, 1, 64, 0), (3, 12, 12, 2, 5, 40), (5, 30, 40, 1, 64, 0), (2, 40, 2, 3, 64, 1)])
    func growerEqualsAPlainReferenceTree(classes: Int, features: Int, perSplit: Int, minLeaf: Int, maxDepth: Int,
                                         compactRows: Int) {
        // Features with few distinct values (so some are constant within nodes and redrawn),
        // a bootstrap bag, and enough candidates per split to need several batches. Nodes
        // above `compactRows` samples read the shared bins (0: the default, all compacted).
        var g = SeededGenerator(seed: UInt64(classes * 100 + features))
        let n = 300
        let x = Matrix(rows: n, columns: features, storage: (0..<(n * features)).map { j in
            Double(g.nextInt(below: j % features < 3 ? 2 : 9))
        })
        let labels = (0..<n).map { r in (Int(x[r, 0]) + Int(x[r, 1]) + g.nextInt(below: 3)) % classes }
        let binned = BinnedFeatures(fitting: x)
        var bag = BootstrapSample(rows: n)
        bag.draw(generator: &g)
        let shape = TreeShape(maxDepth: maxDepth, minLeafSize: minLeaf, maxFeatures: perSplit)
        var tree = DecisionTree(classCount: classes, maxDepth: maxDepth, minLeafSize: minLeaf, maxFeatures: perSplit,
                                generator: SeededGenerator(seed: 8))
        tree.fit(binned: binned, labels: labels, bag: bag,
                 grower: TreeGrower(featureCount: features, classCount: classes, rows: n,
                                    compactRows: compactRows > 0 ? compactRows : nil))
        var reference = SeededGenerator(seed: 8)
        let expected = Self.referenceTree(binned: binned, labels: labels, counts: (0..<n).map { bag.count(of: $0) },
                                          classes: classes, perSplit: shape.featuresPerSplit(featureCount: features),
                                          minLeaf: minLeaf, maxDepth: maxDepth, generator: &reference)
        #expect(tree.fitted.nodes.count == expected.count && tree.fitted.nodes.count > 20)
        #expect(zip(tree.fitted.nodes, expected).filter { $0 != $1 }.count == 0)
        // Both consumed the same draws.
        #expect(tree.generator.next() == reference.next())
    }

    @Test func bagsBeyondTheByteCountsGrowTheSameTree() {
        // A limit of 2 draws per byte count sends the rest to `extra`; the tree must not notice.
        let (x, labels) = Self.noise(n: 60, d: 4, classes: 2, seed: 15)
        var g = SeededGenerator(seed: 16)
        let draws = (0..<200).map { _ in g.nextInt(below: 60) }
        var full = BootstrapSample(rows: 60), capped = BootstrapSample(rows: 60, limit: 2)
        for r in draws {
            full.add(r)
            capped.add(r)
        }
        #expect(!capped.extra.isEmpty && full.extra.isEmpty)
        #expect((0..<60).allSatisfy { r in capped.count(of: r) == draws.filter { $0 == r }.count && full.count(of: r) == capped.count(of: r) })
        let binned = BinnedFeatures(fitting: x)
        let grower = TreeGrower(featureCount: 4, classCount: 2, rows: 60)
        var a = DecisionTree(classCount: 2, generator: SeededGenerator(seed: 17)), b = a
        a.fit(binned: binned, labels: labels, bag: full, grower: grower)
        b.fit(binned: binned, labels: labels, bag: capped, grower: grower)
        #expect(a.fitted.nodes == b.fitted.nodes && a.fitted.leafProbabilities == b.fitted.leafProbabilities)
        // draw(generator:) is n draws of nextInt(below: n), as the replay in DataOOBTests assumes.
        var drawn = BootstrapSample(rows: 60, limit: 2), replay = SeededGenerator(seed: 18), h = replay
        drawn.draw(generator: &h)
        let expected = (0..<60).map { _ in replay.nextInt(below: 60) }
        #expect((0..<60).allSatisfy { r in drawn.count(of: r) == expected.filter { $0 == r }.count })
    }

    @Test func parallelBinningEqualsTheSequentialOne() async throws {
        // More rows than one block and features in several chunks of four.
        let (x, _) = Self.noise(n: 40_000, d: 9, classes: 2, seed: 19)
        let sequential = BinnedFeatures(fitting: x)
        let parallel = try #require(try await BinnedFeatures.fitting(x, workers: 3))
        #expect(parallel.edges == sequential.edges)
        #expect(parallel.bins == sequential.bins)
        #expect(parallel.rows == 40_000 && parallel.columns == 9)
    }
}

extension DecisionTree {
    /// Most probable class of row `row` of `binned` (binned with this tree's training edges).
    func predictedClass(binned: BinnedFeatures, row: Int) -> Int {
        Int(fitted.leafClass[fitted.leaf(binned: binned, row: row)])
    }
}
