import Testing
@testable import WorthEngine

@Suite struct ValuationUpdateTests {
    func update(done: Int, total: Int?, elapsed: Double, stop: StopReason? = nil) -> ValuationUpdate {
        ValuationUpdate(done: done, total: total, unit: "trees", estimate: ValuationEstimate(values: []), elapsed: elapsed, stop: stop)
    }

    @Test func rateAndTimeLeftAreComputedOnceOnTheUpdate() {
        #expect(update(done: 50, total: 200, elapsed: 2).rate == 25)
        #expect(update(done: 50, total: 200, elapsed: 2).timeLeft == 6)
        #expect(update(done: 50, total: nil, elapsed: 2).timeLeft == nil)
        #expect(update(done: 5, total: 200, elapsed: 0.1).rate == nil)   // too early to say
        #expect(update(done: 0, total: 200, elapsed: 3).rate == nil)
        #expect(update(done: 200, total: 200, elapsed: 8).timeLeft == nil)
        #expect(update(done: 50, total: 200, elapsed: 2, stop: .cancelled).timeLeft == nil)
    }
}
