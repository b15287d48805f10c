import Foundation

extension Workbench {
    func drawLoad(_ grid: inout Grid, _ rect: Rect) {
        var (top, rest) = rect.splitTop(2)
        grid.text("Open a CSV file: a bundled sample, a file of this directory, or press o to type a path.",
                  x: top.x + 1, y: top.y, .plain, maxWidth: top.width - 2)
        if let e = loadError {
            let (errorBox, after) = rest.splitTop(3)
            grid.box(errorBox, title: "Could not open", Style(.red))
            grid.text(e, x: errorBox.x + 2, y: errorBox.y + 1, .error, maxWidth: errorBox.width - 4)
            rest = after
        }
        top = rest
        grid.box(top, title: "Files")
        let inner = top.inset(1)
        guard !entries.isEmpty else {
            grid.text("No CSV files here and no bundled samples found; press o to type a path.", x: inner.x + 1, y: inner.y, .dim)
            return
        }
        let visible = inner.height
        let first = max(0, min(entryCursor - visible / 2, entries.count - visible))
        for (row, i) in (first..<min(entries.count, first + visible)).enumerated() {
            let e = entries[i]
            let y = inner.y + row
            grid.text(e.name, x: inner.x + 2, y: y, .bold, maxWidth: 40)
            grid.text(e.note, x: inner.x + 44, y: y, .dim, maxWidth: inner.width - 45)
            if i == entryCursor { grid.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), .selected) }
        }
    }

    func drawLabel(_ grid: inout Grid, _ rect: Rect) {
        guard let p = preview else { return }
        let (top, rest) = rect.splitTop(3)
        grid.text("\(p.rowCount) rows, \(p.header.count) columns: \(p.path)", x: 1, y: top.y, .bold, maxWidth: top.width - 2)
        grid.text("Which column holds the class label? ←→ to choose, Enter to load.", x: 1, y: top.y + 1, .plain)
        if let e = loadError { grid.text(e, x: 1, y: top.y + 2, .error, maxWidth: top.width - 2) }
        grid.box(rest, title: "Label column: \(p.header.indices.contains(labelCursor) ? p.header[labelCursor] : "")")
        let inner = rest.inset(1)
        // Columns of equal width, scrolled so the chosen one is visible.
        let colWidth = max(8, min(18, (p.header.map(\.count).max() ?? 8) + 2))
        let fit = max(1, inner.width / colWidth)
        let first = max(0, min(labelCursor - fit / 2, p.header.count - fit))
        for (k, c) in (first..<min(p.header.count, first + fit)).enumerated() {
            let x = inner.x + k * colWidth
            let chosen = c == labelCursor
            grid.text(p.header[c], x: x, y: inner.y, chosen ? Style(.yellow, [.bold, .reverse]) : .bold, maxWidth: colWidth - 1)
            for (r, record) in p.rows.prefix(inner.height - 1).enumerated() where record.indices.contains(c) {
                grid.text(record[c], x: x, y: inner.y + 1 + r, chosen ? Style(.yellow) : .plain, maxWidth: colWidth - 1)
            }
        }
    }
}
