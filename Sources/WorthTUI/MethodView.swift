import WorthEngine

extension Workbench {
    func drawMethod(_ grid: inout Grid, _ rect: Rect) {
        let methods = services.methods
        let listWidth = min(34, rect.width / 3)
        let (listBox, detailBox) = rect.splitLeft(listWidth)
        grid.box(listBox, title: "Methods", focusOnFields ? .dim : Style(.cyan))
        let l = listBox.inset(1)
        if methods.isEmpty {
            grid.text("no methods in this build", x: l.x + 1, y: l.y, .dim)
        }
        for (i, m) in methods.enumerated() where i < l.height {
            grid.text(m.title, x: l.x + 1, y: l.y + i, .bold, maxWidth: l.width - 2)
            if i == methodCursor {
                grid.restyle(Rect(x: l.x, y: l.y + i, width: l.width, height: 1), focusOnFields ? Style(.cyan, .bold) : .selected)
            }
        }
        guard let m = selectedMethod else { return }
        grid.box(detailBox, title: m.title, focusOnFields ? Style(.cyan) : .dim)
        let d = detailBox.inset(1)
        grid.clip = d
        defer { grid.clip = nil }
        var y = d.y
        for line in wrapWords(m.summary, width: d.width - 2, lines: 3) {
            grid.text(line, x: d.x + 1, y: y, .plain, maxWidth: d.width - 2)
            y += 1
        }
        let validation = m.needsValidation ? "Scores models on held-out validation rows."
            : "Needs no validation set: every row that is not held out for testing is valued."
        for line in wrapWords(validation, width: d.width - 2, lines: 2) {
            grid.text(line, x: d.x + 1, y: y, .dim, maxWidth: d.width - 2)
            y += 1
        }
        y += 1
        let values = parameters[m.id] ?? m.defaults
        let nameWidth = 26
        grid.text("Parameters", x: d.x + 1, y: y, .title)
        y += 1
        var field = 0
        var focusedSummary: String?
        func row(_ name: String, _ value: String, _ summary: String) {
            if focusOnFields && field == fieldCursor { focusedSummary = "\(name): \(summary)" }
            guard y < d.maxY else { return }
            grid.text(name, x: d.x + 2, y: y, .plain, maxWidth: nameWidth)
            grid.text(value, x: d.x + 2 + nameWidth, y: y, .bold, maxWidth: 10)
            grid.text(summary, x: d.x + 14 + nameWidth, y: y, .dim, maxWidth: d.width - nameWidth - 15)
            if focusOnFields && field == fieldCursor {
                grid.restyle(Rect(x: d.x + 1, y: y, width: nameWidth + 12, height: 1), .selected)
            }
            field += 1
            y += 1
        }
        for spec in m.parameters { row(spec.name, values.text(spec.name), spec.summary) }
        y += 1
        if y < d.maxY { grid.text("Experiment", x: d.x + 1, y: y, .title) }
        y += 1
        for s in Setting.allCases {
            let unused = s == .validation && !m.needsValidation
            row(s.name, unused ? "–" : settingText(s), unused ? "not used by \(m.title)" : s.summary)
        }
        y += 1
        // The focused field's whole description (the rows above cut long ones short).
        if let focusedSummary {
            for line in wrapWords(focusedSummary, width: d.width - 2, lines: 3) where y < d.maxY {
                grid.text(line, x: d.x + 1, y: y, .plain, maxWidth: d.width - 2)
                y += 1
            }
            y += 1
        }
        if y < d.maxY {
            grid.text(focusOnFields ? "Enter edits the field; R runs." : "Enter runs \(m.title) on \(file.map { _ in "the open file" } ?? "nothing: open a file first"); → edits parameters.",
                      x: d.x + 1, y: y, .key, maxWidth: d.width - 2)
        }
    }
}
