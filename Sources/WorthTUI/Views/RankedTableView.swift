import WorthEngine

/// The Run screen's ranked rows: rank, data row, label (old → new when relabeled), the
/// suggested label, value, standard error, flag marks, and a bar of the value.
///
/// The bars are drawn on one scale for the whole run (from 0 when no value is negative, else
/// from the lowest), whatever rows are listed, so a row's bar is the same in the flagged-only
/// view; every finite value gets at least a sliver.
struct RankedTableView {
    let run: Run
    let marks: RowMarks

    /// The bar's fraction for `value` on the run's scale.
    static func barFraction(_ value: Double, range: ClosedRange<Double>?) -> Double {
        guard value.isFinite, let range else { return 0 }
        let lo = min(0, range.lowerBound), hi = range.upperBound
        guard hi > lo else { return 1 }
        return max(0.02, (value - lo) / (hi - lo))
    }

    func draw(_ grid: inout Grid, _ rect: Rect) {
        let t = run.table
        let names = run.experiment.classNames
        let title = "Ranked rows · sort: \(t.sort.title)" + (t.filter.title(names).map { " · " + $0 } ?? "") + " · \(t.count) rows"
        grid.box(rect, title: title)
        let inner = rect.inset(1)
        guard inner.height >= 2 else { return }
        grid.clip = inner
        defer { grid.clip = nil }
        let e = run.experiment
        let widest = names.map(\.count).max() ?? 5
        let labelWidth = max(6, min(marks.relabels.isEmpty ? 16 : 24, (marks.relabels.isEmpty ? widest : 2 * widest + 3) + 1))
        var columns: [(String, Int, Bool)] = [("rank", 6, true), ("row", 7, true), ("label", labelWidth, false),
                                              ("predicted", max(10, labelWidth), false), ("value", 11, true)]
        if t.standardErrors != nil { columns.append(("± stderr", 10, true)) }
        columns.append(("flag", 5, false))
        var x = inner.x + 1
        for (name, w, right) in columns {
            if right { grid.rightText(name, x: x, y: inner.y, width: w - 1, .bold) } else { grid.text(name, x: x, y: inner.y, .bold, maxWidth: w - 1) }
            x += w
        }
        let barX = x + 1, barWidth = inner.maxX - barX - 1
        if barWidth >= 8 { grid.text("value", x: barX, y: inner.y, .bold) }

        for (line, p) in t.visibleRange.enumerated() {
            let i = t.order[p], y = inner.y + 1 + line
            let row = t.sourceRows[i]
            let flagged = marks.flags.contains(row)
            let base: Style = flagged ? .flagged : .plain
            var x = inner.x + 1
            func cell(_ text: String, _ w: Int, right: Bool = false, _ style: Style? = nil) {
                if right { grid.rightText(text, x: x, y: y, width: w - 1, style ?? base) } else { grid.text(text, x: x, y: y, style ?? base, maxWidth: w - 1) }
                x += w
            }
            cell(t.ranks[i] == 0 ? "–" : String(t.ranks[i]), 6, right: true)
            cell(String(row), 7, right: true)
            let own = e.problem.trainLabels[i], label = t.label(i, marks)
            cell(label == own && marks.relabels[row] == nil ? names[own] : "\(names[own])→\(names[label])", labelWidth,
                 label == own ? Style(classColor(label)) : Style(classColor(label), .bold))
            // The suggested label (fitted once the run ends): dim where it agrees with the label.
            let pr = t.predicted?[i]
            cell(pr.map { names[$0] } ?? "…", max(10, labelWidth), pr.map { $0 == label ? .dim : .warn } ?? .dim)
            let v = t.values[i]
            cell(abs(v) < 1000 ? NumberFormat.fixed(v, decimals: 4) : formatNumber(v), 11, right: true,
                 v.isNaN ? .dim : (v < 0 ? Style(.red) : base))
            if let se = t.standardErrors { cell(se[i].isFinite ? "±" + formatNumber(se[i], digits: 2) : "–", 10, right: true, .dim) }
            var mark = flagged ? String(grid.glyphs.flag) : ""
            if e.flipped[i] { mark += String(grid.glyphs.flipped) }
            cell(mark, 5, Style(.red, .bold))
            if barWidth >= 8, v.isFinite {
                grid.bar(fraction: Self.barFraction(v, range: t.valueRange), x: barX, y: y, width: barWidth, Style(flagged ? .red : .blue))
            }
            if p == t.cursor {
                grid.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), Style(flagged ? .red : .normal, .reverse))
            }
        }
        if t.count == 0 {
            let why = t.filter.title(names).map { "no valued row passes the filter (\($0)): \\ or F shows all rows" } ?? "no rows"
            grid.text(why, x: inner.x + 2, y: inner.y + 1, .dim)
        }
        grid.clip = nil
        let legend = "\(grid.glyphs.flipped) = label flipped by the experiment"
        if run.hasFlips, legend.count + 6 <= rect.width {
            grid.text(" \(legend) ", x: rect.maxX - legend.count - 4, y: rect.maxY - 1, .dim)
        }
    }
}
