/// Ranks of values, 1 = lowest (the most suspect row). Rows without a value (NaN) get no rank.
/// Ties keep row order, so ranks are a permutation of 1…(number of values).
public func ascendingRanks(_ values: [Double]) -> [Int?] {
    let order = values.indices.filter { !values[$0].isNaN }.sorted {
        values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1)
    }
    var ranks = [Int?](repeating: nil, count: values.count)
    for (r, i) in order.enumerated() { ranks[i] = r + 1 }
    return ranks
}
