import Foundation

/// Per-chain, per-row counts, sums and sums of squares of Monte Carlo contributions, kept in
/// 128-bit fixed point so that adding them is exact.
///
/// Floating-point addition is not associative: a Welford mean folded unit by unit and the same
/// units merged shard by shard differ in the last bits. Here each contribution x is rounded
/// once to a multiple of 2⁻⁶⁴ (|x| is clamped to 2¹⁶, far beyond any utility difference) and
/// summed as an integer, so merging chunks, workers, resumed runs or shards in any order gives
/// bit-identical statistics. Rounding is at 5·10⁻²⁰, far below a Double's precision for any
/// value that matters, and the sums cannot overflow before 2³¹ units.
struct ChainMoments: Sendable, Equatable {
    /// Number of rows.
    let rows: Int
    /// Number of chains.
    let chains: Int
    /// Contributions counted, at `chain * rows + row`.
    var counts: [Int]
    /// Σ x in units of 2⁻⁶⁴, at `chain * rows + row`.
    var sums: [Int128]
    /// Σ x² in units of 2⁻⁶⁴, at `chain * rows + row`.
    var squares: [Int128]

    init(rows: Int, chains: Int) {
        self.rows = rows
        self.chains = chains
        counts = Array(repeating: 0, count: rows * chains)
        sums = Array(repeating: 0, count: rows * chains)
        squares = Array(repeating: 0, count: rows * chains)
    }

    /// Counts contribution `x` of `row` in `chain`.
    @inline(__always) mutating func add(_ x: Double, row: Int, chain: Int) {
        let k = chain * rows + row
        let clamped = Swift.min(Swift.max(x, -FixedPoint.limit), FixedPoint.limit)
        counts[k] += 1
        sums[k] += FixedPoint.encode(clamped)
        squares[k] += FixedPoint.encode(clamped * clamped)
    }

    /// Adds everything `other` counted (same shape): exact, so order never matters. Throws
    /// `Overflow` (leaving `self` unchanged) when a count or sum would overflow: the moments of
    /// loaded files are input, and input never traps.
    mutating func add(_ other: ChainMoments) throws {
        precondition(rows == other.rows && chains == other.chains, "moments of different shapes")
        var result = self
        for k in counts.indices {
            let n = counts[k].addingReportingOverflow(other.counts[k])
            let s = sums[k].addingReportingOverflow(other.sums[k])
            let q = squares[k].addingReportingOverflow(other.squares[k])
            guard !n.overflow, !s.overflow, !q.overflow else { throw Overflow() }
            result.counts[k] = n.partialValue
            result.sums[k] = s.partialValue
            result.squares[k] = q.partialValue
        }
        self = result
    }

    /// A sum of moments that does not fit.
    struct Overflow: Error {}

    /// Whether the sums at `k` are within what its count of contributions, each clamped to
    /// ±`FixedPoint.limit`, can give. Needs `counts[k]` in 0...2³⁰ (no overflow then).
    func boundsHold(at k: Int) -> Bool {
        let n = Int128(counts[k])
        let sumLimit = n * FixedPoint.encode(FixedPoint.limit)
        let squareLimit = n * FixedPoint.encode(FixedPoint.limit * FixedPoint.limit)
        return sums[k] >= -sumLimit && sums[k] <= sumLimit && squares[k] >= 0 && squares[k] <= squareLimit
    }

    /// Count, mean and sample variance of `row` over the chains in `chainRange`.
    func moments(row: Int, chains chainRange: Range<Int>) -> Moments {
        var n = 0
        var s: Int128 = 0
        var q: Int128 = 0
        for c in chainRange {
            let k = c * rows + row
            n += counts[k]
            s += sums[k]
            q += squares[k]
        }
        return Moments(count: n, sum: FixedPoint.decode(s), sumOfSquares: FixedPoint.decode(q))
    }
}

/// Count, mean and sample variance of a row's contributions.
struct Moments {
    var count: Int
    var sum: Double
    var sumOfSquares: Double

    /// Mean; nan without contributions.
    var mean: Double { count > 0 ? sum / Double(count) : .nan }

    /// Sample variance (divisor count − 1), clamped at 0 against cancellation; nan below two
    /// contributions.
    var variance: Double {
        guard count > 1 else { return .nan }
        return Swift.max(0, (sumOfSquares - sum * mean) / Double(count - 1))
    }

    /// Variance of the mean, variance / count.
    var varianceOfMean: Double { variance / Double(count) }
}

/// The 2⁻⁶⁴ fixed-point scale of `ChainMoments`.
enum FixedPoint {
    /// Largest magnitude a contribution is clamped to.
    static let limit = 65536.0

    /// x · 2⁶⁴ rounded to the nearest integer (ties away from zero), for |x| < 2⁶³: the same
    /// integer as `Int128((x * 0x1p64).rounded())`.
    ///
    /// Built from two 64-bit halves instead: the generic `Int128(Double)` of the standard
    /// library took about a fifth of KNN-Shapley's time (one conversion per row per chunk of
    /// validation points). The halves are exact: y = |x|·2⁶⁴ is an integer double, so its
    /// 2⁶⁴ multiples (y · 2⁻⁶⁴ rounded down, a power-of-two scaling) and the remainder (the bits
    /// of y below 2⁶⁴, at most 53 of them) are exact doubles.
    @inline(__always) static func encode(_ x: Double) -> Int128 {
        let y = (x * 0x1p64).rounded(.toNearestOrAwayFromZero)
        let magnitude = y < 0 ? -y : y
        let high = (magnitude * 0x1p-64).rounded(.down)
        let v = Int128(_low: UInt64(magnitude - high * 0x1p64), _high: Int64(high))
        return y < 0 ? ~v &+ 1 : v
    }

    /// v · 2⁻⁶⁴, the same double as `Double(v) * 0x1p-64` (correctly rounded), without the
    /// standard library's generic integer-to-float conversion (as slow as `Int128(Double)`).
    ///
    /// The magnitude's top 64 bits, with a sticky bit set when any bit below them is not zero,
    /// round to 53 bits exactly as the whole magnitude does (the sticky bit lies below the
    /// rounding position of a 64-bit value), and the hardware rounds a UInt64 correctly.
    @inline(__always) static func decode(_ v: Int128) -> Double {
        let negative = v < 0
        let magnitude = negative ? ~v &+ 1 : v  // Int128.min stays 2¹²⁷ read as unsigned
        let high = UInt64(bitPattern: magnitude._high), low = magnitude._low
        let unsigned: Double
        if high == 0 {
            unsigned = Double(low)
        } else {
            let shift = UInt64.bitWidth - high.leadingZeroBitCount  // 1...64
            let top = shift == 64 ? high : high << (64 - shift) | low >> shift
            let rest = shift == 64 ? low : low << (64 - shift)
            unsigned = Double(top | (rest != 0 ? 1 : 0)) * Double(sign: .plus, exponent: shift, significand: 1)
        }
        return (negative ? -unsigned : unsigned) * 0x1p-64
    }
}

extension ChainMoments: Codable {
    private enum CodingKeys: String, CodingKey { case rows, chains, counts, sums, squares }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rows = try c.decode(Int.self, forKey: .rows)
        chains = try c.decode(Int.self, forKey: .chains)
        counts = try c.decode([Int].self, forKey: .counts)
        sums = try Self.integers(try c.decode(Data.self, forKey: .sums))
        squares = try Self.integers(try c.decode(Data.self, forKey: .squares))
        let size = rows.multipliedReportingOverflow(by: chains)
        guard rows >= 0, chains >= 1, !size.overflow, counts.count == size.partialValue,
              sums.count == size.partialValue, squares.count == size.partialValue else {
            throw DecodingError.dataCorruptedError(forKey: .counts, in: c, debugDescription: "moments do not match their shape")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(chains, forKey: .chains)
        try c.encode(counts, forKey: .counts)
        try c.encode(Self.bytes(sums), forKey: .sums)
        try c.encode(Self.bytes(squares), forKey: .squares)
    }

    /// 16 little-endian bytes per value (base64 in JSON): compact and exact.
    private static func bytes(_ values: [Int128]) -> Data { PackedIntegers.data(values) }

    private static func integers(_ data: Data) throws -> [Int128] {
        guard let values = PackedIntegers.values(data, as: Int128.self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "sums are not 16-byte integers"))
        }
        return values
    }
}
