import Foundation
import Testing
@testable import WorthEngine

@Suite struct FixedPointTests {
    @Test func encodeIsTheRoundedIntegerOfTheScaledValue() {
        var g = SeededGenerator(seed: 4)
        var values: [Double] = [0, -0.0, 1, -1, 0x1p-64, -0x1p-64, 0x1p-65, -0x1p-65, 1.5 * 0x1p-64, -1.5 * 0x1p-64,
                                2.5 * 0x1p-64, 0x1p-80, FixedPoint.limit, -FixedPoint.limit, 0x1p62, -0x1p62,
                                FixedPoint.limit * FixedPoint.limit, 1 - 0x1p-53, -(1 - 0x1p-53)]
        for _ in 0..<20_000 {
            let exponent = Double(g.nextInt(below: 100)) - 80  // 2^-80 ... 2^19
            values.append((g.nextUnit() * 2 - 1) * exp2(exponent))
            values.append(Double(g.nextInt(below: 1 << 20)) - Double(1 << 19))
        }
        for x in values {
            #expect(FixedPoint.encode(x) == Int128((x * 0x1p64).rounded()), "\(x)")
            #expect(FixedPoint.decode(FixedPoint.encode(x)) == (x * 0x1p64).rounded() * 0x1p-64, "\(x)")
        }
    }

    @Test func decodeIsTheCorrectlyRoundedDouble() {
        var g = SeededGenerator(seed: 9)
        var values: [Int128] = [0, 1, -1, .max, .min, .max - 1, .min + 1, 1 << 53, (1 << 53) + 1, (1 << 54) + 2, (1 << 54) + 6,
                                (1 << 64) - 1, 1 << 64, (1 << 64) + 1, -(1 << 64), (1 << 117) + (1 << 64) + 1]
        for _ in 0..<20_000 {
            let word = Int128(_low: g.next(), _high: Int64(bitPattern: g.next()))
            values.append(word >> g.nextInt(below: 127))
            // Halfway cases: 54 significant bits ending in 1, then zeros (or one more bit).
            let half = (Int128(g.next() >> 10) | 1) << g.nextInt(below: 60)
            values += [half, -half, half + 1]
        }
        for v in values {
            #expect(FixedPoint.decode(v).bitPattern == (Double(v) * 0x1p-64).bitPattern, "\(v)")
        }
    }
}
