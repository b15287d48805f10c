import Foundation
import WorthEngine

/// The Dataset screen: the file as loaded (rows kept, classes, what each column holds) and a
/// map of its rows. Every class is shown (in as many columns of bars as fit, scrolling beyond),
/// and the columns list scrolls; ←→ chooses which of the two the scroll keys move.
struct DatasetScreen: Screen {
    enum Focus { case classes, columns }
    private(set) var focus = Focus.columns
    /// First class row and first column shown.
    private(set) var classTop = 0
    private(set) var columnTop = 0
    private var layout = DatasetLayout(rect: Rect(x: 0, y: 0, width: 80, height: 22), classCount: 1, columnCount: 1)
    /// The map as drawn for its plot's size, and the map it was drawn from (made in `layout`
    /// when either changes: it places every row).
    private var raster: (map: DatasetMap.ID, view: DatasetMapView.Raster)?

    var scope: KeyScope { .dataset }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        switch action {
        case .activate: return .show(.method)
        case .back: return .show(.open)
        case .left, .right: focus = focus == .classes ? .columns : .classes
        case .up: scroll(-1)
        case .down: scroll(1)
        case .pageUp: scroll(-page)
        case .pageDown: scroll(page)
        case .first: scroll(-.max / 2)
        case .last: scroll(.max / 2)
        default: break
        }
        return nil
    }

    private var page: Int { focus == .classes ? layout.classRows : layout.columnRows }

    private mutating func scroll(_ delta: Int) {
        if focus == .classes {
            classTop = min(max(0, layout.classRowsTotal - layout.classRows), max(0, classTop + delta))
        } else {
            columnTop = min(max(0, layout.columnCount - layout.columnRows), max(0, columnTop + delta))
        }
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        guard let f = session.file else { return }
        layout = DatasetLayout(rect: rect, classCount: f.loaded.dataset.classCount, columnCount: f.columns.count)
        scroll(0)
        guard let map = session.map else { raster = nil; return }
        let names = f.loaded.dataset.classNames
        let plot = DatasetMapView.layout(DatasetMapView.legend(.unicode, classNames: names), in: layout.map.inset(1)).plot
        if raster?.map != map.id || raster?.view.width != plot.width || raster?.view.height != plot.height {
            raster = (map.id, DatasetMapView.Raster(map: map, dataset: f.loaded.dataset, width: plot.width, height: plot.height))
        }
        raster?.view.flag(session.flags, map: map, dataset: f.loaded.dataset)
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let f = session.file else { return }
        let l = DatasetLayout(rect: rect, classCount: f.loaded.dataset.classCount, columnCount: f.columns.count)
        drawSummary(&grid, l, f)
        drawColumns(&grid, l, f)
        let titles = ["Map: first two principal components", "Map: principal components", "Map (PCA)"]
        grid.box(l.map, title: titles.first { $0.count <= l.map.width - 6 } ?? "Map")
        let inner = l.map.inset(1)
        if let map = session.map, let raster, raster.map == map.id {
            DatasetMapView(map: map, dataset: f.loaded.dataset, raster: raster.view).draw(&grid, inner)
        } else {
            grid.paragraph("computing the map…", in: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 1), .dim)
        }
    }

    private func drawSummary(_ grid: inout Grid, _ l: DatasetLayout, _ f: OpenFile) {
        let data = f.loaded.dataset
        let scrolls = l.classRowsTotal > l.classRows
        let range = scrolls ? " · rows \(classTop + 1)–\(classTop + l.classRows) of \(l.classRowsTotal)" : ""
        grid.box(l.summary, title: URL(fileURLWithPath: f.path).lastPathComponent + range,
                 focus == .classes && scrolls ? Style(.cyan) : .dim)
        let s = l.summary.inset(1)
        let label = f.loaded.header.indices.contains(f.loaded.labelColumn) ? f.loaded.header[f.loaded.labelColumn] : "?"
        let dropped = f.loaded.droppedRows.count
        let rows = dropped == 0 ? "\(data.count) rows" : "\(data.count) rows (\(dropped) of \(f.loaded.totalRows) dropped)"
        let line = "\(rows), \(f.loaded.header.count) columns, label '\(label)', \(data.classCount) classes, \(data.featureCount) features"
        let text = Rect(x: s.x + 1, y: s.y, width: s.width - 2, height: 3)
        let used = grid.paragraph(line, in: text, .bold)
        grid.paragraph(f.loaded.notes.first ?? "no missing cells", in: Rect(x: text.x, y: text.y + used, width: text.width, height: 3 - used), .dim)
        let counts = f.classCounts
        let most = max(1, counts.max() ?? 1)
        let cellWidth = s.width / l.classColumns
        let nameWidth = min(16, (data.classNames.map(\.count).max() ?? 4) + 1)
        let countWidth = String(most).count
        for c in 0..<data.classCount {
            let row = c / l.classColumns - classTop, column = c % l.classColumns
            guard row >= 0, row < l.classRows else { continue }
            let x = s.x + 1 + column * cellWidth, y = s.y + 3 + row
            grid.put(grid.glyphs.classMark(c), x: x, y: y, Style(classColor(c), .bold))
            grid.text(data.classNames[c], x: x + 2, y: y, Style(classColor(c)), maxWidth: nameWidth)
            let barWidth = max(2, cellWidth - nameWidth - countWidth - 5)
            grid.bar(fraction: Double(counts[c]) / Double(most), x: x + 3 + nameWidth, y: y, width: barWidth, Style(classColor(c)))
            grid.rightText(String(counts[c]), x: x + 4 + nameWidth + barWidth, y: y, width: countWidth)
        }
    }

    private func drawColumns(_ grid: inout Grid, _ l: DatasetLayout, _ f: OpenFile) {
        let scrolls = f.columns.count > l.columnRows
        let title = "Columns" + (scrolls ? " \(columnTop + 1)–\(min(f.columns.count, columnTop + l.columnRows)) of \(f.columns.count)" : "")
        grid.box(l.columns, title: title, focus == .columns && scrolls ? Style(.cyan) : .dim)
        let t = l.columns.inset(1)
        grid.clip = t
        defer { grid.clip = nil }
        // The name as wide as the longest (at most 22); then as many of min, mean, max as fit.
        let longest = min(22, (f.columns.map(\.name.count).max() ?? 6) + 1)
        let fitting = max(0, (t.width - 2 - longest - 16) / 10)
        let stats: [(String, KeyPath<ColumnSummary, Double?>)] = fitting >= 3 ? [("min", \.minimum), ("mean", \.mean), ("max", \.maximum)]
            : fitting == 2 ? [("min", \.minimum), ("max", \.maximum)] : fitting == 1 ? [("mean", \.mean)] : []
        let w = max(6, min(longest, t.width - 18 - stats.count * 10))
        let x = t.x + w + 2
        grid.text("column", x: t.x + 1, y: t.y, .bold, maxWidth: w)
        grid.text("type", x: x, y: t.y, .bold)
        grid.rightText("missing", x: x + 7, y: t.y, width: 7, .bold)
        for (k, h) in stats.enumerated() { grid.rightText(h.0, x: x + 15 + k * 10, y: t.y, width: 9, .bold) }
        for (r, c) in f.columns.dropFirst(columnTop).prefix(l.columnRows).enumerated() {
            let y = t.y + 1 + r
            grid.text(c.name, x: t.x + 1, y: y, c.kind == .label ? .bold : .plain, maxWidth: w)
            grid.text(c.kind.rawValue, x: x, y: y, c.kind == .label ? Style(.yellow) : .dim)
            grid.rightText(String(c.missing), x: x + 7, y: y, width: 7, c.missing > 0 ? .warn : .dim)
            if c.mean != nil {
                for (k, stat) in stats.enumerated() { grid.rightText(c[keyPath: stat.1].map { formatNumber($0) } ?? "", x: x + 15 + k * 10, y: y, width: 9) }
            } else {
                let top = c.topValues.map { "\($0.value) \($0.count)" }.joined(separator: ", ")
                grid.text("\(c.distinct) values: \(top)", x: x + 16, y: y, .dim, maxWidth: t.maxX - x - 17)
            }
        }
    }
}

/// Where the Dataset screen's parts go in `rect`: the summary with the class bars (in as many
/// columns as fit, at most half the height), the columns list below it, the map on the right.
struct DatasetLayout {
    let summary: Rect, columns: Rect, map: Rect
    /// Class bars per line, lines shown, and lines needed for every class.
    let classColumns: Int, classRows: Int, classRowsTotal: Int
    /// Columns-list rows shown, and columns in all.
    let columnRows: Int, columnCount: Int

    init(rect: Rect, classCount: Int, columnCount: Int) {
        let mapWidth = min(rect.width / 2, max(30, rect.width - 70))
        let (left, map) = rect.splitLeft(rect.width - mapWidth)
        self.map = map
        let perBar = 22
        classColumns = max(1, min(max(1, classCount), (left.width - 2) / perBar))
        classRowsTotal = (classCount + classColumns - 1) / classColumns
        classRows = max(1, min(classRowsTotal, rect.height / 2 - 5))
        (summary, columns) = left.splitTop(5 + classRows)
        columnRows = max(0, columns.height - 3)
        self.columnCount = columnCount
    }
}
