import Foundation

/// The charts of the Run screen and the row detail, drawn into a grid.
enum Charts {
    /// A line chart of `points` (x = work done, y = figure) in `rect`, with an optional target
    /// line, y-axis labels at the left and the current value in the title row.
    static func line(_ grid: inout Grid, rect: Rect, points: [ConvergencePointValue], target: Double?, color: Color) {
        let labelWidth = 8
        guard rect.width > labelWidth + 4, rect.height >= 2 else { return }
        let finite = points.filter { $0.y.isFinite }
        guard let first = finite.first, let last = finite.last else {
            grid.text("waiting for the first figure…", x: rect.x, y: rect.y, .dim, maxWidth: rect.width)
            return
        }
        var lo = finite.map(\.y).min()!, hi = finite.map(\.y).max()!
        if let target { lo = min(lo, target); hi = max(hi, target) }
        if hi - lo < 1e-12 { hi += 0.5; lo -= 0.5 }
        let plot = Rect(x: rect.x + labelWidth, y: rect.y, width: rect.width - labelWidth, height: rect.height)
        var canvas = DotCanvas(columns: plot.width, rows: plot.height, braille: grid.glyphs.braille)
        let x0 = first.x, x1 = max(last.x, first.x + 1)
        func px(_ x: Double) -> Int { Int(((x - x0) / (x1 - x0) * Double(canvas.width - 1)).rounded()) }
        func py(_ y: Double) -> Int { Int(((hi - y) / (hi - lo) * Double(canvas.height - 1)).rounded()) }
        if let target {
            let ty = py(target)
            for x in stride(from: 0, to: canvas.width, by: 2) { canvas.set(x, ty, .green) }
        }
        var prev: (Int, Int)?
        for p in finite {
            let q = (px(p.x), py(p.y))
            if let prev { canvas.line(prev.0, prev.1, q.0, q.1, color) } else { canvas.set(q.0, q.1, color) }
            prev = q
        }
        canvas.draw(into: &grid, x: plot.x, y: plot.y)
        grid.rightText(formatNumber(hi, digits: 3), x: rect.x, y: rect.y, width: labelWidth - 1, .dim)
        grid.rightText(formatNumber(lo, digits: 3), x: rect.x, y: rect.maxY - 1, width: labelWidth - 1, .dim)
    }

    /// The span a histogram of values in `range` covers (widened when they are all equal).
    static func histogramRange(_ range: ClosedRange<Double>) -> (lo: Double, hi: Double) {
        let (lo, hi) = (range.lowerBound, range.upperBound)
        return hi - lo < 1e-12 ? (lo - 0.5, hi + 0.5) : (lo, hi)
    }

    /// The bar of `v` among `bins` over `lo`...`hi`.
    @inline(__always)
    static func histogramBin(_ v: Double, lo: Double, hi: Double, bins: Int) -> Int {
        min(bins - 1, max(0, Int((v - lo) / (hi - lo) * Double(bins))))
    }

    /// A histogram of values (whose smallest and largest are `range`, nil when there are none)
    /// in `rect`, one bar per column of `bars` (counted for `rect.width` bins: see
    /// `RankedTable.prepareHistogram`). The flagged rows' share of each bin is drawn red at
    /// its foot (shaded without colour); `cut` (the flag threshold, when the flagged rows are
    /// exactly the lowest) is marked with a line and a label.
    static func histogram(_ grid: inout Grid, rect: Rect, bars: RankedTable.Histogram?, range: ClosedRange<Double>?,
                          cut threshold: Double?) {
        guard rect.width >= 10, rect.height >= 3 else { return }
        guard let range, range.lowerBound.isFinite, range.upperBound.isFinite, let bars, bars.counts.count == rect.width else {
            grid.text("no values yet", x: rect.x, y: rect.y, .dim, maxWidth: rect.width)
            return
        }
        let (lo, hi) = histogramRange(range)
        let bins = rect.width
        let barRows = rect.height - 1
        func bin(_ v: Double) -> Int { histogramBin(v, lo: lo, hi: hi, bins: bins) }
        let counts = bars.counts, red = bars.flagged
        let top = max(1, counts.max()!)
        let levels = grid.glyphs.column.count - 1
        let cut = threshold.map(bin)
        for b in 0..<bins {
            let units = Int((Double(counts[b]) / Double(top) * Double(barRows * levels)).rounded(.up))
            let redUnits = Int((Double(red[b]) / Double(top) * Double(barRows * levels)).rounded(.up))
            for r in 0..<barRows {
                let fill = min(levels, max(0, units - r * levels))
                let y = rect.y + barRows - 1 - r
                if fill > 0 {
                    let flagged = r * levels < redUnits
                    grid.put(flagged && !grid.colors ? grid.glyphs.shade : grid.glyphs.column[fill], x: rect.x + b, y: y,
                             Style(flagged ? .red : .cyan))
                } else if b == cut {
                    grid.put(grid.glyphs.vertical, x: rect.x + b, y: y, Style(.red))
                }
            }
        }
        let axis = rect.maxY - 1
        grid.text(formatNumber(lo, digits: 3), x: rect.x, y: axis, .dim)
        grid.rightText(formatNumber(hi, digits: 3), x: rect.x, y: axis, width: rect.width, .dim)
        if let threshold, let cut {
            let label = "flag ≤ \(formatNumber(threshold, digits: 3))"
            let x = min(max(rect.x + 8, rect.x + cut - label.count / 2), rect.maxX - 8 - label.count)
            if x >= rect.x + 8 { grid.text(label, x: x, y: axis, .flagged) }
        }
    }
}

/// A point of a chart: x = work done, y = the figure.
struct ConvergencePointValue {
    var x: Double
    var y: Double
}
