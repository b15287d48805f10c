/// Builds the utility a Monte Carlo semivalue scores subsets with, from the problem's data.
public typealias UtilityFactory = @Sendable (ValuationProblem) throws -> any Utility

extension SemivalueDriver {
    /// Makes the utility, fits it once on all valued rows (its score is what truncation aims
    /// at, and the fitted model is every unit's warm start, so units stay independent of each
    /// other), builds the scheme and runs.
    func value<Scheme: SemivalueScheme>(
        _ problem: ValuationProblem, utility makeUtility: UtilityFactory, unitName: String,
        reporter: ProgressReporter, scheme makeScheme: (_ rows: Int, _ fullScore: Double) -> Scheme
    ) async throws -> ValuationUpdate {
        let n = problem.count
        guard n > 0 else { throw InputError("\(settings.method) needs at least one valued row") }
        var utility = try makeUtility(problem)
        precondition(utility.count == n, "the utility must score subsets of the problem's valued rows")
        reporter.offer(force: true) {
            ValuationUpdate(done: 0, total: nil, unit: unitName, phase: "fitting on all \(n) rows",
                            estimate: ValuationEstimate(values: Array(repeating: .nan, count: n)),
                            elapsed: reporter.elapsed)
        }
        let full = utility.score(problem.allRows)
        guard full.isFinite else { throw nonFiniteScore(utility, rows: n) }
        var driver = self
        driver.settings.utility = utility.identity
        return try await driver.run(makeScheme(n, full), utility: utility, problem: problem, reporter: reporter)
    }
}
