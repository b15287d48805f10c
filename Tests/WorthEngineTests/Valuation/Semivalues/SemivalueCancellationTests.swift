import Testing
@testable import WorthEngine
import WorthTestSupport

@Suite struct SemivalueCancellationTests {
    static let n = 6

    @Test(.timeLimit(.minutes(1)))
    func cancellationReturnsThePartialEstimateAndItsCheckpointResumesExactly() async throws {
        let directory = TemporaryDirectory()
        let checkpoint = directory.file("checkpoint.json")
        let slowed = SlowedUtility(game: GameUtility(count: Self.n), limit: 250)
        let problem = placeholderProblem(count: Self.n)
        let budget = 1_000_000
        let interrupted = SemivalueValuator.tmcShapley(utility: { _ in slowed }, truncation: nil, stopping: .maxUnits(budget),
                                                       session: RunSession(checkpoint: checkpoint))
        let task = Task { try await runDirectly { try await interrupted.execute(problem, reporter: $0) } }
        while slowed.game.calls.value < 250 { try await Task.sleep(for: .milliseconds(2)) }
        task.cancel()
        let partial = try await task.value
        #expect(partial.stop == .cancelled)
        #expect(partial.done > 0 && partial.done < budget)

        // The partial estimate is exactly that of the units done, and the checkpoint holds them.
        let same = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: Self.n) }, truncation: nil, stopping: .maxUnits(partial.done))
        #expect(try await same.finalUpdate(problem).estimate == partial.estimate)
        let saved = try SemivalueState.load(from: checkpoint)
        #expect(saved.unitsDone == partial.done)

        // Resuming the checkpoint gives what an uninterrupted run gives.
        let target = partial.done + 37
        let resumed = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: Self.n) }, truncation: nil, stopping: .maxUnits(target),
                                                   session: RunSession(resume: saved))
        let uninterrupted = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: Self.n) }, truncation: nil, stopping: .maxUnits(target))
        #expect(try await resumed.finalUpdate(problem).estimate == uninterrupted.finalUpdate(problem).estimate)
    }

    @Test(.timeLimit(.minutes(1)))
    func endingTheStreamStopsTheRun() async throws {
        let slowed = SlowedUtility(game: GameUtility(count: Self.n), limit: 100)
        let valuator = SemivalueValuator.banzhaf(utility: { _ in slowed }, stopping: .maxUnits(1_000_000))
        var updates = 0
        for try await update in valuator.run(placeholderProblem(count: Self.n)) {
            updates += 1
            if update.phase == nil { break }
        }
        #expect(updates >= 1)
        // The run is cancelled: units in flight (at most `workers` chunks of 4) end at their
        // next check, nothing new starts.
        let calls = slowed.game.calls.value
        try await Task.sleep(for: .milliseconds(50))
        #expect(slowed.game.calls.value <= calls + 2 * 2 * 4)
    }

    @Test(.timeLimit(.minutes(1)))
    func aTimeBudgetEndsTheRunAndSaysSo() async throws {
        // Every fit takes a millisecond: a million permutations would take hours.
        let slowed = SlowedUtility(game: GameUtility(count: Self.n), limit: 0)
        let valuator = SemivalueValuator.tmcShapley(utility: { _ in slowed }, stopping: .maxUnits(1_000_000) || .maxSeconds(0.05))
        let update = try await valuator.finalUpdate(placeholderProblem(count: Self.n))
        #expect(update.stop == .budget("0.05 s"))
        #expect(update.done < 1_000_000)
    }
}
