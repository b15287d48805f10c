import Foundation
import Synchronization
import Testing
@testable import WorthEngine

/// The pause gate: a paused run does no work, reports no progress, and ends with the values it
/// would have had without the pause.
@Suite struct RunControlTests {
    static let n = 6

    /// The newest update of a stream iterated in the background.
    final class Latest: Sendable {
        let update = Mutex<ValuationUpdate?>(nil)
        var done: Int { update.withLock { $0?.done ?? 0 } }
    }

    /// Iterates `stream` in a task, keeping its newest update; the task returns the final one.
    func follow(_ stream: AsyncThrowingStream<ValuationUpdate, Error>, into latest: Latest) -> Task<ValuationUpdate?, Error> {
        Task.detached {
            var last: ValuationUpdate?
            for try await u in stream {
                latest.update.withLock { $0 = u }
                last = u
            }
            return last
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aPausedRunDoesNoWorkAndResumesToTheSameValues() async throws {
        // Every fit after the 60th takes a millisecond: 400 permutations of 6 take about a second.
        let slowed = SlowedUtility(game: GameUtility(count: Self.n), limit: 60)
        var problem = placeholderProblem(count: Self.n)
        problem.workers = 2
        let valuator = SemivalueValuator.tmcShapley(utility: { _ in slowed }, truncation: nil, stopping: .maxUnits(400))
        let control = RunControl()
        let latest = Latest()
        let started = ContinuousClock.now
        let run = follow(valuator.run(problem, control: control), into: latest)
        while latest.done < 20 { try await Task.sleep(for: .milliseconds(5)) }
        control.pause()
        #expect(control.isPaused)
        // Units in flight stop at their next fit; then nothing moves.
        try await Task.sleep(for: .milliseconds(100))
        let done = latest.done, calls = slowed.game.calls.value
        try await Task.sleep(for: .seconds(2))
        #expect(latest.done == done)
        #expect(slowed.game.calls.value == calls)
        #expect(done < 400)
        control.resume()
        let final = try #require(try await run.value)
        let wall = ContinuousClock.now - started
        #expect(final.stop == .budget("400 permutations"))
        #expect(control.pausedTime >= .seconds(2))
        // Elapsed time leaves the pause out.
        #expect(final.elapsed <= Double((wall - .seconds(2)).components.seconds) + 1)

        let unpaused = try await SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: Self.n) }, truncation: nil,
                                                              stopping: .maxUnits(400)).finalUpdate(problem)
        #expect(final.estimate == unpaused.estimate)
    }

    @Test(.timeLimit(.minutes(1)))
    func aPausedRunCanBeCancelled() async throws {
        let slowed = SlowedUtility(game: GameUtility(count: Self.n), limit: 30)
        let valuator = SemivalueValuator.tmcShapley(utility: { _ in slowed }, truncation: nil, stopping: .maxUnits(1_000_000))
        let control = RunControl()
        let problem = placeholderProblem(count: Self.n)
        let run = Task.detached {
            try await RunControl.$current.withValue(control) {
                try await runDirectly { try await valuator.execute(problem, reporter: $0) }
            }
        }
        while slowed.game.calls.value < 60 { try await Task.sleep(for: .milliseconds(5)) }
        control.pause()
        try await Task.sleep(for: .milliseconds(200))
        let calls = slowed.game.calls.value
        let cancelledAt = ContinuousClock.now
        run.cancel()
        // The units waiting at the gate notice the cancellation; the run ends with what it had.
        let partial = try await run.value
        #expect(ContinuousClock.now - cancelledAt < .seconds(2))
        #expect(partial.stop == .cancelled)
        #expect(slowed.game.calls.value == calls)
    }

    /// Between chunks: while paused, `runChunks` merges nothing and launches nothing.
    @Test(.timeLimit(.minutes(1)))
    func chunksWaitWhilePaused() async throws {
        let control = RunControl()
        let launched = Atomic<Int>(0)
        let merged = Mutex(0)
        control.pause()
        let task = Task.detached {
            try await RunControl.$current.withValue(control) {
                try await runChunks(units: 0..<40, chunkSize: 2, workers: 2, work: { range in
                    launched.add(1, ordering: .relaxed)
                    return range.count
                }, merge: { _, count in
                    merged.withLock { $0 += count }
                    return .proceed
                })
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        // The first chunks were launched before the gate was looked at; none was merged.
        #expect(merged.withLock { $0 } == 0)
        #expect(launched.load(ordering: .relaxed) <= 4)
        control.resume()
        #expect(try await task.value == .completed)
        #expect(merged.withLock { $0 } == 40)
    }

    @Test func pausedTimeAddsUpAcrossPauses() async throws {
        let control = RunControl()
        #expect(control.pausedTime == .zero && !control.isPaused)
        control.resume()                      // resuming a running control does nothing
        control.pause()
        try await Task.sleep(for: .milliseconds(50))
        control.pause()                       // nor does pausing a paused one restart the clock
        control.resume()
        let first = control.pausedTime
        #expect(first >= .milliseconds(50))
        try await Task.sleep(for: .milliseconds(30))
        #expect(control.pausedTime == first)
        control.pause()
        try await Task.sleep(for: .milliseconds(30))
        #expect(control.pausedTime >= first + .milliseconds(30))
    }
}
