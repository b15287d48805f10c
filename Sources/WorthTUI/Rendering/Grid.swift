import WorthEngine

/// One character cell of the screen.
struct Cell: Sendable, Equatable {
    var character: Character
    var style: Style

    init(_ character: Character = " ", _ style: Style = .plain) {
        self.character = character
        self.style = style
    }
}

/// A rectangle of the grid, in cells.
struct Rect: Sendable, Equatable {
    var x: Int, y: Int, width: Int, height: Int

    init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    var maxX: Int { x + width }
    var maxY: Int { y + height }

    /// The rectangle shrunk by `d` cells on every side.
    func inset(_ d: Int) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }

    /// Splits off the top `rows` rows; returns (top, rest).
    func splitTop(_ rows: Int) -> (Rect, Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }

    /// Splits off the left `columns` columns; returns (left, rest).
    func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let c = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }
}

/// The screen as a grid of cells that views draw into. The terminal backend shows it; tests
/// read it back as text. Drawing outside the grid (or a clip rectangle) is silently clipped,
/// so a view never has to check bounds.
struct Grid: Sendable, Equatable {
    let width: Int
    let height: Int
    private(set) var cells: [Cell]
    /// The characters used for boxes, bars and dots.
    var glyphs: Glyphs
    /// Whether the terminal shows colours (off with `NO_COLOR`): views that say something by
    /// colour alone say it by a character too when it is off.
    var colors = true
    /// When set, drawing outside this rectangle is dropped: a view sets it to its box so a
    /// long cell never spills into the neighbouring panel.
    var clip: Rect?

    init(width: Int, height: Int, glyphs: Glyphs = .unicode) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(), count: self.width * self.height)
        self.glyphs = glyphs
    }

    /// The whole grid.
    var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard writable(x, y) else { return }
            var cell = newValue
            if glyphs.asciiOnly && !cell.character.isASCII { cell.character = Glyphs.ascii(cell.character) }
            cells[y * width + x] = cell
        }
    }

    private func writable(_ x: Int, _ y: Int) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return false }
        guard let c = clip else { return true }
        return x >= c.x && x < c.maxX && y >= c.y && y < c.maxY
    }

    /// Sets one cell, if it is inside the grid and the clip rectangle.
    mutating func put(_ c: Character, x: Int, y: Int, _ style: Style = .plain) {
        self[x, y] = Cell(c, style)
    }

    /// Writes `text` from (`x`, `y`) rightwards, clipped at `maxWidth` cells (and the grid);
    /// a clipped text ends with an ellipsis. Returns the number of cells written.
    ///
    /// Every text enters the grid here, and much of it comes from files (header names, labels,
    /// cells, paths): control characters are written out visibly (`\e`, `\n`, …, see
    /// `escapingControlCharacters`), so no file can move the cursor, recolour or clear the
    /// terminal, or break a line of the screen.
    @discardableResult
    mutating func text(_ text: String, x: Int, y: Int, _ style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return 0 }
        let text = glyphs.spelled(text.escapingControlCharacters)
        var n = 0
        let count = text.count
        for ch in text {
            if n == limit - 1 && count > limit {
                self[x + n, y] = Cell(glyphs.ellipsis, style)
                return limit
            }
            if n >= limit { break }
            self[x + n, y] = Cell(ch, style)
            n += 1
        }
        return n
    }

    /// Writes `text` right-aligned so it ends just before `x + width` (escaped as by `text`).
    mutating func rightText(_ text: String, x: Int, y: Int, width: Int, _ style: Style = .plain) {
        let text = glyphs.spelled(text.escapingControlCharacters)
        let n = min(text.count, width)
        self.text(text, x: x + width - n, y: y, style, maxWidth: n)
    }

    /// Fills `rect` with `c`.
    mutating func fill(_ rect: Rect, _ c: Character = " ", _ style: Style = .plain) {
        for y in max(0, rect.y)..<min(height, rect.maxY) where rect.x < width {
            for x in max(0, rect.x)..<min(width, rect.maxX) where writable(x, y) { cells[y * width + x] = Cell(c, style) }
        }
    }

    /// Applies `style` to every cell of `rect`, keeping the characters (selection bars).
    mutating func restyle(_ rect: Rect, _ style: Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) where rect.x < width {
            for x in max(0, rect.x)..<min(width, rect.maxX) where writable(x, y) { cells[y * width + x].style = style }
        }
    }

    /// Draws a frame around `rect` with an optional title in its top edge.
    mutating func box(_ rect: Rect, title: String? = nil, _ style: Style = .dim) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let g = glyphs
        for x in rect.x + 1..<rect.maxX - 1 {
            put(g.horizontal, x: x, y: rect.y, style)
            put(g.horizontal, x: x, y: rect.maxY - 1, style)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            put(g.vertical, x: rect.x, y: y, style)
            put(g.vertical, x: rect.maxX - 1, y: y, style)
        }
        put(g.topLeft, x: rect.x, y: rect.y, style)
        put(g.topRight, x: rect.maxX - 1, y: rect.y, style)
        put(g.bottomLeft, x: rect.x, y: rect.maxY - 1, style)
        put(g.bottomRight, x: rect.maxX - 1, y: rect.maxY - 1, style)
        if let title, rect.width > 6 {
            text(" \(title) ", x: rect.x + 2, y: rect.y, .title, maxWidth: rect.width - 4)
        }
    }

    /// A horizontal bar of `fraction` (0…1) of `width` cells, with partial blocks.
    mutating func bar(fraction: Double, x: Int, y: Int, width: Int, _ style: Style = .plain) {
        guard width > 0 else { return }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let steps = glyphs.bar.count - 1
        let eighths = Int((f * Double(width * steps)).rounded())
        for i in 0..<width {
            let level = min(steps, max(0, eighths - i * steps))
            put(glyphs.bar[level], x: x + i, y: y, level == 0 ? .dim : style)
        }
    }

    /// The grid as text, one line per row, trailing spaces removed (for tests and snapshots).
    var text: String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = String(cells[(y * width)..<((y + 1) * width)].map(\.character))
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Row `y` as text (trailing spaces removed).
    func line(_ y: Int) -> String {
        var s = String(cells[(y * width)..<((y + 1) * width)].map(\.character))
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension Grid {
    /// A panel of at most `width` × `height` centred in `rect` (a cell short of its edges):
    /// cleared and framed; returns its inside.
    mutating func panel(in rect: Rect, width: Int, height: Int, title: String) -> Rect {
        let w = min(rect.width - 2, width), h = min(rect.height - 2, height)
        let box = Rect(x: rect.x + (rect.width - w) / 2, y: rect.y + (rect.height - h) / 2, width: w, height: h)
        fill(box)
        self.box(box, title: title, Style(.cyan))
        return box.inset(1)
    }
}
