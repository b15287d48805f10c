import Foundation
import Synchronization

/// Builds a valuator's progress stream: runs `body` detached (so a caller blocking its own
/// thread, like a terminal UI's key loop, does not starve it), yields the throttled updates it
/// offers and then the final update it returns. Ending the stream cancels `body`. The caller's
/// `RunControl` (bound by `Valuator.run(_:control:)`) goes with `body` into its task.
func makeValuationStream(
    _ body: @escaping @Sendable (ProgressReporter) async throws -> ValuationUpdate
) -> AsyncThrowingStream<ValuationUpdate, Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(
        of: ValuationUpdate.self, bufferingPolicy: .bufferingNewest(1))
    ValuationWork.running.withLock { $0 += 1 }
    let control = RunControl.current
    let task = Task.detached {
        defer { ValuationWork.running.withLock { $0 -= 1 } }
        let reporter = ProgressReporter(continuation: continuation, control: control)
        do {
            let final = try await RunControl.$current.withValue(control) { try await body(reporter) }
            continuation.yield(final)
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
}

/// The valuations running in this process, so that a program can let them finish before it
/// exits: a cancelled run stops promptly, but it may still be saving its checkpoint.
public enum ValuationWork {
    static let running = Mutex(0)

    /// Waits (polling every 10 ms, at most `timeout` seconds) until every valuation started in
    /// this process has stopped. Call it after cancelling a run and before exiting.
    public static func finish(timeout: Double = 10) async {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The same for a synchronous caller that owns its thread (a terminal UI's key loop on
    /// the main thread); never call it from a task, whose thread the engine may need.
    public static func finishBlocking(timeout: Double = 10) {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
    }

    /// Whether a valuation is running in this process.
    public static var isRunning: Bool { running.withLock { $0 } > 0 }
}

/// Hands a running valuation's intermediate updates to its stream, at most about ten a second,
/// and measures elapsed time (time spent paused excluded).
final class ProgressReporter: Sendable {
    private let continuation: AsyncThrowingStream<ValuationUpdate, Error>.Continuation
    private let start = ContinuousClock.now
    private let control: RunControl?
    private let lastSent = Mutex<ContinuousClock.Instant?>(nil)
    /// Minimum time between two intermediate updates.
    let interval: Duration

    init(continuation: AsyncThrowingStream<ValuationUpdate, Error>.Continuation, interval: Duration = .milliseconds(100),
         control: RunControl? = nil) {
        self.continuation = continuation
        self.interval = interval
        self.control = control
    }

    /// Seconds since the run started, less the time it spent paused.
    var elapsed: Double {
        let d = ContinuousClock.now - start - (control?.pausedTime ?? .zero)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// True when an update offered now would be sent (so callers can skip building it).
    var isDue: Bool {
        let now = ContinuousClock.now
        return lastSent.withLock { last in last.map { now - $0 >= interval } ?? true }
    }

    /// Sends the update built by `make` if the last one went out at least `interval` ago
    /// (or `force` is set). `make` is only called when the update is sent.
    func offer(force: Bool = false, _ make: () -> ValuationUpdate) {
        let now = ContinuousClock.now
        let due = lastSent.withLock { last -> Bool in
            if force || last.map({ now - $0 >= interval }) ?? true {
                last = now
                return true
            }
            return false
        }
        if due { continuation.yield(make()) }
    }
}
