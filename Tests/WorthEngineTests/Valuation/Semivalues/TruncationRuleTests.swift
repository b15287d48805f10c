import Testing
@testable import WorthEngine

@Suite struct TruncationRuleTests {
    @Test func truncatesAfterTheGivenNumberOfCloseStepsInARow() {
        var tracker = TruncationRule.Tracker(rule: TruncationRule(tolerance: 0.01, steps: 3), full: 0.8)
        // 0.795 and 0.805 are within 1% of 0.8 (0.008); 0.7 is not and restarts the count.
        let scores = [0.5, 0.795, 0.805, 0.7, 0.795, 0.8, 0.807]
        let truncated = scores.map { tracker.truncates(after: $0) }
        #expect(truncated == [false, false, false, false, false, false, true])
    }

    @Test func negativeScoresUseTheMagnitudeOfTheFullScore() {
        var tracker = TruncationRule.Tracker(rule: TruncationRule(tolerance: 0.1, steps: 1), full: -0.5)
        let far = tracker.truncates(after: -0.56)
        let close = tracker.truncates(after: -0.46)
        #expect(!far && close)
    }
}
