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
