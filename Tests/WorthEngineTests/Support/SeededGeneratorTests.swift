import Testing
@testable import WorthEngine

@Suite struct SeededGeneratorTests {
    @Test func streamsAreReproducibleAndDistinct() {
        var a = SeededGenerator(seed: 7, stream: 3)
        var b = SeededGenerator(seed: 7, stream: 3)
        var c = SeededGenerator(seed: 7, stream: 4)
        let xa = (0..<8).map { _ in a.next() }
        #expect(xa == (0..<8).map { _ in b.next() })
        #expect(xa != (0..<8).map { _ in c.next() })
    }

    @Test func nextIntIsUniformAndInRange() {
        var g = SeededGenerator(seed: 1)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<50_000 { counts[g.nextInt(below: 5)] += 1 }
        for c in counts { #expect(abs(c - 10_000) < 500) }
    }

    @Test func permutationHoldsEveryIndexOnce() {
        var g = SeededGenerator(seed: 2)
        let p = g.permutation(100)
        #expect(p.sorted() == Array(0..<100))
        #expect(p != Array(0..<100))
    }
}
