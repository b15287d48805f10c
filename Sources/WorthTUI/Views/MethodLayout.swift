import WorthEngine

/// Where the Method screen's parts go, and its field list as lines: a field's description
/// wraps beside it when the column is at least `minSummaryWidth` wide; otherwise the list holds
/// names and values only and the focused field's whole description goes under the list.
struct MethodLayout {
    static let minSummaryWidth = 24

    /// One line of the field list: a heading, a blank, or (part of) a field.
    struct Line {
        var field: Int?
        /// Whether it is the field's first line (name and value are on it).
        var first = true
        var name = "", value = "", summary = ""
        var style = Style.plain

        func draw(_ grid: inout Grid, x: Int, y: Int, _ l: MethodLayout) {
            guard field != nil else { grid.text(name, x: x, y: y, style); return }
            if first {
                grid.text(name, x: x + 1, y: y, .plain, maxWidth: l.nameWidth)
                grid.text(value, x: x + 1 + l.nameWidth, y: y, .bold, maxWidth: l.valueWidth)
            }
            let sx = x + 2 + l.nameWidth + l.valueWidth
            grid.text(summary, x: sx, y: y, style, maxWidth: l.list.maxX - sx)
        }
    }

    let methods: Rect, detail: Rect, text: Rect, list: Rect
    let nameWidth: Int, valueWidth: Int
    /// The description and validation note over the list, and what goes under it.
    let intro: [(String, Style)], footer: [(String, Style)]
    let lines: [Line]

    init(rect: Rect, screen: MethodScreen, session: Session) {
        (methods, detail) = rect.splitLeft(min(34, rect.width / 3))
        let inner = detail.inset(1)
        text = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard let m = screen.selected else {
            (list, nameWidth, valueWidth, intro, footer, lines) = (text, 0, 0, [], [], [])
            return
        }
        let values = screen.choices.values(of: m)
        var fields: [(name: String, value: String, summary: String, unused: Bool)] = m.parameters.map {
            ($0.name, values.text($0.name), $0.summary, false)
        }
        for s in ExperimentSetting.allCases {
            let unused = s == .validation && !m.needsValidation
            fields.append((s.name, unused ? "–" : screen.choices.text(of: s), unused ? "not used by \(m.title)" : s.summary, unused))
        }
        nameWidth = min(26, (fields.map(\.name.count).max() ?? 4) + 2)
        valueWidth = min(14, max(6, (fields.map(\.value.count).max() ?? 4) + 2))
        let summaryWidth = text.width - nameWidth - valueWidth - 3
        let wide = summaryWidth >= Self.minSummaryWidth

        var intro = wrapWords(m.summary, width: text.width).map { ($0, Style.plain) }
        let validation = m.needsValidation ? "Scores models on held-out validation rows."
            : "Needs no validation set: every row that is not held out for testing is valued."
        intro += wrapWords(validation, width: text.width).map { ($0, Style.dim) }
        intro.append(("", .plain))
        self.intro = intro

        var lines: [Line] = [Line(name: "Parameters", style: .title)]
        for (k, f) in fields.enumerated() {
            if k == m.parameters.count { lines += [Line(), Line(name: "Experiment", style: .title)] }
            let parts = wide ? wrapWords(f.summary, width: summaryWidth) : [""]
            for (p, part) in parts.enumerated() {
                lines.append(Line(field: k, first: p == 0, name: f.name, value: f.value, summary: part, style: .dim))
            }
        }
        self.lines = lines

        var footer: [(String, Style)] = []
        if screen.focusOnFields && !wide && fields.indices.contains(screen.fieldCursor) {
            let f = fields[screen.fieldCursor]
            footer = wrapWords("\(f.name): \(f.summary)", width: text.width).map { ($0, Style.plain) }
        }
        let hint = screen.focusOnFields ? "Enter edits the field; R runs \(m.title)."
            : session.file == nil ? "Open a file first (Tab to the Open screen)." : "Enter runs \(m.title); → edits its parameters."
        footer = [("", .plain)] + footer + wrapWords(hint, width: text.width).map { ($0, Style.key) }
        self.footer = footer
        list = Rect(x: text.x, y: text.y + intro.count, width: text.width, height: max(1, text.height - intro.count - footer.count))
    }
}
