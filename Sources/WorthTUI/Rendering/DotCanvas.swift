/// A plotting surface of dots over a rectangle of cells: braille gives 2×4 dots per cell on a
/// UTF-8 terminal; in ASCII each cell is one dot. Each cell takes the colour of the last dot
/// set in it.
struct DotCanvas {
    /// Size in cells.
    let columns: Int, rows: Int
    /// Dots per cell horizontally and vertically.
    let dotsX: Int, dotsY: Int
    private var bits: [UInt8]
    private var colors: [Color]
    private var marks: [Character?]

    init(columns: Int, rows: Int, braille: Bool) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        dotsX = braille ? 2 : 1
        dotsY = braille ? 4 : 1
        bits = Array(repeating: 0, count: self.columns * self.rows)
        colors = Array(repeating: .normal, count: self.columns * self.rows)
        marks = Array(repeating: nil, count: self.columns * self.rows)
    }

    /// Width and height in dots.
    var width: Int { columns * dotsX }
    var height: Int { rows * dotsY }

    /// Sets the dot at (`x`, `y`), y growing downwards; outside dots are ignored.
    mutating func set(_ x: Int, _ y: Int, _ color: Color = .normal) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let cell = (y / dotsY) * columns + x / dotsX
        // Braille dot numbering: columns 0/1, rows 0…3 → bits 0,1,2,6 and 3,4,5,7.
        let table: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        bits[cell] |= dotsX == 2 ? table[x % 2][y % 4] : 1
        colors[cell] = color
    }

    /// Puts a mark character in a cell, drawn over its dots (flagged rows on a map).
    mutating func mark(_ x: Int, _ y: Int, _ c: Character, _ color: Color) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let cell = (y / dotsY) * columns + x / dotsX
        marks[cell] = c
        colors[cell] = color
    }

    /// A line of dots from (x0, y0) to (x1, y1).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: Color = .normal) {
        let steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            set(x0 + Int((Double(x1 - x0) * t).rounded()), y0 + Int((Double(y1 - y0) * t).rounded()), color)
        }
    }

    /// Copies the canvas into `grid` with its top-left cell at (`x`, `y`).
    func draw(into grid: inout Grid, x: Int, y: Int) {
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                if let m = marks[i] {
                    grid.put(m, x: x + c, y: y + r, Style(colors[i], .bold))
                } else if bits[i] != 0 {
                    let ch: Character = dotsX == 2 ? Character(Unicode.Scalar(0x2800 + UInt32(bits[i]))!) : "*"
                    grid.put(ch, x: x + c, y: y + r, Style(colors[i]))
                }
            }
        }
    }
}
