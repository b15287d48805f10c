import Foundation

/// A seeded synthetic classification problem of any size, for benchmarks: the same rows whether
/// they are made in memory or written to a CSV file, so a method can be timed at a million rows
/// without the loader, and the loader can be timed on the very same data.
///
/// Like scikit-learn's `make_classification`, in spirit: each class has a centroid whose first
/// ⌈d/2⌉ coordinates are ±`separation` (random signs, fixed by the seed) and whose others are 0;
/// a row is its class's centroid plus standard normal noise on every feature. The class is
/// uniform over `0..<classes`; in a noisy row it is then moved by 1…C−1 classes (mod C) with
/// probability `flipFraction`, as `LabelNoise` does. Every value is a multiple of 10⁻⁴, so its
/// CSV text (`-1.2345`) parses back to the same `Double`.
///
/// Row i draws from its own `SeededGenerator(seed:stream: i)`, so any range of rows can be
/// made alone, in any order.
public struct SyntheticClassification: Sendable {
    /// Features per row, ≥ 1.
    public let features: Int
    /// Number of classes, ≥ 2.
    public let classes: Int
    /// Distance of each informative centroid coordinate from 0, ≥ 0.
    public let separation: Double
    /// Chance that a noisy row's label is moved to another class, in [0, 1].
    public let flipFraction: Double
    public let seed: UInt64
    /// Centroid coordinates, class by class (`classes` × `features`).
    private let centroids: [Double]

    public init(features: Int, classes: Int = 2, separation: Double = 0.3, flipFraction: Double = 0.1, seed: UInt64 = 0) {
        precondition(features >= 1 && classes >= 2 && separation >= 0 && (0...1).contains(flipFraction))
        self.features = features
        self.classes = classes
        self.separation = separation
        self.flipFraction = flipFraction
        self.seed = seed
        var g = SeededGenerator(seed: seed ^ 0x5EED_C3A5_C85C_97CB, stream: 0)
        let informative = (features + 1) / 2
        var centroids = [Double](repeating: 0, count: classes * features)
        for c in 0..<classes {
            for j in 0..<informative { centroids[c * features + j] = g.nextInt(below: 2) == 0 ? -separation : separation }
        }
        self.centroids = centroids
    }

    /// One row: its features (10⁻⁴ × an integer each) into `out` (count `features`), its label,
    /// and whether that label was flipped (only when `noisy`).
    public func row(_ i: Int, noisy: Bool, into out: UnsafeMutableBufferPointer<Double>) -> (label: Int, flipped: Bool) {
        var g = SeededGenerator(seed: seed, stream: UInt64(i))
        let label = g.nextInt(below: classes)
        centroids.withUnsafeBufferPointer { all in
            let centroid = all.baseAddress! + label * features
            func set(_ j: Int, _ z: Double) { out[j] = ((centroid[j] + z) * 10_000).rounded() / 10_000 }
            var j = 0
            while j < features {
                // Box-Muller: two standard normals from two uniforms.
                let u = 1 - g.nextUnit(), v = g.nextUnit()
                let radius = (-2 * log(u)).squareRoot()
                set(j, radius * cos(2 * .pi * v))
                if j + 1 < features { set(j + 1, radius * sin(2 * .pi * v)) }
                j += 2
            }
        }
        let flip = g.nextUnit()
        guard noisy && flip < flipFraction else { return (label, false) }
        return ((label + 1 + g.nextInt(below: classes - 1)) % classes, true)
    }

    /// Rows `rows` as a matrix, with their labels and which labels were flipped.
    public func make(rows: Range<Int>, noisy: Bool) -> (x: Matrix, labels: [Int], flipped: [Bool]) {
        let n = rows.count, d = features
        var labels = [Int](repeating: 0, count: n), flipped = [Bool](repeating: false, count: n)
        let storage = [Double](unsafeUninitializedCapacity: n * d) { buffer, initialized in
            for (k, i) in rows.enumerated() {
                (labels[k], flipped[k]) = row(i, noisy: noisy, into: UnsafeMutableBufferPointer(rebasing: buffer[(k * d)..<((k + 1) * d)]))
            }
            initialized = n * d
        }
        return (Matrix(rows: n, columns: d, storage: storage), labels, flipped)
    }

    /// Appends rows `rows` as CSV lines (`x0,…,label`, four decimals) to `text`.
    public func appendCSV(rows: Range<Int>, noisy: Bool, to text: inout [UInt8]) {
        var values = [Double](repeating: 0, count: features)
        for i in rows {
            let label = values.withUnsafeMutableBufferPointer { row(i, noisy: noisy, into: $0).label }
            for x in values {
                Self.appendDecimal(x, to: &text)
                text.append(UInt8(ascii: ","))
            }
            text.append(contentsOf: String(label).utf8)
            text.append(UInt8(ascii: "\n"))
        }
    }

    /// The CSV header: `x0,x1,…,label`.
    public var csvHeader: String {
        (0..<features).map { "x\($0)" }.joined(separator: ",") + ",label\n"
    }

    /// Writes `x` (a multiple of 10⁻⁴) as `[-]I.FFFF`, exactly, without floating-point printing.
    static func appendDecimal(_ x: Double, to text: inout [UInt8]) {
        let k = Int((x * 10_000).rounded())
        if k < 0 { text.append(UInt8(ascii: "-")) }
        let magnitude = k.magnitude
        text.append(contentsOf: String(magnitude / 10_000).utf8)
        text.append(UInt8(ascii: "."))
        let fraction = magnitude % 10_000
        let zero = UInt8(ascii: "0")
        text.append(zero + UInt8(fraction / 1000))
        text.append(zero + UInt8(fraction / 100 % 10))
        text.append(zero + UInt8(fraction / 10 % 10))
        text.append(zero + UInt8(fraction % 10))
    }
}
