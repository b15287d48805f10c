import Foundation

/// What a stopping rule looks at after each unit of a Monte Carlo run.
public struct ConvergenceCheck: Sendable, Equatable {
    /// Units of work done so far in the run's plan (permutations, samples).
    public var unitsDone: Int
    /// What a unit is, plural, for the stop reason (`permutations`).
    public var unit: String
    /// Seconds since this invocation started.
    public var elapsed: Double
    /// The Gelman-Rubin statistic when it was just computed and the burn-in is over, else nil.
    public var rHat: Double?
    /// The largest standard error of any value when it was just computed and the burn-in is
    /// over, else nil.
    public var maxStandardError: Double?

    public init(unitsDone: Int, unit: String, elapsed: Double, rHat: Double? = nil, maxStandardError: Double? = nil) {
        self.unitsDone = unitsDone
        self.unit = unit
        self.elapsed = elapsed
        self.rHat = rHat
        self.maxStandardError = maxStandardError
    }
}

/// When a Monte Carlo valuation stops: small rules composed with `||` (whichever is met first),
/// as pyDVL composes its stopping criteria. `.maxUnits(5000) || .maxSeconds(60) || .rHat(below:
/// 1.05)` stops after 5000 permutations, a minute, or once the chains agree.
public struct StoppingRule: Sendable, Equatable, CustomStringConvertible {
    enum Criterion: Sendable, Equatable {
        case units(Int)
        case seconds(Double)
        case rHat(Double)
        case standardError(Double)
    }

    /// The criteria, any one of which stops the run; checked in this order.
    let criteria: [Criterion]

    /// A budget of units of work (permutations, samples), ≥ 1.
    public static func maxUnits(_ count: Int) -> StoppingRule {
        precondition(count >= 1, "a unit budget must be positive")
        return StoppingRule(criteria: [.units(count)])
    }

    /// A budget of wall-clock seconds for this invocation, > 0.
    public static func maxSeconds(_ seconds: Double) -> StoppingRule {
        precondition(seconds > 0, "a time budget must be positive")
        return StoppingRule(criteria: [.seconds(seconds)])
    }

    /// Converged when the Gelman-Rubin statistic (largest over rows) falls below `threshold`
    /// (OpenDataVal: 1.05), checked on the run's convergence schedule after its burn-in.
    public static func rHat(below threshold: Double) -> StoppingRule {
        StoppingRule(criteria: [.rHat(threshold)])
    }

    /// Converged when every value's standard error is at most `target` (in the utility's units),
    /// checked on the run's convergence schedule after its burn-in.
    public static func standardError(below target: Double) -> StoppingRule {
        StoppingRule(criteria: [.standardError(target)])
    }

    /// Stops when either rule would.
    public static func || (lhs: StoppingRule, rhs: StoppingRule) -> StoppingRule {
        StoppingRule(criteria: lhs.criteria + rhs.criteria)
    }

    /// The smallest unit budget among the criteria, if there is one: how much work to plan.
    public var unitLimit: Int? {
        criteria.compactMap { if case .units(let n) = $0 { n } else { nil } }.min()
    }

    /// The smallest time budget among the criteria, in seconds, if there is one.
    public var secondsLimit: Double? {
        criteria.compactMap { if case .seconds(let s) = $0 { s } else { nil } }.min()
    }

    /// The smallest R-hat threshold, if there is one (shown as the chart's target line).
    public var rHatTarget: Double? {
        criteria.compactMap { if case .rHat(let r) = $0 { r } else { nil } }.min()
    }

    /// The same rule without its convergence criteria: a shard cannot judge convergence from
    /// its part alone, so it runs its whole block unless a budget ends it.
    public var budgetsOnly: StoppingRule {
        StoppingRule(criteria: criteria.filter {
            switch $0 {
            case .units, .seconds: true
            case .rHat, .standardError: false
            }
        })
    }

    /// Why the run should stop now, or nil to go on.
    public func reason(for check: ConvergenceCheck) -> StopReason? {
        for criterion in criteria {
            switch criterion {
            case .units(let n) where check.unitsDone >= n:
                return .budget("\(n) \(check.unit)")
            case .seconds(let s) where check.elapsed >= s:
                return .budget("\(formatted(s)) s")
            case .rHat(let threshold):
                if let r = check.rHat, r < threshold {
                    return .converged("R-hat \(formatted(r)) < \(formatted(threshold))")
                }
            case .standardError(let target):
                if let e = check.maxStandardError, e <= target {
                    return .converged("largest stderr \(formatted(e)) ≤ \(formatted(target))")
                }
            default:
                continue
            }
        }
        return nil
    }

    public var description: String {
        criteria.map {
            switch $0 {
            case .units(let n): "at most \(n) units"
            case .seconds(let s): "at most \(formatted(s)) s"
            case .rHat(let r): "R-hat < \(formatted(r))"
            case .standardError(let e): "stderr ≤ \(formatted(e))"
            }
        }.joined(separator: " or ")
    }
}

/// A short human rendering of a figure (4 significant digits).
private func formatted(_ x: Double) -> String {
    String(format: "%.4g", x)
}
