import WorthEngine

/// The Dataset screen's map: each row placed by its first two principal components, one mark
/// per cell in the mark and colour of the class most of the cell's rows belong to (so classes
/// stay apart without colour and when the colours repeat), flagged rows over them, and a legend
/// of every class under the map.
///
/// Placing the rows costs every row: it is done once per plot size (`Raster`, kept by the
/// screen), and the flagged rows once per change of the flags, so a frame costs the cells.
struct DatasetMapView {
    let map: DatasetMap
    let dataset: Dataset
    /// The map drawn for the plot's size, and the cells holding a flagged row.
    let raster: Raster

    /// The class shown in each cell of a plot (`width` × `height`), and the cells of flagged rows.
    struct Raster: Sendable {
        let width: Int, height: Int
        /// Per cell (row-major), the class with most rows there (ties: the lower class), or -1.
        let classes: [Int]
        /// The cells holding a flagged row, and the flags they were found for.
        private(set) var flaggedCells: Set<Int> = []
        private(set) var flags: Set<Int> = []

        /// Counts the rows of `dataset` per cell and class: a pass over every row.
        init(map: DatasetMap, dataset: Dataset, width: Int, height: Int) {
            self.width = width
            self.height = height
            let k = dataset.classCount
            var counts = [Int32](repeating: 0, count: width * height * k)
            for i in map.points.indices { counts[map.cell(of: i, width: width, height: height) * k + dataset.labels[i]] += 1 }
            classes = (0..<(width * height)).map { c in
                let row = counts[(c * k)..<((c + 1) * k)]
                guard let most = row.max(), most > 0, let label = row.firstIndex(of: most) else { return -1 }
                return label - c * k
            }
        }

        /// Finds the cells of the rows flagged in `flags` (data-row numbers), unless they are the
        /// flags found already: a binary search per flag, not a pass over the rows.
        mutating func flag(_ flags: Set<Int>, map: DatasetMap, dataset: Dataset) {
            guard flags != self.flags else { return }
            self.flags = flags
            flaggedCells = Set(flags.compactMap { row -> Int? in
                let rows = dataset.sourceRows
                var lo = 0, hi = rows.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if rows[mid] < row { lo = mid + 1 } else { hi = mid }
                }
                guard lo < rows.count, rows[lo] == row else { return nil }
                return map.cell(of: lo, width: width, height: height)
            })
        }
    }

    /// The legend's entries: each class's mark and name, then the flag.
    static func legend(_ glyphs: Glyphs, classNames: [String]) -> [String] {
        classNames.indices.map { "\(glyphs.classMark($0)) \(classNames[$0])" } + ["\(glyphs.flag) flagged"]
    }

    /// The legend's entries (indices into `items`) line by line in `rect`, and the plot above them.
    static func layout(_ items: [String], in rect: Rect) -> (plot: Rect, lines: [[Int]]) {
        var lines: [[Int]] = [[]]
        var used = 0
        for (k, item) in items.enumerated() {
            if used > 0 && used + 2 + item.count > rect.width - 2 { lines.append([]); used = 0 }
            lines[lines.count - 1].append(k)
            used += (used > 0 ? 2 : 0) + item.count
        }
        let legendRows = min(lines.count, max(1, rect.height / 3))
        return (Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height - legendRows), Array(lines.prefix(legendRows)))
    }

    /// Draws the map and its legend into `rect` (whose plot `raster` was made for).
    func draw(_ grid: inout Grid, _ rect: Rect) {
        let items = Self.legend(grid.glyphs, classNames: dataset.classNames)
        let (plot, lines) = Self.layout(items, in: rect)
        drawPoints(&grid, plot)
        for (row, line) in lines.enumerated() {
            var x = rect.x + 1
            for k in line {
                let style = k < dataset.classCount ? Style(classColor(k)) : .flagged
                x += grid.text(items[k], x: x, y: plot.maxY + row, style, maxWidth: rect.maxX - x) + 2
            }
        }
    }

    private func drawPoints(_ grid: inout Grid, _ rect: Rect) {
        guard !map.points.isEmpty, rect.width > 2, rect.height > 2, raster.width == rect.width, raster.height == rect.height else { return }
        for c in 0..<(rect.width * rect.height) {
            let x = rect.x + c % rect.width, y = rect.y + c / rect.width
            if raster.flaggedCells.contains(c) {
                grid.put(grid.glyphs.flag, x: x, y: y, Style(.red, .bold))
            } else if raster.classes[c] >= 0 {
                let label = raster.classes[c]
                grid.put(grid.glyphs.classMark(label), x: x, y: y, Style(classColor(label)))
            }
        }
    }
}
