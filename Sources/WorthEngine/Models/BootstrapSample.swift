/// A sample of rows drawn with replacement, kept as how many times each row was drawn: a
/// bootstrap bag without a copy of any row.
///
/// Counts are bytes, the narrowest type that is nearly always enough (n draws over n rows give
/// each row a Poisson(1) count): a million-row bag is 1 MB, which stays in cache while it is
/// drawn. It is still exact: draws of a row beyond `limit` are listed in `extra`, once per draw.
/// That list is empty unless some row was drawn more than 255 times, which for n draws over n
/// rows has a chance below n/256!.
struct BootstrapSample: Sendable {
    /// Draws of each row, up to `limit`.
    private(set) var counts: [UInt8]
    /// Rows drawn more than `limit` times, once per draw beyond the limit.
    private(set) var extra: [Int32] = []
    /// Most draws `counts` holds for one row (255; lower only in tests of `extra`).
    let limit: UInt8

    /// An empty sample of `rows` rows (fewer than 2³¹).
    init(rows: Int, limit: UInt8 = .max) {
        precondition(rows < Int(Int32.max) && limit >= 1)
        counts = [UInt8](repeating: 0, count: rows)
        self.limit = limit
    }

    /// Number of rows.
    var rows: Int { counts.count }

    /// Makes this the bootstrap sample of size n = `rows`: n draws of `generator.nextInt(below: n)`.
    mutating func draw(generator: inout SeededGenerator) {
        let n = counts.count, limit = self.limit
        extra.removeAll(keepingCapacity: true)
        var extra = self.extra
        self.extra = []
        counts.withUnsafeMutableBufferPointer { c in
            c.update(repeating: 0)
            for _ in 0..<n {
                let row = generator.nextInt(below: n)
                if c[row] < limit { c[row] &+= 1 } else { extra.append(Int32(truncatingIfNeeded: row)) }
            }
        }
        self.extra = extra
    }

    /// Adds one draw of `row`.
    mutating func add(_ row: Int) {
        if counts[row] < limit { counts[row] += 1 } else { extra.append(Int32(row)) }
    }

    /// How many times `row` was drawn.
    func count(of row: Int) -> Int {
        Int(counts[row]) + (counts[row] == limit ? extra.lazy.filter { Int($0) == row }.count : 0)
    }
}
