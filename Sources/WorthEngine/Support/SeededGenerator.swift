/// The one random number generator of the engine: SplitMix64.
///
/// Every independent unit of work (a tree, a permutation, a chunk) draws from its own
/// generator made by `SeededGenerator(seed:stream:)`, so results depend only on the seed and
/// the unit's index, never on the number of workers or the order in which units finish.
/// Everything here is written out (no standard-library shuffling or ranged sampling) so the
/// numbers stay the same across toolchains.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// A generator for `seed` alone.
    @inlinable public init(seed: UInt64) {
        state = seed
    }

    /// A generator for unit `stream` of a run seeded by `seed`; distinct streams are
    /// statistically independent.
    @inlinable public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededGenerator(seed: seed ^ 0x6A09_E667_F3BC_C909)
        let a = mixer.next()
        state = a ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xBB67_AE85_84CA_A73B
        _ = next()
    }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` (Lemire's unbiased multiply-shift); `bound` > 0.
    @inlinable public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold {
                m = next().multipliedFullWidth(by: b)
            }
        }
        return Int(m.high)
    }

    /// Shuffles `array` in place (Fisher-Yates, the same order for the same state).
    @inlinable public mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count
        while i > 1 {
            let j = nextInt(below: i)
            i -= 1
            array.swapAt(i, j)
        }
    }

    /// A random permutation of `0..<count`.
    @inlinable public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        shuffle(&p)
        return p
    }
}
