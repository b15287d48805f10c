import Foundation
import Synchronization

/// Pauses and resumes a running valuation from outside it: the engine's pause gate.
///
/// A valuation started with `Valuator.run(_:control:)` checks its control where it checks
/// cancellation: between chunks of units (`runChunks`) and inside long units (a permutation's
/// model fits, at `UnitInterrupt.check()`). While the control is paused no unit starts and no
/// finished one is merged, so the progress stream falls silent and the CPU goes idle; a unit
/// caught in the middle is abandoned and run again from its start after `resume()`. Nothing
/// blocks a thread while paused (the waits are task suspensions), so the rest of the program
/// keeps every core. Pausing never changes a value: units are seeded by their index and merged
/// in index order, whenever and however often they run.
///
/// The elapsed time of every update, and time budgets (`StoppingRule.maxSeconds`), exclude the
/// time spent paused. A paused run can be cancelled as usual (cancel the task iterating its
/// stream, or end the iteration).
///
/// A terminal UI holds one per run: `p` pauses and resumes it. The command line needs none.
public final class RunControl: Sendable {
    private struct State {
        /// When the current pause began; nil while running.
        var pausedSince: ContinuousClock.Instant?
        /// Time spent in pauses that have ended.
        var pausedBefore: Duration = .zero
    }

    private let state = Mutex(State())

    /// A control that is not paused.
    public init() {}

    /// Pauses the run: no unit of work starts until `resume()`. Pausing a paused run does nothing.
    public func pause() {
        state.withLock { s in
            if s.pausedSince == nil { s.pausedSince = .now }
        }
    }

    /// Lets a paused run go on. Resuming a running one does nothing.
    public func resume() {
        state.withLock { s in
            guard let since = s.pausedSince else { return }
            s.pausedBefore += ContinuousClock.now - since
            s.pausedSince = nil
        }
    }

    /// Whether the run is paused.
    public var isPaused: Bool { state.withLock { $0.pausedSince != nil } }

    /// Time spent paused so far, the current pause included.
    public var pausedTime: Duration {
        state.withLock { s in s.pausedBefore + (s.pausedSince.map { ContinuousClock.now - $0 } ?? .zero) }
    }

    /// How often a waiting task looks whether it may go on.
    static let pollInterval = Duration.milliseconds(20)

    /// Suspends the calling task while the run is paused; returns at once when the task is
    /// cancelled, so the caller's cancellation check sees it.
    func waitWhilePaused() async {
        while isPaused && !Task.isCancelled {
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// The control of the valuation the current task belongs to: bound by
    /// `Valuator.run(_:control:)` while the stream is made, and carried into the valuation's
    /// detached task (and its child tasks) by `makeValuationStream`.
    @TaskLocal static var current: RunControl?
}

/// Thrown by a unit of work that stopped at a pause (`UnitInterrupt.check()`); `runChunks`
/// runs its chunk again from the start once the run is resumed.
struct UnitPaused: Error {}

extension Valuator {
    /// Starts valuing `problem`'s rows like `run(_:)`, pausable through `control`.
    ///
    /// Valuators built on the engine's stream honour the control; a valuator that does not
    /// simply never pauses.
    public func run(_ problem: ValuationProblem, control: RunControl) -> AsyncThrowingStream<ValuationUpdate, Error> {
        RunControl.$current.withValue(control) { run(problem) }
    }
}
