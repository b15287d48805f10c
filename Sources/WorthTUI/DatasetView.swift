import Foundation

extension Workbench {
    func drawDataset(_ grid: inout Grid, _ rect: Rect) {
        guard let f = file else { return }
        let data = f.loaded.dataset
        let mapWidth = min(rect.width / 2, max(30, rect.width - 70))
        let (left, mapBox) = rect.splitLeft(rect.width - mapWidth)

        // Summary and class counts.
        let classLines = min(data.classCount, 8)
        let (summaryBox, below) = left.splitTop(5 + classLines)
        grid.box(summaryBox, title: URL(fileURLWithPath: f.path).lastPathComponent)
        let s = summaryBox.inset(1)
        let label = f.loaded.header.indices.contains(f.loaded.labelColumn) ? f.loaded.header[f.loaded.labelColumn] : "?"
        grid.text("\(f.loaded.totalRows) rows, \(f.loaded.header.count) columns, label '\(label)', \(data.classCount) classes, \(data.featureCount) features",
                  x: s.x + 1, y: s.y, .bold, maxWidth: s.width - 2)
        let note = f.loaded.notes.first ?? (f.loaded.droppedRows.isEmpty ? "no missing cells" : "\(f.loaded.droppedRows.count) rows dropped (missing cells)")
        grid.text(note, x: s.x + 1, y: s.y + 1, .dim, maxWidth: s.width - 2)
        let counts = data.classCounts
        let most = max(1, counts.max() ?? 1)
        let nameWidth = min(16, (data.classNames.map(\.count).max() ?? 4) + 1)
        for c in 0..<classLines {
            let y = s.y + 3 + c
            grid.text(data.classNames[c], x: s.x + 1, y: y, Style(classColor(c)), maxWidth: nameWidth)
            let barWidth = max(4, s.width - nameWidth - 12)
            grid.bar(fraction: Double(counts[c]) / Double(most), x: s.x + 2 + nameWidth, y: y, width: barWidth, Style(classColor(c)))
            grid.text(String(counts[c]), x: s.x + 3 + nameWidth + barWidth, y: y, .plain)
        }
        if data.classCount > classLines {
            grid.text("… \(data.classCount - classLines) more classes", x: s.x + 1, y: s.maxY - 1, .dim)
        }

        // Columns: how the loader reads each one, missing cells, range or most frequent values.
        grid.box(below, title: "Columns")
        let t = below.inset(1)
        grid.clip = t
        let w = max(10, min(22, t.width - 52))
        var x = t.x + 1
        grid.text("column", x: x, y: t.y, .bold, maxWidth: w)
        x += w + 1
        grid.text("type", x: x, y: t.y, .bold)
        grid.rightText("missing", x: x + 7, y: t.y, width: 7, .bold)
        for (k, h) in ["min", "mean", "max"].enumerated() { grid.rightText(h, x: x + 15 + k * 10, y: t.y, width: 9, .bold) }
        for (r, c) in f.columns.prefix(max(0, t.height - 1)).enumerated() {
            let y = t.y + 1 + r
            if r == t.height - 2 && f.columns.count > t.height - 1 {
                grid.text("… \(f.columns.count - r) more columns", x: t.x + 1, y: y, .dim)
                break
            }
            let x = t.x + w + 2
            grid.text(c.name, x: t.x + 1, y: y, c.kind == .label ? .bold : .plain, maxWidth: w)
            grid.text(c.kind.rawValue, x: x, y: y, c.kind == .label ? Style(.yellow) : .dim)
            grid.rightText(String(c.missing), x: x + 7, y: y, width: 7, c.missing > 0 ? .warn : .dim)
            if let lo = c.minimum, let mean = c.mean, let hi = c.maximum {
                for (k, v) in [lo, mean, hi].enumerated() { grid.rightText(formatNumber(v), x: x + 15 + k * 10, y: y, width: 9) }
            } else {
                let top = c.topValues.map { "\($0.value) \($0.count)" }.joined(separator: ", ")
                grid.text("\(c.distinct) values: \(top)", x: x + 16, y: y, .dim, maxWidth: t.maxX - x - 17)
            }
        }

        grid.clip = nil

        // Map of the rows on the first two principal components, coloured by class.
        grid.box(mapBox, title: "Rows on the first two principal components")
        let m = mapBox.inset(1)
        if let map {
            drawMap(&grid, Rect(x: m.x, y: m.y, width: m.width, height: m.height - 1), map: map, f: f)
            grid.text("colour = class, \(grid.glyphs.flag) = flagged", x: m.x + 1, y: m.maxY - 1, .dim, maxWidth: m.width - 2)
        } else {
            grid.text("computing the map…", x: m.x + 1, y: m.y, .dim, maxWidth: m.width - 2)
        }
    }

    private func drawMap(_ grid: inout Grid, _ rect: Rect, map: DatasetMap, f: OpenFile) {
        let pts = map.points
        guard !pts.isEmpty, rect.width > 2, rect.height > 2 else { return }
        var canvas = DotCanvas(columns: rect.width, rows: rect.height, braille: grid.glyphs.braille)
        let xs = pts.map(\.0), ys = pts.map(\.1)
        let x0 = xs.min()!, x1 = max(xs.max()!, x0 + 1e-9), y0 = ys.min()!, y1 = max(ys.max()!, y0 + 1e-9)
        let data = f.loaded.dataset
        func place(_ i: Int) -> (Int, Int) {
            (Int(((pts[i].0 - x0) / (x1 - x0) * Double(canvas.width - 1)).rounded()),
             Int(((y1 - pts[i].1) / (y1 - y0) * Double(canvas.height - 1)).rounded()))
        }
        for i in pts.indices {
            let (x, y) = place(i)
            canvas.set(x, y, classColor(data.labels[i]))
        }
        for i in pts.indices where flags.contains(data.sourceRows[i]) {
            let (x, y) = place(i)
            canvas.mark(x, y, grid.glyphs.flag, .red)
        }
        canvas.draw(into: &grid, x: rect.x, y: rect.y)
    }
}
