import Testing
@testable import WorthTUI

@Suite struct DetectionTests {
    @Test func aurocCountsPairsWithTiesAsHalf() {
        // Positives at values 0 and 2, negatives at 1, 2, 3: pairs (pos < neg) = 3 + 0.5 + 1 = 4.5 of 6.
        let v = [0.0, 2, 1, 2, 3]
        let pos = [true, true, false, false, false]
        #expect(detectionAUROC(values: v, positives: pos) == 4.5 / 6)
        #expect(detectionAUROC(values: [1, 2], positives: [true, true]) == nil)
        #expect(detectionAUROC(values: [.nan, 1, 2], positives: [true, true, false]) == 1)
    }
}
