/// One node of a fitted tree: a split, or a leaf when `feature` is −1.
///
/// A split sends a row left when its bin of `feature` is at most `bin`; its children are
/// `child` (left) and `child + 1` (right). A leaf's `child` is its index among the leaves.
/// One 12-byte record per node keeps a row's walk down the tree on one cache line per level.
struct TreeNode: Sendable, Equatable {
    /// Feature tested, −1 for a leaf.
    var feature: Int32
    /// Largest bin that goes left.
    var bin: UInt8
    /// Left child of a split, leaf index of a leaf.
    var child: Int32

    /// A leaf not yet given its index.
    static let unset = TreeNode(feature: -1, bin: 0, child: 0)
}

/// A fitted tree: its nodes (node 0 is the root, children follow their parent) and its leaves.
struct FittedTree: Sendable {
    /// The nodes.
    var nodes: [TreeNode] = []
    /// Most probable class of each leaf (lowest class index on ties).
    var leafClass: [Int32] = []
    /// Class probabilities of each leaf, `classCount` per leaf.
    var leafProbabilities: [Double] = []

    /// Empties the arrays but keeps their storage, so the next tree allocates nothing.
    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        leafClass.removeAll(keepingCapacity: true)
        leafProbabilities.removeAll(keepingCapacity: true)
    }

    /// Index of the leaf reached by the row whose bins start at `bins` (one byte per feature).
    @inline(__always)
    static func leaf(nodes: UnsafePointer<TreeNode>, bins: UnsafePointer<UInt8>) -> Int {
        var node = nodes[0]
        while node.feature >= 0 {
            let goesRight = bins[Int(node.feature)] > node.bin
            node = nodes[Int(node.child) &+ (goesRight ? 1 : 0)]
        }
        return Int(node.child)
    }

    /// Index of the leaf reached by row `row` of `binned`.
    func leaf(binned: BinnedFeatures, row: Int) -> Int {
        nodes.withUnsafeBufferPointer { nodes in
            binned.bins.withUnsafeBufferPointer { bins in
                Self.leaf(nodes: nodes.baseAddress!, bins: bins.baseAddress! + row * binned.columns)
            }
        }
    }

    /// Writes the leaf reached by each row of `selected` to `leaves` (same positions), for
    /// row-major `bins` with `columns` bytes per row.
    ///
    /// One row's walk is a chain of dependent loads (node, then its bin, then the next node);
    /// walking eight rows at once, each lane taking the next row when it reaches a leaf, lets
    /// the loads of different rows overlap. A row's bins lie together, so its walk touches one
    /// or two cache lines of them.
    static func leaves(nodes: UnsafePointer<TreeNode>, bins: UnsafePointer<UInt8>, columns: Int,
                       of selected: UnsafeBufferPointer<Int32>, into leaves: UnsafeMutablePointer<Int32>) {
        let lanes = 8
        withUnsafeTemporaryAllocation(of: (slot: Int, row: UnsafePointer<UInt8>, node: TreeNode).self, capacity: lanes) { lane in
            var next = 0, active = 0
            while active < lanes && next < selected.count {
                lane[active] = (next, bins + Int(selected[next]) &* columns, nodes[0])
                next += 1
                active += 1
            }
            while active > 0 {
                var k = 0
                while k < active {
                    let node = lane[k].node
                    if node.feature >= 0 {
                        let goesRight = lane[k].row[Int(node.feature)] > node.bin
                        lane[k].node = nodes[Int(node.child) &+ (goesRight ? 1 : 0)]
                        k += 1
                    } else {
                        leaves[lane[k].slot] = node.child
                        if next < selected.count {
                            lane[k] = (next, bins + Int(selected[next]) &* columns, nodes[0])
                            next += 1
                            k += 1
                        } else {
                            // Out of rows: the last active lane takes this one's place.
                            active -= 1
                            lane[k] = lane[active]
                        }
                    }
                }
            }
        }
    }
}
