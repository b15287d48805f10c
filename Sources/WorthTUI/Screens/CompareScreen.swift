import Foundation
import WorthEngine

/// The Compare screen: the runs chosen on the Runs screen (all of them when fewer than two are
/// chosen) side by side: Spearman's rank correlation of each pair, the overlap of their lowest
/// k rows (k = the flagged rows, or 10%), each run's detection AUROC in a flip experiment, and
/// a braille scatter of two runs' ranks with the row under the Run screen's cursor marked.
/// C makes their consensus, a run of its own.
struct CompareScreen: Screen {
    /// The runs on the scatter's axes, by index into the comparison's runs.
    private(set) var xRun = 0
    private(set) var yRun = 1
    /// The comparison, made when the screen comes up (the runs it compares do not change meanwhile).
    private(set) var comparison: RunComparison?
    /// The scatter's points for the axes chosen: each common row and its ranks.
    private var points: (rows: [Int], x: [Int], y: [Int]) = ([], [], [])

    var scope: KeyScope { .compare }

    mutating func appear(_ session: inout Session) {
        let runs = session.comparedRuns
        guard runs.count >= 2 else { comparison = nil; return }
        comparison = RunComparison(runs: runs, flagged: session.flagCounts.valued)
        xRun = min(xRun, runs.count - 1)
        yRun = min(yRun, runs.count - 1)
        if xRun == yRun { yRun = (xRun + 1) % runs.count }
        recompute()
    }

    private mutating func recompute() {
        points = comparison?.ranks(xRun, yRun) ?? ([], [], [])
    }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        guard let c = comparison else { return action == .back ? .show(.runs) : nil }
        let n = c.runs.count
        /// Moves the x (or y) axis's run by `by`; landing on the other axis's run swaps them.
        func step(x: Bool, _ by: Int) {
            var (v, other) = x ? (xRun, yRun) : (yRun, xRun)
            let next = (v + by + n) % n
            if next == other { other = v }
            v = next
            (xRun, yRun) = x ? (v, other) : (other, v)
            recompute()
        }
        switch action {
        case .left: step(x: true, -1)
        case .right: step(x: true, 1)
        case .up: step(x: false, 1)
        case .down: step(x: false, -1)
        case .consensus, .consensusVotes:
            session.addConsensus(of: c.runs, rule: action == .consensus ? .meanRank : .votes(c.k))
            return .show(.run)
        case .activate:
            if let i = session.runs.firstIndex(where: { $0.id == c.runs[xRun].id }) { session.show(run: i); return .show(.run) }
        case .back: return .show(.runs)
        default: break
        }
        return nil
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let c = comparison else {
            grid.box(rect, title: "Compare")
            grid.paragraph("Two runs or more are needed: run another method (m on the Runs screen), then c compares them.",
                           in: Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: 3), .dim)
            return
        }
        let n = c.runs.count
        // The matrices take what they need up to half the width; names shrink before cells do.
        let leftWidth = min(rect.width / 2, max(40, 4 + 17 + 8 * n))
        let (left, right) = rect.splitLeft(leftWidth)
        let cell = max(5, min(8, (left.width - 4 - 10) / n))
        let nameWidth = max(8, min(17, left.width - 4 - cell * n))
        grid.box(left, title: "Agreement of \(n) runs")
        var y = left.y + 1
        let x0 = left.x + 2
        func matrix(_ title: String, _ value: (RankAgreement) -> (String, Style)) {
            grid.text(title, x: x0, y: y, .title, maxWidth: left.width - 4)
            y += 1
            for b in 0..<n { grid.rightText("\(b + 1)", x: x0 + nameWidth + b * cell, y: y, width: cell - 1, .bold) }
            y += 1
            for a in 0..<n where y < left.maxY - 1 {
                grid.text("\(a + 1) \(c.runs[a].methodTitle)", x: x0, y: y, .bold, maxWidth: nameWidth - 1)
                for b in 0..<n {
                    let (text, style) = value(c.agreement[a][b])
                    grid.rightText(text, x: x0 + nameWidth + b * cell, y: y, width: cell - 1, a == b ? .dim : style)
                }
                y += 1
            }
            y += 1
        }
        matrix("Spearman ρ (rows both value)") { g in
            g.spearman.isNaN ? ("–", .dim) : (NumberFormat.fixed(g.spearman, decimals: 2), g.spearman >= 0.5 ? .good : (g.spearman < 0 ? .error : .plain))
        }
        matrix("lowest \(c.k) in common (k = \(c.kIsFlagged ? "flagged" : "10%"))") { g in ("\(g.overlap)/\(g.k)", .plain) }
        let flipped = c.runs.filter { $0.experiment.flipped.contains(true) }
        if !flipped.isEmpty, y < left.maxY - 1 {
            grid.text("detection AUROC (labels flipped)", x: x0, y: y, .title, maxWidth: left.width - 4)
            y += 1
            for (a, r) in c.runs.enumerated() where y < left.maxY - 1 {
                grid.text("\(a + 1) \(r.methodTitle)", x: x0, y: y, .bold, maxWidth: nameWidth - 1)
                grid.rightText(r.auroc.map { NumberFormat.fixed($0, decimals: 3) } ?? "–", x: x0 + nameWidth, y: y, width: cell - 1)
                y += 1
            }
            if c.flipsDiffer, y < left.maxY - 1 {
                y += grid.paragraph("the runs flip different rows (their splits differ: validation rows, seed): compare runs of one split",
                                    in: Rect(x: x0, y: y, width: left.width - 4, height: left.maxY - 1 - y), .warn)
            }
        }
        drawScatter(&grid, right, c, session)
    }

    private func drawScatter(_ grid: inout Grid, _ rect: Rect, _ c: RunComparison, _ session: Session) {
        let a = c.runs[xRun], b = c.runs[yRun]
        let cursorRow = session.run.flatMap { r in r.table.selected.map { r.table.sourceRows[$0] } }
        let titles = ["ranks of \(xRun + 1) \(a.methodTitle) (x) and \(yRun + 1) \(b.methodTitle) (y)",
                      "ranks: \(a.methodTitle) (x), \(b.methodTitle) (y)", "ranks: \(xRun + 1) (x) vs \(yRun + 1) (y)"]
        grid.box(rect, title: titles.first { $0.count <= rect.width - 6 } ?? "ranks")
        let inner = rect.inset(1)
        guard inner.width >= 6, inner.height >= 4 else { return }
        let plot = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 2)
        var canvas = DotCanvas(columns: plot.width, rows: plot.height, braille: grid.glyphs.braille)
        let m = max(2, points.rows.count)
        func dot(_ rank: Int, _ size: Int) -> Int { (rank - 1) * (size - 1) / (m - 1) }
        var cursor: (Int, Int)?
        for (k, row) in points.rows.enumerated() {
            let px = dot(points.x[k], canvas.width), py = canvas.height - 1 - dot(points.y[k], canvas.height)
            let flagged = session.flags.contains(row)
            canvas.set(px, py, flagged ? .red : .cyan)
            if row == cursorRow { cursor = (px, py) }
        }
        if let (px, py) = cursor { canvas.mark(px, py, grid.glyphs.asciiOnly ? "@" : "●", .yellow) }
        canvas.draw(into: &grid, x: plot.x, y: plot.y)
        let mark = grid.glyphs.asciiOnly ? "@" : "●"
        let here = cursorRow.map { cursor == nil ? "row \($0) is not in both" : "\(mark) row \($0) (Run screen's cursor)" }
        let legends = [[here, "lowest ranks bottom left", "\(points.rows.count) rows"], [here, "\(points.rows.count) rows"], [here]]
            .map { $0.compactMap { $0 }.joined(separator: " · ") }
        grid.text(legends.first { $0.count <= inner.width - 2 } ?? "", x: inner.x + 1, y: inner.maxY - 2, .dim)
        grid.text("←→ x run  ↑↓ y run  C consensus", x: inner.x + 1, y: inner.maxY - 1, .dim, maxWidth: inner.width - 2)
    }
}
