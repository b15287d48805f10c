/// A stable least-significant-digit radix sort of row indices by 64-bit keys, for orderings
/// that must be exact and deterministic (nearest neighbours by distance, ties by row index).
///
/// Non-negative `Double`s order like their bit patterns, so a squared distance's
/// `bitPattern` is a valid key. Sorting starts from index order and every pass is stable, so
/// equal keys stay in increasing index order. Eight passes of 8 bits, each skipped when all
/// keys share that digit (the exponent bytes of distances usually do): O(n) per sort against
/// O(n log n) comparisons, and no data-dependent branches.
struct RadixSorter {
    private var keys: [UInt64]
    private var spareKeys: [UInt64]
    private var spareOrder: [Int32]
    private var counts: [Int]
    /// After `sort`, the indices 0..<count in ascending (key, index) order.
    private(set) var order: [Int32]

    /// Scratch for sorting `count` keys (fewer than 2³¹); reuse it for every sort of that size.
    init(count: Int) {
        keys = [UInt64](repeating: 0, count: count)
        spareKeys = keys
        order = [Int32](repeating: 0, count: count)
        spareOrder = order
        counts = [Int](repeating: 0, count: 8 * 256)
    }

    /// Sorts indices by the keys `fill` writes into the buffer it is given (count = `count`).
    mutating func sort(_ fill: (UnsafeMutableBufferPointer<UInt64>) -> Void) {
        let n = keys.count
        keys.withUnsafeMutableBufferPointer { fill($0) }
        for i in 0..<n { order[i] = Int32(i) }
        counts.withUnsafeMutableBufferPointer { c in
            c.update(repeating: 0)
            keys.withUnsafeBufferPointer { k in
                for i in 0..<n {
                    var key = k[i]
                    for pass in 0..<8 {
                        c[pass &* 256 &+ Int(key & 0xFF)] &+= 1
                        key >>= 8
                    }
                }
            }
        }
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            let trivial = counts.withUnsafeMutableBufferPointer { c -> Bool in
                let h = UnsafeMutableBufferPointer(rebasing: c[(pass * 256)..<((pass + 1) * 256)])
                var total = 0
                for b in 0..<256 {
                    if h[b] == n { return true }
                    let here = h[b]
                    h[b] = total  // becomes the bucket's first output slot
                    total &+= here
                }
                return false
            }
            if trivial { continue }
            counts.withUnsafeMutableBufferPointer { c in
                keys.withUnsafeBufferPointer { k in
                    order.withUnsafeBufferPointer { o in
                        spareKeys.withUnsafeMutableBufferPointer { k2 in
                            spareOrder.withUnsafeMutableBufferPointer { o2 in
                                let offset = pass * 256
                                for i in 0..<n {
                                    let key = k[i]
                                    let bucket = offset &+ Int((key >> shift) & 0xFF)
                                    let slot = c[bucket]
                                    c[bucket] = slot &+ 1
                                    k2[slot] = key
                                    o2[slot] = o[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &spareKeys)
            swap(&order, &spareOrder)
        }
    }
}
