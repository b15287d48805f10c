/// The what-if over the Run screen: validation and test accuracy of a logistic regression
/// trained on the valued rows, before and after the person's changes: flagged rows left out,
/// relabeled rows trained with their new label.
struct WhatIfOverlay: Screen {
    var scope: KeyScope { .whatIf }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        action == .close ? .close : nil
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        let title = rect.width >= 50 ? "What if the flagged rows were removed?" : "What-if"
        let inner = grid.panel(in: rect, width: 76, height: 13, title: title)
        let text = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 3)
        guard let w = session.whatIf else {
            grid.paragraph("retraining a logistic regression without the flagged rows, with the relabels…", in: text, .warn)
            return
        }
        var about = "Logistic regression trained on the valued rows, then without the \(w.removed) flagged among them"
        if w.relabeled > 0 { about += " and with the \(w.relabeled) relabeled" }
        about += w.unscored > 0 ? "; the \(w.unscored) flagged held-out rows are left out of both scores." : "."
        let lines = grid.paragraph(about, in: text)
        let top = inner.y + lines + 1
        grid.text("accuracy", x: inner.x + 2, y: top, .bold)
        for (k, h) in ["before", "after", "change"].enumerated() { grid.rightText(h, x: inner.x + 16 + k * 12, y: top, width: 10, .bold) }
        for (k, (name, pair)) in [("validation", w.validation), ("test", w.test)].enumerated() {
            let y = top + 1 + k
            grid.text(name, x: inner.x + 2, y: y)
            guard let (before, after) = pair else {
                grid.text("no rows held out", x: inner.x + 18, y: y, .dim)
                continue
            }
            let change = NumberFormat.signed(after - before, decimals: 3)
            grid.rightText(NumberFormat.fixed(before, decimals: 3), x: inner.x + 16, y: y, width: 10)
            grid.rightText(NumberFormat.fixed(after, decimals: 3), x: inner.x + 28, y: y, width: 10, .bold)
            grid.rightText(change, x: inner.x + 40, y: y, width: 10,
                           change.hasPrefix("+") ? .good : (change.hasPrefix("-") ? .error : .dim))
        }
        grid.text("Enter or Esc closes", x: inner.x + 1, y: inner.maxY - 1, .dim)
    }
}
