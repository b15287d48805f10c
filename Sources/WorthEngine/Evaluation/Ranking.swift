/// Ranks of values, 1 = lowest (the most suspect row). Rows without a value (NaN) get no rank.
/// Ties keep row order, so ranks are a permutation of 1…(number of values).
public func ascendingRanks(_ values: [Double]) -> [Int?] {
    // Sorting (value, row) pairs keeps the comparisons on contiguous memory: the workbench ranks
    // every live update of a run (in the run's background job, off the key loop), up to a
    // million rows.
    var pairs: [(value: Double, row: Int)] = []
    pairs.reserveCapacity(values.count)
    for (i, v) in values.enumerated() where !v.isNaN { pairs.append((v, i)) }
    pairs.sort { $0.value < $1.value || ($0.value == $1.value && $0.row < $1.row) }
    var ranks = [Int?](repeating: nil, count: values.count)
    for (r, pair) in pairs.enumerated() { ranks[pair.row] = r + 1 }
    return ranks
}
