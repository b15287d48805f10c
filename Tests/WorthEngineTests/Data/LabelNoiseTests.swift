import Testing
@testable import WorthEngine

@Suite struct LabelNoiseTests {
    @Test func flipsTheRoundedFractionAndAlwaysChangesTheLabel() {
        let original = (0..<50).map { $0 % 3 }
        var labels = original
        let flipped = LabelNoise.flip(&labels, fraction: 0.1, classCount: 3, seed: 4)
        #expect(flipped.count == 5)
        for i in labels.indices {
            #expect((labels[i] != original[i]) == flipped.contains(i))
            #expect((0..<3).contains(labels[i]))
        }
    }

    @Test func zeroFractionChangesNothing() {
        var labels = [0, 1, 0, 1]
        #expect(LabelNoise.flip(&labels, fraction: 0, classCount: 2, seed: 1).isEmpty)
        #expect(labels == [0, 1, 0, 1])
    }
}
