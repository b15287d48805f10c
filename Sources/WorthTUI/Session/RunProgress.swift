import Foundation
import WorthEngine

/// How far a run is, as the Run screen's header says it: the bar's fraction, the rate, and how
/// long is left, toward the convergence target when the run has one (an R-hat stop) and toward
/// the budget, which is then only the upper bound.
///
/// A run with a convergence target usually stops long before its budget: its ETA is the time
/// until the figure is expected to reach the target, extrapolated from its history as a power
/// law (R-hat − 1 shrinks roughly as 1/n), and never more than the budget's.
struct RunProgress {
    let done: Int
    /// The budget of units, when there is one.
    let total: Int?
    let unit: String
    /// Seconds of work (pauses excluded).
    let elapsed: Double
    /// Units per second, once measurable.
    let rate: Double?
    /// Seconds until the budget is spent at `rate`, while running.
    let timeLeft: Double?
    /// The figure with a target: its name and target.
    let target: (name: String, goal: Double)?
    /// Units at which the target is expected to be met (capped by the budget), when it can be told.
    let expectedUnits: Double?
    /// Whether the run has ended, and how.
    let stop: StopReason?
    let paused: Bool

    init(latest: ValuationUpdate?, stop: StopReason?, paused: Bool) {
        done = latest?.done ?? 0
        total = latest?.total
        unit = latest?.unit ?? ""
        elapsed = latest?.elapsed ?? 0
        rate = latest?.rate
        timeLeft = latest?.timeLeft
        let series = latest?.convergence.first { $0.target != nil }
        target = series.map { ($0.name, $0.target!) }
        let budget = latest?.total
        expectedUnits = series.flatMap(Self.unitsToTarget).map { units in budget.map { min(Double($0), units) } ?? units }
        self.stop = stop
        self.paused = paused
    }

    /// The bar's fraction: 1 once the run has ended by itself; toward the expected units when the
    /// target can be extrapolated, else toward the budget; nil when neither is known.
    var fraction: Double? {
        if let stop, stop != .cancelled { return 1 }
        if let expectedUnits, expectedUnits > 0 { return min(1, Double(done) / expectedUnits) }
        guard let total, total > 0 else { return nil }
        return min(1, Double(done) / Double(total))
    }

    /// Whether the fraction is an estimate (toward an extrapolated target).
    var fractionIsEstimate: Bool { stop == nil && expectedUnits != nil }

    /// Seconds left until the expected target, while running.
    var etaToTarget: Double? {
        guard stop == nil, let rate, rate > 0, let expectedUnits else { return nil }
        return max(0, expectedUnits - Double(done)) / rate
    }

    /// Seconds left until the budget is spent, while running: the upper bound.
    var etaToBudget: Double? { stop == nil ? timeLeft : nil }

    /// The progress line, in the longest of its forms that fits `width` cells (its parts drop
    /// out whole, least useful first, rather than being cut).
    func line(width: Int) -> String {
        let percent = fraction.map { (fractionIsEstimate ? "≈" : "") + NumberFormat.percent($0) }
        let count = "\(done)" + (total.map { "/\($0)" } ?? "")
        let units = count + (unit.isEmpty ? "" : " \(unit)")
        let rateLong = rate.map { "\(formatNumber($0, digits: 3)) \(unit)/s" }, rateShort = rate.map { "\(formatNumber($0, digits: 3))/s" }
        let time = "elapsed \(formatDuration(elapsed))"
        var etaLong: String?, etaShort: String?
        if let t = etaToTarget, let target {
            etaLong = "ETA ≈\(formatDuration(t)) (\(target.name) → \(formatNumber(target.goal, digits: 3)))"
            etaShort = "ETA ≈\(formatDuration(t))"
            if let b = etaToBudget, b > t * 1.05 {
                etaLong! += ", budget ≤\(formatDuration(b))"
                etaShort! += ", ≤\(formatDuration(b))"
            }
        } else if let b = etaToBudget {
            etaLong = target.map { _ in "ETA ≤\(formatDuration(b)) (budget; sooner at the target)" } ?? "ETA \(formatDuration(b))"
            etaShort = (target == nil ? "ETA " : "ETA ≤") + formatDuration(b)
        }
        let forms: [[String?]] = [
            [percent, units, rateLong, time, etaLong],
            [percent, units, rateShort, time, etaLong],
            [percent, units, rateShort, time, etaShort],
            [percent, units, time, etaShort],
            [percent, count, time, etaShort],
            [percent, count, etaShort],
            [percent, count],
        ]
        for form in forms {
            let text = form.compactMap { $0 }.joined(separator: "  ")
            if text.count <= width { return text }
        }
        return percent ?? count
    }

    /// The units at which `series` is expected to reach its target, fitting its recent history
    /// as a power law `figure − floor = a·n^b` (floor 1 for a target above 1, as R-hat's, else
    /// 0); nil when it is not shrinking or has too little history.
    static func unitsToTarget(_ series: ConvergenceSeries) -> Double? {
        guard let goal = series.target, let last = series.history.last else { return nil }
        let floor = goal > 1 ? 1.0 : 0.0
        if last.value <= goal { return Double(last.done) }
        let points = series.history.suffix(6).filter { $0.done > 0 && $0.value > floor }
        guard points.count >= 2, goal > floor else { return nil }
        let xs = points.map { log(Double($0.done)) }, ys = points.map { log($0.value - floor) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 0 else { return nil }
        let slope = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
        guard slope < -0.05 else { return nil }
        let units = Double(last.done) * pow((goal - floor) / (last.value - floor), 1 / slope)
        return units.isFinite ? units : nil
    }
}
