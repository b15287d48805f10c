import WorthEngine

/// A row's details over the Run screen: its value and rank, its label (and whether the
/// experiment flipped it, or the person relabeled it), the class probabilities from models that
/// did not see it and its suggested label, every cell of the row (scrolling), its value in each
/// run of the file, its nearest valued rows (standardised Euclidean) with their labels,
/// suggested labels and values, and its value over the run. j/k step through the ranked
/// table's rows, Space flags, l relabels.
struct RowDetailOverlay: Screen {
    /// The first cell shown.
    private(set) var cellTop = 0
    private var page = 10
    /// The nearest valued rows of the row shown (valued-row indices), for the run and row they
    /// were found for: found in `layout`, so drawing stays cheap.
    private(set) var neighbors: (run: String, row: Int, found: [NearestRows.Neighbor])?
    /// The cells of the data row shown, read from the file in `layout` when the row changes
    /// (the file's text is not kept), or why they could not be read.
    private(set) var record: (row: Int, cells: Result<[String], InputError>)?

    /// How many neighbours are listed.
    static let neighborCount = NearestRows.defaultCount

    var scope: KeyScope { .detail }

    mutating func appear(_ session: inout Session) {
        cellTop = 0
        session.run?.fitReferenceModel()
    }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        guard let r = session.run, let i = r.table.selected else { return .close }
        let cells = session.file?.header.count ?? 0
        switch action {
        case .nextRow: session.run?.table.move(1)
        case .previousRow: session.run?.table.move(-1)
        case .up: cellTop -= 1
        case .down: cellTop += 1
        case .pageUp: cellTop -= page
        case .pageDown: cellTop += page
        case .first: cellTop = 0
        case .last: cellTop = cells
        case .flag:
            let row = r.table.sourceRows[i]
            let on = !session.flags.contains(row)
            session.setFlags([row], on: on) { _ in on ? "flagged row \(row)" : "unflagged row \(row)" }
        case .relabel: return RelabelQuestion.ask(&session)
        case .undo: session.undo()
        case .redo: session.redo()
        case .close: return .close
        default: break
        }
        cellTop = max(0, min(cellTop, cells - page))
        return nil
    }

    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        RelabelQuestion.answer(prompt, &session)
    }

    /// The panel's size in `rect`.
    static func frame(_ rect: Rect) -> (width: Int, height: Int) { (min(140, rect.width - 2), rect.height - 2) }
    /// Where the cells go in the panel's inside (left), and the runs, neighbours and chart (right).
    static func columns(_ inner: Rect) -> (cells: Rect, side: Rect) {
        let body = Rect(x: inner.x, y: inner.y + 5, width: inner.width, height: inner.height - 5)
        let cellsWidth = max(30, min(48, body.width * 2 / 5))
        return body.splitLeft(cellsWidth)
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        let (w, h) = Self.frame(rect)
        page = max(1, Self.columns(Rect(x: 0, y: 0, width: w - 2, height: h - 2)).cells.height - 1)
        cellTop = max(0, min(cellTop, (session.file?.header.count ?? 0) - page))
        guard let r = session.run, let i = r.table.selected else { neighbors = nil; return }
        let row = r.table.sourceRows[i]
        if record?.row != row, let f = session.file {
            record = (row, Result { try f.cells(ofRow: row) ?? [] }.mapError {
                $0 as? InputError ?? InputError(file: f.path, "cannot be read")
            })
        }
        if neighbors?.run != r.id || neighbors?.row != i {
            let search = NearestRows(features: r.experiment.problem.train, standardize: false)
            neighbors = (r.id, i, search.neighbors(of: i, k: Self.neighborCount))
        }
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let r = session.run, let f = session.file, let i = r.table.selected else { return }
        let row = r.table.sourceRows[i]
        let cells = self.record?.row == row ? self.record?.cells : nil
        let e = r.experiment, names = e.classNames, marks = session.rowMarks
        let (w, h) = Self.frame(rect)
        let inner = grid.panel(in: rect, width: w, height: h, title: "Row \(row)")
        let text = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 1)
        var line = "value \(formatNumber(r.table.values[i]))"
        if let se = r.table.standardErrors?[i], se.isFinite { line += " ± \(formatNumber(se, digits: 2))" }
        if r.table.ranks[i] > 0 { line += "   rank \(r.table.ranks[i]) of \(r.table.valuedCount) (1 = lowest)" }
        if session.flags.contains(row) { line += "   flagged" }
        grid.paragraph(line, in: text, .bold)
        let used = names[e.problem.trainLabels[i]], original = names[e.originalLabels[i]]
        var label = e.flipped[i] ? "label flipped by the experiment: \(original) → \(used)" : "label \(used)"
        if let new = marks.relabels[row] { label += "   relabeled → \(names[new]) (l changes, u undoes)" }
        grid.paragraph(label, in: Rect(x: text.x, y: text.y + 1, width: text.width, height: 1),
                       e.flipped[i] || marks.relabels[row] != nil ? .warn : .plain)
        let modelArea = Rect(x: text.x, y: text.y + 2, width: text.width, height: 2)
        if let model = r.reference {
            // The suggested label, then every class, most probable first.
            let p = model.probabilities(of: i)
            let ranked = zip(names, p).sorted { $0.1 > $1.1 }
            let agrees = model.predicted[i] == t(r, i, marks)
            var items = ranked.map { "\($0.0) \(NumberFormat.fixed($0.1, decimals: 3))" }
            items[0] = "P: " + items[0]
            items.insert("suggested label \(names[model.predicted[i]]) (models that did not see the row) ", at: 0)
            for (k, line) in wrapItems(items, width: modelArea.width).prefix(modelArea.height).enumerated() {
                grid.text(line, x: modelArea.x, y: modelArea.y + k, agrees ? .plain : .warn)
            }
        } else {
            grid.paragraph("suggested label: fitting logistic regressions on the other rows (5 folds)…", in: modelArea, .dim)
        }
        let (cellsArea, side) = Self.columns(inner)
        drawCells(&grid, cellsArea, f, cells)
        var y = side.y
        // The row's value in every run of the file.
        let runs = session.runs
        grid.text("value in each run", x: side.x, y: y, .title, maxWidth: side.width - 1)
        y += 1
        for run in runs.prefix(max(1, min(runs.count, (side.height - 2) / 3))) {
            let k = run.table.index(ofSourceRow: row)
            let v = k.map { run.table.values[$0] } ?? .nan
            let rank = k.map { run.table.ranks[$0] } ?? 0
            let valued = run.table.valuedCount
            let text = "\(run.methodTitle)  " + (k == nil ? "not valued (held out there)" : formatNumber(v) + (rank > 0 ? "  rank \(rank)/\(valued)" : ""))
            grid.text(text, x: side.x + 1, y: y, run.id == r.id ? .bold : .plain, maxWidth: side.width - 2)
            y += 1
        }
        // Its nearest valued rows.
        if let found = neighbors?.found, y + 2 < side.maxY {
            y += 1
            grid.text("nearest valued rows", x: side.x, y: y, .title, maxWidth: side.width - 1)
            y += 1
            // Columns: row, label, suggested label, value, distance (in standard deviations).
            let w = max(5, min(12, names.map(\.count).max() ?? 5)) + 1
            let columns = [(6, true), (w, false), (w, false), (9, true), (6, true)]
            func put(_ cells: [String], _ style: Style) {
                var x = side.x + 1
                for ((width, right), c) in zip(columns, cells) where x + width <= side.maxX {
                    if right { grid.rightText(c, x: x, y: y, width: width - 1, style) } else { grid.text(c, x: x, y: y, style, maxWidth: width - 1) }
                    x += width
                }
                y += 1
            }
            put(["row", "label", "suggested", "value", "dist"], .bold)
            for n in found where y < side.maxY {
                let j = n.row, label = t(r, j, marks)
                put([String(r.table.sourceRows[j]), names[label], r.predicted(j).map { names[$0] } ?? "…",
                     formatNumber(r.table.values[j]), formatNumber(n.distance, digits: 2)], label == t(r, i, marks) ? .plain : .warn)
            }
        }
        // Its value over the run, where there is room.
        if side.maxY - y >= 5 {
            y += 1
            grid.text("value as the run went on", x: side.x, y: y, .title, maxWidth: side.width - 1)
            Charts.line(&grid, rect: Rect(x: side.x, y: y + 1, width: side.width - 1, height: side.maxY - y - 1),
                        points: r.history.trajectory(of: i), target: nil, color: .cyan)
        }
    }

    /// The class of valued row `i` of `r` now (its new one when relabeled).
    private func t(_ r: Run, _ i: Int, _ marks: RowMarks) -> Int { r.table.label(i, marks) }

    private func drawCells(_ grid: inout Grid, _ cells: Rect, _ f: OpenFile, _ read: Result<[String], InputError>?) {
        if case .failure(let error) = read {
            grid.paragraph(EngineMessages.describe(error), in: Rect(x: cells.x + 1, y: cells.y, width: cells.width - 2, height: 4), .error)
            return
        }
        let record = (try? read?.get()) ?? []
        let shown = max(0, cells.height - 1)
        let scrolls = f.header.count > shown
        grid.text("cells" + (scrolls ? " \(cellTop + 1)–\(min(f.header.count, cellTop + shown)) of \(f.header.count) (↑↓)" : ""),
                  x: cells.x + 1, y: cells.y, .title, maxWidth: cells.width - 2)
        let nameWidth = min(20, (f.header.map(\.count).max() ?? 6) + 1)
        for (k, c) in (cellTop..<min(f.header.count, cellTop + shown)).enumerated() {
            let y = cells.y + 1 + k
            grid.text(f.header[c], x: cells.x + 1, y: y, c == f.loaded.labelColumn ? .bold : .dim, maxWidth: nameWidth)
            grid.text(record.indices.contains(c) ? record[c] : "", x: cells.x + 2 + nameWidth, y: y, .plain,
                      maxWidth: cells.width - nameWidth - 3)
        }
    }
}
