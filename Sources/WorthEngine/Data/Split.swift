/// Which rows of a dataset are valued, which validate and which test: the engine's one split.
///
/// Index sets refer to rows of one `Dataset`, each sorted ascending and disjoint.
public struct Split: Sendable, Equatable {
    /// Rows whose value is estimated.
    public var valued: [Int]
    /// Rows used to score models (utility) during valuation.
    public var validation: [Int]
    /// Rows kept apart for evaluation (empty outside `worth eval`).
    public var test: [Int]

    public init(valued: [Int], validation: [Int], test: [Int]) {
        self.valued = valued
        self.validation = validation
        self.test = test
    }

    /// A deterministic stratified split: within each class, rows are shuffled by a generator
    /// seeded with `seed` and the class, then `round(n_c × testFraction)` go to test,
    /// `round(n_c × validationFraction)` to validation and the rest are valued. Every class
    /// keeps at least one valued row.
    ///
    /// - Parameters:
    ///   - labels: class index of each row, in `0..<classCount`.
    ///   - validationFraction: in [0, 1).
    ///   - testFraction: in [0, 1); `validationFraction + testFraction` < 1.
    public static func stratified(labels: [Int], classCount: Int, validationFraction: Double,
                                  testFraction: Double, seed: UInt64) -> Split {
        precondition(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1)
        var byClass = Array(repeating: [Int](), count: classCount)
        for (i, y) in labels.enumerated() { byClass[y].append(i) }
        var valued: [Int] = [], validation: [Int] = [], test: [Int] = []
        for (c, rows) in byClass.enumerated() where !rows.isEmpty {
            var rng = SeededGenerator(seed: seed, stream: 0x5_9117 &+ UInt64(c))
            var shuffled = rows
            rng.shuffle(&shuffled)
            let n = rows.count
            var nTest = Int((Double(n) * testFraction).rounded())
            var nValid = Int((Double(n) * validationFraction).rounded())
            while nTest + nValid > n - 1 {
                if nValid >= nTest && nValid > 0 { nValid -= 1 } else if nTest > 0 { nTest -= 1 } else { break }
            }
            test += shuffled[0..<nTest]
            validation += shuffled[nTest..<(nTest + nValid)]
            valued += shuffled[(nTest + nValid)...]
        }
        return Split(valued: valued.sorted(), validation: validation.sorted(), test: test.sorted())
    }
}
