/// A row's details over the Run screen: its value and rank, its label (and whether the
/// experiment flipped it), the reference model's view of it, every cell of the row (scrolling),
/// and its value over the run. j/k step through the ranked table's rows, Space flags.
struct RowDetailOverlay: Screen {
    /// The first cell shown.
    private(set) var cellTop = 0
    private var page = 10

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

    /// The panel's size in `rect`, and where the cells go in its inside.
    static func frame(_ rect: Rect) -> (width: Int, height: Int) { (min(100, rect.width - 2), rect.height - 2) }
    static func cellsRect(_ inner: Rect) -> Rect { Rect(x: inner.x, y: inner.y + 5, width: inner.width / 2, height: inner.height - 5) }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        let (w, h) = Self.frame(rect)
        page = max(1, Self.cellsRect(Rect(x: 0, y: 0, width: w - 2, height: h - 2)).height - 1)
        cellTop = max(0, min(cellTop, (session.file?.header.count ?? 0) - page))
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let r = session.run, let f = session.file, let i = r.table.selected else { return }
        let row = r.table.sourceRows[i]
        let record = f.records.indices.contains(row - 1) ? f.records[row - 1] : []
        let e = r.experiment
        let (w, h) = Self.frame(rect)
        let inner = grid.panel(in: rect, width: w, height: h, title: "Row \(row)")
        let text = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 1)
        var line = "value \(formatNumber(r.table.values[i]))"
        if let se = r.table.standardErrors?[i], se.isFinite { line += " ± \(formatNumber(se, digits: 2))" }
        if r.table.ranks[i] > 0 { line += "   rank \(r.table.ranks[i]) of \(r.table.ranks.filter { $0 > 0 }.count) (1 = lowest)" }
        if session.flags.contains(row) { line += "   flagged" }
        grid.paragraph(line, in: text, .bold)
        let used = e.classNames[e.problem.trainLabels[i]], original = e.classNames[e.originalLabels[i]]
        grid.paragraph(e.flipped[i] ? "label flipped by the experiment: \(original) → \(used)" : "label \(used)",
                       in: Rect(x: text.x, y: text.y + 1, width: text.width, height: 1), e.flipped[i] ? .warn : .plain)
        let modelArea = Rect(x: text.x, y: text.y + 2, width: text.width, height: 2)
        if let model = r.reference {
            // The reference model's view of the row: its prediction, then every class, most probable first.
            let p = model.probabilities(of: i)
            let ranked = zip(e.classNames, p).sorted { $0.1 > $1.1 }
            let agrees = model.predicted[i] == e.problem.trainLabels[i]
            var items = ranked.map { "\($0.0) \(NumberFormat.fixed($0.1, decimals: 3))" }
            items[0] = "P: " + items[0]
            items.insert("model predicts \(e.classNames[model.predicted[i]]) ", at: 0)
            for (k, line) in wrapItems(items, width: modelArea.width).prefix(modelArea.height).enumerated() {
                grid.text(line, x: modelArea.x, y: modelArea.y + k, agrees ? .plain : .warn)
            }
        } else {
            grid.paragraph("model: fitting a logistic regression on the valued rows…", in: modelArea, .dim)
        }
        let cells = Self.cellsRect(inner)
        let chart = Rect(x: cells.maxX, y: cells.y, width: inner.maxX - cells.maxX, height: cells.height)
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
        grid.text("value as the run went on", x: chart.x, y: chart.y, .title, maxWidth: chart.width - 1)
        Charts.line(&grid, rect: Rect(x: chart.x, y: chart.y + 1, width: chart.width - 1, height: chart.height - 1),
                    points: r.history.trajectory(of: i), target: nil, color: .cyan)
    }
}
