/// One of N parts of a Monte Carlo run, for running it on several machines (`K/N`).
///
/// Shard K (0-based) runs the contiguous block of units ⌊B·K/N⌋ ..< ⌊B·(K+1)/N⌋ of a budget of
/// B units. Unit i draws from its own seeded generator and the statistics add exactly, so
/// merging the N parts gives the same values as one run of B units with the same seed.
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

    public var description: String { "\(index)/\(count)" }
}
