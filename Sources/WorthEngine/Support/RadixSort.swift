/// A stable least-significant-digit radix sort of 64-bit words by a range of their bits, for
/// orderings that must be exact and deterministic: nearest neighbours by distance with ties by
/// row index (the index riding in the low bits), feature values for quantile bins.
///
/// Non-negative `Double`s order like their bit patterns, so a distance's `bitPattern` (or its
/// upper half) is a valid key. Every pass is stable, so words with equal keys keep their input
/// order. Digits are 11 bits (a 16 KB count table that stays in L1) and all digit counts come
/// from one read of the input; a digit every word shares (the exponent bits of distances
/// usually do) costs no pass. O(n) per sort, no data-dependent branches. Scratch memory is
/// kept from sort to sort.
struct RadixSorter {
    private var scratch: [UInt64] = []
    private var counts: [Int] = []

    /// Bits per digit.
    static let digitBits = 11

    init() {}

    /// Sorts `words` stably by their bits `bits` (a range within 0..<64; words are compared
    /// as the unsigned number those bits form).
    mutating func sort(_ words: inout [UInt64], bits: Range<Int>) {
        words.withUnsafeMutableBufferPointer { sort($0, bits: bits) }
    }

    /// Sorts the words in `words` stably by their bits `bits` (see `sort(_:bits:)`).
    mutating func sort(_ words: UnsafeMutableBufferPointer<UInt64>, bits: Range<Int>) {
        precondition(bits.lowerBound >= 0 && bits.upperBound <= 64)
        let n = words.count
        guard n > 1 && !bits.isEmpty else { return }
        let width = Self.digitBits, buckets = 1 << width
        let digits = (bits.count + width - 1) / width
        if scratch.count < n { scratch = [UInt64](repeating: 0, count: n) }
        if counts.count < digits * buckets { counts = [Int](repeating: 0, count: digits * buckets) }
        // Digit d is (word >> shift(d)) & mask(d); the last may be narrower.
        @inline(__always) func shift(_ d: Int) -> UInt64 { UInt64(bits.lowerBound + d * width) }
        @inline(__always) func mask(_ d: Int) -> UInt64 { (1 << UInt64(min(width, bits.upperBound - Int(shift(d))))) - 1 }
        var inScratch = false
        counts.withUnsafeMutableBufferPointer { c in
            for i in 0..<(digits * buckets) { c[i] = 0 }
            do {
                let w = words
                var d = 0
                while d < digits {
                    // Two digits per read of the words.
                    let (s0, m0) = (shift(d), mask(d))
                    let h0 = c.baseAddress! + d * buckets
                    if d + 1 < digits {
                        let (s1, m1) = (shift(d + 1), mask(d + 1))
                        let h1 = h0 + buckets
                        for i in 0..<n {
                            let word = w[i]
                            h0[Int((word >> s0) & m0)] &+= 1
                            h1[Int((word >> s1) & m1)] &+= 1
                        }
                    } else {
                        for i in 0..<n { h0[Int((w[i] >> s0) & m0)] &+= 1 }
                    }
                    d += 2
                }
            }
            for d in 0..<digits {
                let h = c.baseAddress! + d * buckets
                // Bucket starts; a digit with one bucket holding every word needs no pass.
                var total = 0, trivial = false
                for b in 0..<buckets {
                    let here = h[b]
                    if here == n { trivial = true; break }
                    h[b] = total
                    total &+= here
                }
                if trivial { continue }
                do {
                    let w = words
                    scratch.withUnsafeMutableBufferPointer { s in
                        let (from, to) = inScratch ? (s.baseAddress!, w.baseAddress!) : (w.baseAddress!, s.baseAddress!)
                        let (sd, md) = (shift(d), mask(d))
                        for i in 0..<n {
                            let word = from[i]
                            let b = Int((word >> sd) & md)
                            to[h[b]] = word
                            h[b] &+= 1
                        }
                    }
                }
                inScratch.toggle()
            }
        }
        if inScratch {
            scratch.withUnsafeBufferPointer { s in words.baseAddress!.update(from: s.baseAddress!, count: n) }
        }
    }

    /// The key under which `Double`s sort like numbers (−0 and +0 get distinct keys: add 0 to
    /// make them equal first): the bits with the sign bit set when non-negative, all bits
    /// flipped when negative.
    @inline(__always)
    static func key(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits >> 63 == 0 ? bits | (1 << 63) : ~bits
    }

    /// The `Double` whose `key` is `key`.
    @inline(__always)
    static func value(ofKey key: UInt64) -> Double {
        Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
    }
}
