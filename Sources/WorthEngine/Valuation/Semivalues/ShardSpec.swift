/// One of N parts of a run, for running it on several machines (`K/N`).
///
/// Shard K (0-based) runs the contiguous block of units ⌊B·K/N⌋ ..< ⌊B·(K+1)/N⌋ of B units: of
/// the budget of a Monte Carlo run (permutations, samples) or of Data-OOB (trees), of the
/// validation points of KNN-Shapley, of the valued rows of leave-one-out and the influence
/// methods. Each unit's result depends on its index only (a seeded generator of its own, a
/// row) and the parts add or concatenate exactly, so merging the N parts gives the same values
/// as one run with the same seed.
public struct ShardSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Which part, 0 ..< count.
    public var index: Int
    /// How many parts, ≥ 1.
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw InputError(.shardOutOfRange(index: index, count: count))
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (K counts from 0, like Slurm's and Kubernetes' array indices).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw InputError(.shardSyntax(given: text))
        }
        try self.init(index: k, count: n)
    }

    /// This shard's block of a budget of `budget` units.
    public func units(of budget: Int) -> Range<Int> {
        let lower = Int((Int128(budget) * Int128(index)) / Int128(count))
        let upper = Int((Int128(budget) * Int128(index + 1)) / Int128(count))
        return lower..<upper
    }

    /// This shard's block of `units` units cut only between granules of `granule` units (≥ 1):
    /// the blocks of `units(of:)` over the ⌈units / granule⌉ granules, so that a shard holds
    /// whole granules (KNN-Shapley's chunks of validation points, whose sums are rounded once).
    public func units(of units: Int, granule: Int) -> Range<Int> {
        let size = max(1, granule)
        let granules = units / size + (units % size == 0 ? 0 : 1)
        let block = self.units(of: granules)
        return min(units, block.lowerBound * size)..<min(units, block.upperBound * size)
    }

    public var description: String { "\(index)/\(count)" }
}

extension ShardSpec {
    /// Checks that parts of one run can be merged as its shards: shards of one count, none given
    /// twice, no unit in two parts. Throws an `InputError` naming the later part of a clash.
    ///
    /// - Parameters:
    ///   - shards: each part's shard (nil: a whole run or a merge).
    ///   - completed: each part's units done, sorted ranges.
    ///   - unitName: what a unit is, plural, for the message.
    ///   - names: how to call each part (file names).
    static func checkDisjoint(_ shards: [ShardSpec?], completed: [[Range<Int>]], unitName: String, names: [String]) throws {
        if let a = shards.first ?? nil {
            for (k, b) in shards.enumerated() {
                if let b, b.count != a.count { throw InputError(file: names[k], "is shard \(b) but \(names[0]) is shard \(a)") }
            }
        }
        for j in shards.indices {
            for k in shards.indices where k > j {
                if let a = shards[j], a == shards[k] {
                    throw InputError(file: names[k], "is shard \(a) again (also \(names[j]))")
                }
                for r in completed[j] {
                    if let s = completed[k].first(where: { $0.overlaps(r) }) {
                        let both = r.clamped(to: s)
                        throw InputError(file: names[k], "repeats \(unitName) \(both.lowerBound)..<\(both.upperBound) of \(names[j])")
                    }
                }
            }
        }
    }
}
