import Testing
@testable import WorthEngine

@Suite struct StoppingRuleTests {
    @Test func whicheverCriterionIsMetFirstStopsAndSaysWhich() {
        let rule = StoppingRule.maxUnits(1000) || .maxSeconds(60) || .rHat(below: 1.05) || .standardError(below: 0.01)
        #expect(rule.unitLimit == 1000 && rule.secondsLimit == 60 && rule.rHatTarget == 1.05)
        #expect(rule.reason(for: ConvergenceCheck(unitsDone: 10, unit: "permutations", elapsed: 1)) == nil)
        #expect(rule.reason(for: ConvergenceCheck(unitsDone: 1000, unit: "permutations", elapsed: 1)) == .budget("1000 permutations"))
        #expect(rule.reason(for: ConvergenceCheck(unitsDone: 10, unit: "permutations", elapsed: 60.5)) == .budget("60 s"))
        let converged = rule.reason(for: ConvergenceCheck(unitsDone: 500, unit: "permutations", elapsed: 1, rHat: 1.01))
        #expect(converged == .converged("R-hat 1.01 < 1.05"))
        #expect(rule.reason(for: ConvergenceCheck(unitsDone: 500, unit: "permutations", elapsed: 1, rHat: 1.2)) == nil)
        if case .converged = rule.reason(for: ConvergenceCheck(unitsDone: 500, unit: "samples", elapsed: 1, rHat: 1.2, maxStandardError: 0.005)) {
        } else {
            Issue.record("a small enough standard error should stop the run")
        }
    }

    @Test func budgetsOnlyDropsConvergenceCriteria() {
        let rule = (StoppingRule.maxUnits(100) || .rHat(below: 2) || .standardError(below: 1)).budgetsOnly
        #expect(rule.reason(for: ConvergenceCheck(unitsDone: 5, unit: "samples", elapsed: 0, rHat: 1, maxStandardError: 0)) == nil)
        #expect(rule.unitLimit == 100)
    }

    @Test func convergenceScheduleFollowsOpenDataValAndAdaptsToSmallBudgets() {
        #expect(ConvergenceSchedule(budget: nil) == ConvergenceSchedule(budget: 5000))
        #expect(ConvergenceSchedule(budget: 5000).every == 100 && ConvergenceSchedule(budget: 5000).burnIn == 500)
        #expect(ConvergenceSchedule(budget: 1000).every == 50 && ConvergenceSchedule(budget: 1000).burnIn == 250)
        #expect(ConvergenceSchedule(budget: 60).every == 10 && ConvergenceSchedule(budget: 60).burnIn == 50)
    }

    @Test func relativeChangeIsTheMeanChangeOverTheMeanMagnitude() {
        // Rows with an undefined value are skipped; a value near 0 does not blow the figure up.
        let change = meanRelativeChange(from: [1, -2, .nan, 0], to: [1.5, -2, 4, 1e-9])
        #expect(abs(change! - (0.5 + 1e-9) / (1.5 + 2 + 1e-9)) < 1e-15)
        #expect(meanRelativeChange(from: [0, 0], to: [0, 0]) == nil)
    }

    @Test func rHatStopsARunAtTheFirstCheckAfterBurnIn() async throws {
        let valuator = SemivalueValuator.tmcShapley(utility: { _ in GameUtility(count: 4) }, truncation: nil,
                                                    stopping: .maxUnits(5000) || .rHat(below: 1.05))
        let update = try await valuator.finalUpdate(placeholderProblem(count: 4))
        guard case .converged = update.stop else {
            Issue.record("expected convergence, got \(String(describing: update.stop))")
            return
        }
        #expect(update.done == 500)
        let rHat = try #require(update.convergence.first { $0.name == "R-hat" })
        #expect(rHat.history.map(\.done) == [100, 200, 300, 400, 500])
        #expect(rHat.target == 1.05)
        #expect(rHat.current! < 1.05)
        let change = try #require(update.convergence.first { $0.name == "relative change" })
        #expect(change.history.map(\.done) == [200, 300, 400, 500])
    }
}
