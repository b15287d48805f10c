/// When a run computes its convergence figures: every `every` units, with stopping on them
/// allowed from `burnIn` units on. OpenDataVal checks every 100 permutations after 500; a small
/// budget checks every budget/20 units (a multiple of 10, at least 10) after five checks, so a
/// run of 200 permutations still gets a chart and a chance to stop.
struct ConvergenceSchedule: Equatable {
    let every: Int
    let burnIn: Int

    init(budget: Int?) {
        every = min(100, max(10, (budget ?? .max) / 20 / 10 * 10))
        burnIn = 5 * every
    }
}

/// The loop shared by the Monte Carlo semivalues: plans the units (whole run, shard or resumed
/// rest), runs them through `runChunks`, folds each unit into the statistics in index order,
/// checks convergence and stopping rules, saves checkpoints, offers progress, and returns the
/// final update.
struct SemivalueDriver: Sendable {
    /// What each unit computes (recorded in the state).
    var settings: SemivalueSettings
    var stopping: StoppingRule
    var session: RunSession

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

    func run<Scheme: SemivalueScheme>(_ scheme: Scheme, utility base: any Utility, problem: ValuationProblem,
                                      reporter: ProgressReporter) async throws -> ValuationUpdate {
        let rows = base.count
        let unitName = scheme.unitName
        let budget = stopping.unitLimit
        let rules = session.shard == nil ? stopping : stopping.budgetsOnly
        let plan: Range<Int>
        if let shard = session.shard {
            guard let budget else { throw InputError(.shardNeedsBudget(unit: unitName)) }
            plan = shard.units(of: budget)
        } else {
            plan = 0..<(budget ?? Int.max / 2)
        }
        var state = try initialState(rows: rows, budget: budget, plan: plan, seed: problem.seed,
                                     unitName: unitName, twoSided: scheme.twoSided)
        let schedule = ConvergenceSchedule(budget: budget.map { _ in plan.count })
        let start = state.completed.last?.upperBound ?? plan.lowerBound
        let deadline = rules.secondsLimit.map { ContinuousClock.now + .milliseconds(Int64(($0 * 1000).rounded())) }
        let interrupt = UnitInterrupt(deadline: deadline)
        let rHatTarget = rules.rHatTarget

        func update(stop: StopReason?) -> ValuationUpdate {
            let done = (state.completed.last?.upperBound ?? plan.lowerBound) - plan.lowerBound
            return ValuationUpdate(done: done, total: budget == nil ? nil : plan.count, unit: unitName,
                                   estimate: state.estimate, convergence: state.convergence(rHatTarget: rHatTarget),
                                   elapsed: reporter.elapsed, stop: stop)
        }

        var lastSave = ContinuousClock.now
        if let path = session.checkpoint { try state.save(to: path) }

        var stop: StopReason?
        if start >= plan.upperBound && session.resume != nil {
            // Resumed with a budget the state had already used up: say so, not "budget reached
            // (100 permutations) after 815 permutations".
            stop = .budget("\(plan.count) \(unitName); the resumed state already had \(start - plan.lowerBound), so none were run")
        } else if start < plan.upperBound {
            do {
                let outcome = try await runChunks(
                    units: start..<plan.upperBound, chunkSize: scheme.chunkSize, workers: problem.workers,
                    work: { units in
                        try units.map { unit in
                            var utility = base
                            return try scheme.draw(unit: unit, utility: &utility, interrupt: interrupt)
                        }
                    },
                    merge: { units, samples in
                        for (offset, sample) in samples.enumerated() {
                            let unit = units.lowerBound + offset
                            scheme.accumulate(sample, unit: unit, into: &state.statistics)
                            state.markDone(unit)
                            var check = ConvergenceCheck(unitsDone: unit + 1 - plan.lowerBound, unit: unitName,
                                                         elapsed: reporter.elapsed)
                            if check.unitsDone % schedule.every == 0 {
                                record(&state, &check, burnIn: schedule.burnIn)
                            }
                            if let reason = rules.reason(for: check) {
                                stop = reason
                                return .stop
                            }
                        }
                        if let path = session.checkpoint,
                           ContinuousClock.now - lastSave >= .milliseconds(Int64(session.checkpointInterval * 1000)) {
                            try state.save(to: path)
                            lastSave = ContinuousClock.now
                        }
                        reporter.offer { update(stop: nil) }
                        return .proceed
                    })
                switch outcome {
                case .completed: stop = stop ?? .completed
                case .stopped: break
                case .cancelled: stop = .cancelled
                }
            } catch is CancellationError {
                stop = .cancelled
            } catch is UnitInterrupt.DeadlineReached {
                stop = rules.reason(for: ConvergenceCheck(unitsDone: 0, unit: unitName, elapsed: .infinity)) ?? .cancelled
            }
        }
        let final = update(stop: stop ?? (session.shard == nil ? .budget("\(budget ?? 0) \(unitName)") : .completed))
        if let path = session.checkpoint { try state.save(to: path) }
        if let path = session.stateOut { try state.save(to: path) }
        return final
    }

    /// A fresh state for this run, or the resumed one after checking it belongs to this run and
    /// holds one block of units from the start of the plan.
    private func initialState(rows: Int, budget: Int?, plan: Range<Int>, seed: UInt64, unitName: String,
                              twoSided: Bool) throws -> SemivalueState {
        var fresh = SemivalueState(settings: settings, seed: seed, input: session.input, rows: rows, budget: budget,
                                   shard: session.shard, unitName: unitName, twoSided: twoSided)
        guard let resumed = session.resume else { return fresh }
        if let why = fresh.difference(from: resumed, budgets: false) {
            throw InputError(.resumeMismatch("the state was made with \(why)"))
        }
        if resumed.shard != session.shard {
            throw InputError(.resumeMismatch("the state is \(resumed.shard.map { "shard \($0)" } ?? "a whole run"), this run is \(session.shard.map { "shard \($0)" } ?? "a whole run")"))
        }
        if let first = resumed.completed.first, resumed.completed.count > 1 || first.lowerBound != plan.lowerBound {
            throw InputError(.resumeMismatch("the state's \(unitName) are not one block from \(plan.lowerBound) (merge all shards first)"))
        }
        fresh.statistics = resumed.statistics
        fresh.completed = resumed.completed
        fresh.rHatHistory = resumed.rHatHistory
        fresh.changeHistory = resumed.changeHistory
        fresh.lastCheckValues = resumed.lastCheckValues
        return fresh
    }

    /// Computes the convergence figures at a check: appends R-hat and the mean relative change of
    /// the values since the previous check to the histories, and after the burn-in hands R-hat
    /// and the largest standard error to the stopping rules.
    private func record(_ state: inout SemivalueState, _ check: inout ConvergenceCheck, burnIn: Int) {
        let done = check.unitsDone
        let rHat = state.statistics.rHat
        let estimate = state.estimate
        if let rHat { state.rHatHistory.append(ConvergencePoint(done: done, value: rHat)) }
        if let previous = state.lastCheckValues, let change = meanRelativeChange(from: previous, to: estimate.values) {
            state.changeHistory.append(ConvergencePoint(done: done, value: change))
        }
        state.lastCheckValues = estimate.values
        guard done >= burnIn else { return }
        check.rHat = rHat
        if let errors = estimate.standardErrors, errors.allSatisfy(\.isFinite) {
            check.maxStandardError = errors.max()
        }
    }
}

/// How much the values moved since the previous check: mean |new − old| over the rows divided
/// by mean |new|, over the rows defined at both times; nil when there are none or all are 0.
///
/// The paper (Ghorbani & Zou) averages |new − old| / |new| row by row; a row whose value is
/// near 0, common under truncation, then dominates with figures in the millions. Dividing the
/// mean change by the mean magnitude keeps the figure's meaning (0.01: the values moved by 1%
/// of their typical size) without that blow-up.
func meanRelativeChange(from old: [Double], to new: [Double]) -> Double? {
    var change = 0.0
    var magnitude = 0.0
    for (a, b) in zip(old, new) where a.isFinite && b.isFinite {
        change += abs(b - a)
        magnitude += abs(b)
    }
    return magnitude > 0 ? change / magnitude : nil
}
