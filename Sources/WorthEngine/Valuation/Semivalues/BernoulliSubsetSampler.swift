/// Draws the random subset of each unit of Data Banzhaf's maximum-sample-reuse estimator: every
/// row is in independently with probability 1/2.
///
/// Unit i's subset comes from `SeededGenerator(seed: seed, stream: i)` alone, so it is the same
/// on any worker, in any shard and after any resume.
public struct BernoulliSubsetSampler: Sendable, Equatable {
    /// The run's seed.
    public var seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// Membership of each of `count` rows in unit `unit`'s subset (one random bit per row).
    public func subset(unit: Int, count: Int) -> [Bool] {
        var generator = SeededGenerator(seed: seed, stream: UInt64(unit))
        var members = [Bool](repeating: false, count: count)
        var bits: UInt64 = 0
        for i in 0..<count {
            if i % 64 == 0 { bits = generator.next() }
            members[i] = bits & 1 == 1
            bits >>= 1
        }
        return members
    }
}
