/// Draws the random permutation of each unit of a permutation-sampled semivalue.
///
/// Unit i's permutation comes from `SeededGenerator(seed: seed, stream: i)` alone, so it is the
/// same on any worker, in any shard and after any resume.
public struct PermutationSampler: Sendable, Equatable {
    /// The run's seed.
    public var seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// A uniformly random order of `0..<count` for unit `unit` (≥ 0).
    public func permutation(unit: Int, count: Int) -> [Int] {
        var generator = SeededGenerator(seed: seed, stream: UInt64(unit))
        return generator.permutation(count)
    }
}
