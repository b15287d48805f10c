/// A data valuation method.
///
/// Running it returns a stream of `ValuationUpdate`s: throttled progress (about ten a second)
/// carrying the estimate so far, then one final update with `stop` set, then the end of the
/// stream. Work runs detached from the caller, in parallel over `problem.workers`; ending the
/// iteration (or cancelling the task that iterates) cancels it promptly, and the last update
/// received holds the estimate so far. The same problem and seed give the same values on any
/// number of workers.
public protocol Valuator: Sendable {
    /// Starts valuing `problem`'s rows.
    func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error>
}

extension Valuator {
    /// Runs to the end and returns the final update, ignoring progress; for tests and scripts.
    public func finalUpdate(_ problem: ValuationProblem) async throws -> ValuationUpdate {
        var last: ValuationUpdate?
        for try await update in run(problem) { last = update }
        guard let last else { throw CancellationError() }
        return last
    }
}
