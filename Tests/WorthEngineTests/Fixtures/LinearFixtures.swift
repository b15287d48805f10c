import Foundation
@testable import WorthEngine

/// Small seeded classification problems for the linear-model and valuation tests.
enum LinearFixtures {
    /// `n` rows in `d` features: class c (round-robin) centred at `separation`·(±1 pattern of c),
    /// plus standard normal noise. Labels in 0..<classes.
    static func blobs(n: Int, d: Int, classes: Int, separation: Double = 1.5, seed: UInt64) -> (x: Matrix, y: [Int]) {
        var g = SeededGenerator(seed: seed)
        var storage = [Double]()
        var labels = [Int]()
        for i in 0..<n {
            let c = i % classes
            for j in 0..<d {
                let centre = ((c >> (j % 4)) & 1 == 1 ? 1.0 : -1.0) * separation * (j == c % max(d, 1) ? 1.5 : 1)
                storage.append(centre + gaussian(&g))
            }
            labels.append(c)
        }
        return (Matrix(rows: n, columns: d, storage: storage), labels)
    }

    /// A standard normal draw (Box–Muller).
    static func gaussian(_ g: inout SeededGenerator) -> Double {
        let u = max(g.nextUnit(), 1e-300), v = g.nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// max |a_i − b_i|.
    static func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// Pearson correlation of two equally long samples.
    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (u, v) in zip(a, b) {
            sab += (u - ma) * (v - mb)
            saa += (u - ma) * (u - ma)
            sbb += (v - mb) * (v - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }
}
