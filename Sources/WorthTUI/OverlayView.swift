import Foundation

/// Every key, as the help overlay lists it (and the README).
let keyHelp: [(String, String)] = [
    ("↑↓ j k", "move"),
    ("PgUp PgDn b", "page up / down"),
    ("g G Home End", "first / last row"),
    ("/", "jump to a data-row number"),
    ("s", "cycle sort: value ↑, value ↓, row, stderr"),
    ("Space", "flag / unflag the row"),
    ("f", "flag the lowest N% (or '<0': all below 0)"),
    ("u", "unflag all"),
    ("F", "show flagged rows only / all rows"),
    ("Enter", "open / run / row details"),
    ("p", "pause / resume the display (the run continues)"),
    ("x", "cancel the run (keeps the values so far)"),
    ("r", "what-if: retrain without the flagged rows"),
    ("e", "export values, flagged rows, cleaned file"),
    ("Tab Shift-Tab", "next / previous screen"),
    ("o", "type a path to open (Tab completes)"),
    ("m", "label picker: missing cells error / drop / impute"),
    ("Esc", "back / close"),
    ("?", "this help"),
    ("q Ctrl-C", "quit (asks first if flags could not be saved)"),
]

extension Workbench {
    /// A centred panel of `width` × `height` inside `rect`, cleared and framed.
    func panel(_ grid: inout Grid, _ rect: Rect, width: Int, height: Int, title: String) -> Rect {
        let w = min(rect.width - 2, width), h = min(rect.height - 2, height)
        let box = Rect(x: rect.x + (rect.width - w) / 2, y: rect.y + (rect.height - h) / 2, width: w, height: h)
        grid.fill(box)
        grid.box(box, title: title, Style(.cyan))
        return box.inset(1)
    }

    func drawHelp(_ grid: inout Grid, _ rect: Rect) {
        let inner = panel(&grid, rect, width: 64, height: keyHelp.count + 4, title: "Keys")
        for (k, (key, what)) in keyHelp.enumerated() where k < inner.height - 1 {
            grid.text(key, x: inner.x + 2, y: inner.y + k, .key)
            grid.text(what, x: inner.x + 18, y: inner.y + k, .plain, maxWidth: inner.width - 19)
        }
        grid.text("Flags are saved beside the data file at once and restored when it is reopened.", x: inner.x + 2, y: inner.maxY - 1, .dim, maxWidth: inner.width - 3)
    }

    func drawWhatIf(_ grid: inout Grid, _ rect: Rect) {
        let inner = panel(&grid, rect, width: 76, height: 10, title: "What if the flagged rows were removed?")
        guard let w = whatIf else {
            grid.text("retraining a logistic regression without the flagged rows…", x: inner.x + 1, y: inner.y + 1, .warn)
            return
        }
        grid.text("Logistic regression trained on the valued rows, then without the \(w.removed) flagged.",
                  x: inner.x + 1, y: inner.y, .plain, maxWidth: inner.width - 2)
        grid.text("accuracy", x: inner.x + 2, y: inner.y + 2, .bold)
        for (k, h) in ["before", "after", "change"].enumerated() { grid.rightText(h, x: inner.x + 16 + k * 12, y: inner.y + 2, width: 10, .bold) }
        for (k, (name, pair)) in [("validation", w.validation), ("test", w.test)].enumerated() {
            let y = inner.y + 3 + k
            grid.text(name, x: inner.x + 2, y: y)
            guard let (before, after) = pair else {
                grid.text("no rows held out", x: inner.x + 18, y: y, .dim)
                continue
            }
            let change = after - before
            grid.rightText(String(format: "%.3f", before), x: inner.x + 16, y: y, width: 10)
            grid.rightText(String(format: "%.3f", after), x: inner.x + 28, y: y, width: 10, .bold)
            grid.rightText(String(format: "%+.3f", change), x: inner.x + 40, y: y, width: 10,
                           change > 0 ? .good : (change < 0 ? .error : .dim))
        }
        grid.text("Enter or Esc closes", x: inner.x + 1, y: inner.maxY - 1, .dim)
    }

    func drawDetail(_ grid: inout Grid, _ rect: Rect) {
        guard let r = run, let f = file, let i = r.table.selected else { return }
        let row = r.table.sourceRows[i]
        let record = f.records.indices.contains(row - 1) ? f.records[row - 1] : []
        let e = r.experiment
        let inner = panel(&grid, rect, width: 76, height: max(17, min(rect.height - 2, f.header.count + 13)), title: "Row \(row)")
        var y = inner.y
        let v = r.table.values[i]
        var line = "value \(formatNumber(v))"
        if let se = r.table.standardErrors?[i], se.isFinite { line += " ± \(formatNumber(se, digits: 2))" }
        if r.table.ranks[i] > 0 { line += "   rank \(r.table.ranks[i]) of \(r.table.ranks.filter { $0 > 0 }.count) (1 = lowest)" }
        if flags.contains(row) { line += "   flagged" }
        grid.text(line, x: inner.x + 1, y: y, .bold, maxWidth: inner.width - 2)
        y += 1
        let used = e.classNames[e.problem.trainLabels[i]], original = e.classNames[e.originalLabels[i]]
        grid.text(e.flipped[i] ? "label flipped by the experiment: \(original) → \(used)" : "label \(used)",
                  x: inner.x + 1, y: y, e.flipped[i] ? .warn : .plain, maxWidth: inner.width - 2)
        y += 1
        if let model = r.reference {
            // The reference model's view of the row: its prediction, then every class, most probable first.
            let p = model.probabilities(of: i)
            let ranked = zip(e.classNames, p).sorted { $0.1 > $1.1 }
            var x = inner.x + 1 + grid.text("model predicts \(e.classNames[model.predicted[i]])", x: inner.x + 1, y: y,
                                                model.predicted[i] == e.problem.trainLabels[i] ? .plain : .warn)
            x += grid.text("   P: ", x: x, y: y, .dim)
            grid.text(ranked.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: "  "), x: x, y: y, .plain,
                      maxWidth: inner.maxX - x - 1)
        } else {
            grid.text("model: fitting a logistic regression on the valued rows…", x: inner.x + 1, y: y, .dim)
        }
        y += 2
        // Original cells on the left, the value's trajectory on the right.
        let (cells, chart) = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y).splitLeft(inner.width / 2)
        let nameWidth = min(20, (f.header.map(\.count).max() ?? 6) + 1)
        for (k, name) in f.header.enumerated() where k < cells.height {
            grid.text(name, x: cells.x + 1, y: cells.y + k, k == f.loaded.labelColumn ? .bold : .dim, maxWidth: nameWidth)
            grid.text(record.indices.contains(k) ? record[k] : "", x: cells.x + 2 + nameWidth, y: cells.y + k, .plain,
                      maxWidth: cells.width - nameWidth - 3)
        }
        grid.text("value as the run went on", x: chart.x, y: chart.y, .title)
        Charts.line(&grid, rect: Rect(x: chart.x, y: chart.y + 1, width: chart.width - 1, height: chart.height - 1),
                    points: r.history.trajectory(of: i), target: nil, color: .cyan)
    }
}
