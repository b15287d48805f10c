import Foundation
import WorthEngine

/// The Run screen's three header lines: what runs (method, file, rows, when it stops, the
/// parameters changed from their defaults), how far it is, and its state with the flags. Each
/// line is laid out to the width: parts that do not fit are left out whole, never cut.
struct RunHeaderView {
    let run: Run
    let fileName: String
    let flags: FlagCounts
    let flagsUnsaved: Bool

    /// When the run stops, from what the engine reports: its budget and a convergence target
    /// (a long and a short form).
    var stopRule: [String] {
        guard let u = run.latest, !run.isConsensus else { return [] }
        var parts: [String] = []
        if let total = u.total { parts.append("\(total) \(u.unit)") }
        if let t = u.convergence.first(where: { $0.target != nil }) { parts.append("\(t.name) < \(formatNumber(t.target!, digits: 3))") }
        return parts.isEmpty ? [] : ["stops at " + parts.joined(separator: " or "), "≤" + parts.joined(separator: ", ")]
    }

    func draw(_ grid: inout Grid, _ rect: Rect) {
        let rows = run.experiment.problem.count
        var first: [([String], Style)] = [([run.methodTitle], .title), ([fileName], .bold), (["\(rows) valued rows", "\(rows) rows"], .bold)]
        if !stopRule.isEmpty { first.append((stopRule, .plain)) }
        // Parameters changed from their defaults, but the budget: the stop rule says it in the engine's unit.
        first += run.changedParameters.filter { Int($0.value) != run.latest?.total }.map { (["\($0.name)=\($0.value)"], .dim) }
        Self.fit(&grid, first, x: rect.x + 1, y: rect.y, width: rect.width - 2)

        let progress = run.progress
        let barWidth = max(10, min(40, rect.width / 3))
        grid.bar(fraction: progress.fraction ?? 0, x: rect.x + 1, y: rect.y + 1, width: barWidth, Style(run.isPaused ? .yellow : .green))
        let textWidth = rect.width - barWidth - 4
        grid.text(run.latest == nil ? "starting…" : progress.line(width: textWidth), x: rect.x + barWidth + 3, y: rect.y + 1, .plain,
                  maxWidth: textWidth)

        var third: [([String], Style)] = []
        if let failure = run.failure {
            grid.paragraph("failed: \(failure)", in: Rect(x: rect.x + 1, y: rect.y + 2, width: rect.width - 2, height: 1), .error)
            return
        } else if let stop = run.stop {
            third.append((["stopped: \(stop)"], stop == .cancelled ? .warn : Style(.green, .bold)))
        } else if run.isPaused {
            third.append((["paused (the engine waits): p resumes, x cancels", "paused: p resumes, x cancels"], Style(.yellow, .bold)))
        } else {
            third.append((["running" + (run.latest?.phase.map { ": \($0)" } ?? ""), "running"], Style(.yellow)))
        }
        third.append(([flags.summary + (flagsUnsaved ? ", NOT SAVED" : "")], flagsUnsaved ? .error : .flagged))
        if run.hasFlips {
            third.append((["\(run.flips) labels flipped", "\(run.flips) flipped"], .plain))
            if let d = run.detection, d.auroc.isFinite {
                third.append((["detection AUROC \(NumberFormat.fixed(d.auroc, decimals: 3))", "AUROC \(NumberFormat.fixed(d.auroc, decimals: 3))"], .bold))
                third.append((["precision@\(d.k) \(NumberFormat.fixed(d.precisionAtK, decimals: 2))"], .bold))
            }
        }
        Self.fit(&grid, third, x: rect.x + 1, y: rect.y + 2, width: rect.width - 2)
    }

    /// Writes `parts` left to right, three spaces apart, each in the longest of its forms that
    /// fits `width` with the parts before it; a part none of whose forms fits is left out whole.
    static func fit(_ grid: inout Grid, _ parts: [([String], Style)], x: Int, y: Int, width: Int) {
        var used = 0
        for (forms, style) in parts {
            let gap = used == 0 ? 0 : 3
            guard let text = forms.first(where: { used + gap + $0.count <= width }) else { continue }
            grid.text(text, x: x + used + gap, y: y, style)
            used += gap + text.count
        }
    }
}
