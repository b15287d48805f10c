import Foundation
import WorthEngine

extension Workbench {
    func drawRun(_ grid: inout Grid, _ rect: Rect) {
        guard var r = run else { return }
        let (header, rest) = rect.splitTop(3)
        drawRunHeader(&grid, header, r)
        let chartHeight = max(6, min(12, rest.height / 3))
        let (charts, tableBox) = rest.splitTop(chartHeight)
        let (convBox, histBox) = charts.splitLeft(charts.width / 2)
        let series = r.latest?.convergence.first
        grid.box(convBox, title: series.map { "Convergence: \($0.name)" + ($0.current.map { " = \(formatNumber($0))" } ?? "") } ?? "Convergence")
        let convInner = convBox.inset(1)
        if let series {
            Charts.line(&grid, rect: convInner, points: series.history.map { ConvergencePointValue(x: Double($0.done), y: $0.value) },
                        target: series.target, color: .cyan)
        } else {
            grid.text(r.latest == nil ? "starting…" : "this method reports no convergence figure", x: convInner.x + 1, y: convInner.y, .dim,
                      maxWidth: convInner.width - 2)
        }
        grid.box(histBox, title: "Values")
        Charts.histogram(&grid, rect: histBox.inset(1), values: r.table.values, range: r.table.valueRange,
                         threshold: r.table.flagThreshold)
        drawTable(&grid, tableBox, &r)
        run = r
    }

    private func drawRunHeader(_ grid: inout Grid, _ rect: Rect, _ r: RunModel) {
        let name = file.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? ""
        var x = 1 + grid.text(r.methodTitle, x: 1, y: rect.y, .title)
        x += grid.text("  \(name)  \(r.experiment.problem.count) valued rows  ", x: x, y: rect.y, .bold)
        grid.text(r.parameterText, x: x, y: rect.y, .dim, maxWidth: rect.width - x - 1)

        let u = r.latest
        let barWidth = max(10, min(40, rect.width / 3))
        grid.bar(fraction: u?.fraction ?? 0, x: 1, y: rect.y + 1, width: barWidth, Style(.green))
        var line = ""
        if let u {
            line = u.fraction.map { String(format: "%3.0f%%  ", $0 * 100) } ?? ""
            line += "\(u.done)" + (u.total.map { "/\($0)" } ?? "") + " \(u.unit)"
            if let rate = r.rate { line += "  \(formatNumber(rate, digits: 3)) \(u.unit)/s" }
            line += "  elapsed \(formatDuration(u.elapsed))"
            if let eta = r.eta { line += "  ETA \(formatDuration(eta))" }
        } else {
            line = "starting…"
        }
        grid.text(line, x: barWidth + 3, y: rect.y + 1, .plain, maxWidth: rect.width - barWidth - 4)

        var y2 = 1
        if let failure = r.failure {
            grid.text("failed: \(failure)", x: 1, y: rect.y + 2, .error, maxWidth: rect.width - 2)
            return
        } else if let stop = r.stop {
            y2 += grid.text("stopped: \(stop)", x: y2, y: rect.y + 2, stop == .cancelled ? .warn : Style(.green, .bold))
        } else if r.frozen {
            y2 += grid.text("display paused (the run continues): p resumes", x: y2, y: rect.y + 2, .warn)
        } else {
            y2 += grid.text("running" + (u?.phase.map { ": \($0)" } ?? ""), x: y2, y: rect.y + 2, Style(.yellow))
        }
        y2 += grid.text("   \(r.table.flaggedCount) flagged", x: y2, y: rect.y + 2, .flagged)
        if flagsUnsaved { y2 += grid.text(", NOT SAVED", x: y2, y: rect.y + 2, .error) }
        if r.experiment.flipped.contains(true) {
            let n = r.experiment.flippedRows.count
            y2 += grid.text("   \(n) labels flipped", x: y2, y: rect.y + 2, .plain)
            if let d = r.detection, d.auroc.isFinite {
                grid.text("   detection AUROC \(String(format: "%.3f", d.auroc))  precision@\(d.k) \(String(format: "%.2f", d.precisionAtK))",
                          x: y2, y: rect.y + 2, .bold, maxWidth: rect.width - y2 - 1)
            }
        }
    }

    private func drawTable(_ grid: inout Grid, _ rect: Rect, _ r: inout RunModel) {
        let t = r.table
        let title = "Ranked rows · sort: \(t.sort.title)" + (t.flaggedOnly ? " · flagged only" : "") + " · \(t.count) rows"
        grid.box(rect, title: title)
        let inner = rect.inset(1)
        guard inner.height >= 2 else { return }
        grid.clip = inner
        defer { grid.clip = nil }
        r.table.setPageSize(inner.height - 1)
        let table = r.table
        let e = r.experiment
        let names = e.classNames
        let hasStderr = table.standardErrors != nil
        let labelWidth = max(6, min(16, (names.map(\.count).max() ?? 5) + 1))
        // Columns: rank, row, label, [predicted], value, [± stderr], flag, then a value bar.
        var columns: [(String, Int)] = [("rank", 6), ("row", 7), ("label", labelWidth), ("predicted", max(10, labelWidth)), ("value", 11)]
        if hasStderr { columns.append(("± stderr", 10)) }
        columns.append(("flag", 5))
        var x = inner.x + 1
        for (name, w) in columns {
            if name == "rank" || name == "row" || name == "value" || name == "± stderr" {
                grid.rightText(name, x: x, y: inner.y, width: w - 1, .bold)
            } else {
                grid.text(name, x: x, y: inner.y, .bold, maxWidth: w - 1)
            }
            x += w
        }
        let barX = x + 1, barWidth = inner.maxX - barX - 1
        let lo = table.valueRange?.lowerBound ?? 0, hi = table.valueRange?.upperBound ?? 1
        if barWidth >= 8 { grid.text("value", x: barX, y: inner.y, .bold) }

        for (line, p) in table.visibleRange.enumerated() {
            let i = table.order[p]
            let y = inner.y + 1 + line
            let row = table.sourceRows[i]
            let flagged = flags.contains(row)
            let base: Style = flagged ? .flagged : .plain
            var x = inner.x + 1
            func cell(_ text: String, _ w: Int, right: Bool = false, _ style: Style? = nil) {
                if right { grid.rightText(text, x: x, y: y, width: w - 1, style ?? base) }
                else { grid.text(text, x: x, y: y, style ?? base, maxWidth: w - 1) }
                x += w
            }
            cell(table.ranks[i] == 0 ? "–" : String(table.ranks[i]), 6, right: true)
            cell(String(row), 7, right: true)
            let label = e.problem.trainLabels[i]
            cell(names[label], labelWidth, Style(classColor(label)))
            // The reference model's class (fitted once the run ends): dim where it agrees with
            // the label, highlighted where not.
            let pr = r.predicted(i)
            cell(pr.map { names[$0] } ?? "…", max(10, labelWidth), pr.map { $0 == label ? .dim : .warn } ?? .dim)
            let v = table.values[i]
            cell(abs(v) < 1000 ? String(format: "%.4f", v) : formatNumber(v), 11, right: true, v.isNaN ? .dim : (v < 0 ? Style(.red) : base))
            if let se = table.standardErrors { cell(se[i].isFinite ? "±" + formatNumber(se[i], digits: 2) : "–", 10, right: true, .dim) }
            var mark = flagged ? String(grid.glyphs.flag) : ""
            if e.flipped[i] { mark += String(grid.glyphs.flipped) }
            cell(mark, 5, Style(.red, .bold))
            if barWidth >= 8, v.isFinite {
                grid.bar(fraction: (v - lo) / max(1e-12, hi - lo), x: barX, y: y, width: barWidth, Style(flagged ? .red : .blue))
            }
            if p == table.cursor {
                grid.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), Style(flagged ? .red : .normal, .reverse))
            }
        }
        if table.count == 0 {
            grid.text(table.flaggedOnly ? "no flagged rows: F shows all rows" : "no rows", x: inner.x + 2, y: inner.y + 1, .dim)
        }
        grid.clip = nil
        if e.flipped.contains(true) {
            grid.text("\(grid.glyphs.flipped) = label flipped by the experiment", x: inner.maxX - 36, y: rect.maxY - 1, .dim, maxWidth: 35)
        }
    }
}
