/// The engine's one shape for a valuator's work: `execute` runs the valuation to its end,
/// offering progress to the reporter and returning the final update; the default `run(_:)`
/// turns it into the `Valuator` stream (detached, throttled, cancelled when the stream ends;
/// see `makeValuationStream`). Every method of the catalog is one of these; a valuator that
/// streams by other means (a test fixture) conforms to `Valuator` alone.
protocol ValuationRun: Valuator {
    /// Values `problem`'s rows: offers intermediate updates to `reporter`, checks for
    /// cancellation between units of work, and returns the final update (`stop` set).
    func execute(_ problem: ValuationProblem, reporter: ProgressReporter) async throws -> ValuationUpdate
}

extension ValuationRun {
    public func run(_ problem: ValuationProblem) -> AsyncThrowingStream<ValuationUpdate, Error> {
        makeValuationStream { reporter in try await execute(problem, reporter: reporter) }
    }
}
