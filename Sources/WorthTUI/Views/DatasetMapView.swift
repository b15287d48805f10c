import WorthEngine

/// The Dataset screen's map: each row placed by its first two principal components, one mark
/// per cell in the mark and colour of the class most of the cell's rows belong to (so classes
/// stay apart without colour and when the colours repeat), flagged rows over them, and a legend
/// of every class under the map.
struct DatasetMapView {
    let map: DatasetMap
    let dataset: Dataset
    let flags: Set<Int>

    /// The legend's entries: each class's mark and name, then the flag.
    func legend(_ glyphs: Glyphs) -> [String] {
        dataset.classNames.indices.map { "\(glyphs.classMark($0)) \(dataset.classNames[$0])" } + ["\(glyphs.flag) flagged"]
    }

    /// Draws the map and its legend into `rect`.
    func draw(_ grid: inout Grid, _ rect: Rect) {
        let items = legend(grid.glyphs)
        var lines: [[Int]] = [[]]
        var used = 0
        for (k, item) in items.enumerated() {
            if used > 0 && used + 2 + item.count > rect.width - 2 { lines.append([]); used = 0 }
            lines[lines.count - 1].append(k)
            used += (used > 0 ? 2 : 0) + item.count
        }
        let legendRows = min(lines.count, max(1, rect.height / 3))
        let plot = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height - legendRows)
        drawPoints(&grid, plot)
        for (row, line) in lines.prefix(legendRows).enumerated() {
            var x = rect.x + 1
            for k in line {
                let style = k < dataset.classCount ? Style(classColor(k)) : .flagged
                x += grid.text(items[k], x: x, y: plot.maxY + row, style, maxWidth: rect.maxX - x) + 2
            }
        }
    }

    private func drawPoints(_ grid: inout Grid, _ rect: Rect) {
        let pts = map.points
        guard !pts.isEmpty, rect.width > 2, rect.height > 2 else { return }
        let xs = pts.map(\.0), ys = pts.map(\.1)
        let x0 = xs.min()!, x1 = max(xs.max()!, x0 + 1e-9), y0 = ys.min()!, y1 = max(ys.max()!, y0 + 1e-9)
        func cell(_ i: Int) -> Int {
            let cx = Int(((pts[i].0 - x0) / (x1 - x0) * Double(rect.width - 1)).rounded())
            let cy = Int(((y1 - pts[i].1) / (y1 - y0) * Double(rect.height - 1)).rounded())
            return cy * rect.width + cx
        }
        // Rows of each class per cell; the class with most rows is drawn (ties: the lower class).
        let k = dataset.classCount
        var counts = [Int](repeating: 0, count: rect.width * rect.height * k)
        var flagged = Set<Int>()
        for i in pts.indices {
            let c = cell(i)
            counts[c * k + dataset.labels[i]] += 1
            if flags.contains(dataset.sourceRows[i]) { flagged.insert(c) }
        }
        for c in 0..<(rect.width * rect.height) {
            let x = rect.x + c % rect.width, y = rect.y + c / rect.width
            if flagged.contains(c) {
                grid.put(grid.glyphs.flag, x: x, y: y, Style(.red, .bold))
                continue
            }
            let row = counts[(c * k)..<((c + 1) * k)]
            guard let most = row.max(), most > 0, let label = row.firstIndex(of: most) else { continue }
            grid.put(grid.glyphs.classMark(label - c * k), x: x, y: y, Style(classColor(label - c * k)))
        }
    }
}
