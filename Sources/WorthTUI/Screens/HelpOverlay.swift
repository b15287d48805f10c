/// The help: the keys of the screen it was opened on first, then the keys that work
/// everywhere, then how flags are kept; every description wrapped whole, the panel scrolled
/// when it does not fit.
struct HelpOverlay: Screen {
    /// The screen's scopes, in the order listed.
    let scopes: [KeyScope]
    private(set) var top = 0
    private var page = 10
    private var lineCount = 0

    init(scopes: [KeyScope]) { self.scopes = scopes }

    var scope: KeyScope { .help }

    /// The help's lines for a panel `width` cells wide inside: (keys, text, style).
    func lines(width: Int) -> [(keys: String, text: String, style: Style)] {
        let sections = scopes + [.global]
        let keyWidth = min(18, sections.flatMap(KeyTable.bindings(in:)).map(\.keys.count).max() ?? 4) + 2
        var out: [(String, String, Style)] = []
        for scope in sections {
            if !out.isEmpty { out.append(("", "", .plain)) }
            out.append(("", scope.title, .title))
            for b in KeyTable.bindings(in: scope) {
                let keyLines = wrapWords(b.keys, width: keyWidth - 1)
                let textLines = wrapWords(b.help, width: max(10, width - keyWidth - 1))
                for k in 0..<max(keyLines.count, textLines.count) {
                    out.append((k < keyLines.count ? keyLines[k] : "", k < textLines.count ? textLines[k] : "", .plain))
                }
            }
        }
        out.append(("", "", .plain))
        for note in wrapWords("Flags are saved beside the data file at every change and come back when it is reopened; "
                              + "exports and the what-if leave out every flagged row.", width: width - 1) {
            out.append(("", note, .dim))
        }
        return out.map { ($0.0, $0.1, $0.2) }
    }

    static func panel(_ rect: Rect) -> (width: Int, height: Int) { (min(100, rect.width - 2), rect.height - 2) }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        switch action {
        case .up: top -= 1
        case .down: top += 1
        case .pageUp: top -= page
        case .pageDown: top += page
        case .first: top = 0
        case .last: top = lineCount
        case .close: return .close
        default: break
        }
        top = max(0, min(top, lineCount - page))
        return nil
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        let (w, h) = Self.panel(rect)
        lineCount = lines(width: w - 4).count
        page = max(1, min(h - 2, lineCount + 1) - 1)
        top = max(0, min(top, lineCount - page))
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        let (w, h) = Self.panel(rect)
        let all = lines(width: w - 4)
        let inner = grid.panel(in: rect, width: w, height: min(h, all.count + 3), title: "Keys")
        let shown = max(1, inner.height - 1)
        let keyWidth = min(18, (scopes + [.global]).flatMap(KeyTable.bindings(in:)).map(\.keys.count).max() ?? 4) + 2
        for (k, line) in all.dropFirst(top).prefix(shown).enumerated() {
            let y = inner.y + k
            if line.style == .title {
                grid.text(line.text, x: inner.x + 1, y: y, .title)
            } else {
                grid.text(line.keys, x: inner.x + 1, y: y, .key)
                grid.text(line.text, x: inner.x + 1 + (line.keys.isEmpty && line.style == .dim ? 0 : keyWidth), y: y, line.style)
            }
        }
        let more = top + shown < all.count
        let footer = more ? "\(grid.glyphs.down) more below: ↓ PgDn scroll · Esc closes" : (top > 0 ? "↑ PgUp scroll back · Esc closes" : "Esc closes")
        grid.text(footer, x: inner.x + 1, y: inner.maxY - 1, .dim, maxWidth: inner.width - 2)
    }
}
