/// The drawing characters of one character set: Unicode box drawing, blocks and braille on a
/// UTF-8 terminal, plain ASCII elsewhere, so nothing turns into mojibake.
struct Glyphs: Sendable, Equatable {
    var horizontal: Character
    var vertical: Character
    var topLeft: Character
    var topRight: Character
    var bottomLeft: Character
    var bottomRight: Character
    /// Full and partial bar blocks, from empty (index 0) to full (last).
    var bar: [Character]
    /// Vertical bar heights for histograms, from empty to full.
    var column: [Character]
    /// Whether dot maps use braille (2×4 dots per cell); otherwise one mark per cell.
    var braille: Bool
    var flag: Character
    var flipped: Character
    var up: Character
    var down: Character
    var ellipsis: Character
    /// A shade for what colour alone would mark (flagged rows in the histogram without colour).
    var shade: Character
    /// One mark per class for maps and legends (cycled past the last), so classes stay apart
    /// without colour (`NO_COLOR`) and when the colours repeat.
    var classMarks: [Character]
    /// Whether text must be transliterated to ASCII before it is drawn.
    var asciiOnly: Bool

    /// Unicode drawing.
    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        bar: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        column: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        braille: true, flag: "⚑", flipped: "✗", up: "▲", down: "▼", ellipsis: "…", shade: "▒",
        classMarks: ["●", "○", "▲", "△", "■", "□", "◆", "◇", "★", "☆", "+", "×"], asciiOnly: false)

    /// ASCII drawing, for terminals without a UTF-8 locale.
    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        bar: [" ", "#"], column: [" ", ".", ":", "#"],
        braille: false, flag: "F", flipped: "x", up: "^", down: "v", ellipsis: "~", shade: "%",
        classMarks: ["o", "x", "+", "*", "#", "@", "%", "&", "=", "$", "s", "z"], asciiOnly: true)

    /// `c` as one ASCII character: the nearest look-alike for the symbols the views use, `?`
    /// for anything else (text from the user's file included).
    static func ascii(_ c: Character) -> Character {
        if c.isASCII { return c }
        switch c {
        case "↑", "▲": return "^"
        case "↓", "▼": return "v"
        case "←": return "<"
        case "→": return ">"
        case "·", "–", "—", "─": return "-"
        case "…": return "~"
        case "±": return "+"
        case "≤": return "<"
        case "≥": return ">"
        case "×", "✗": return "x"
        case "Δ": return "d"
        case "⚑": return "F"
        case "●", "○": return "o"
        case "△": return "^"
        case "■", "□": return "#"
        case "◆", "◇": return "*"
        case "★", "☆": return "*"
        case "▶", "▸": return ">"
        case "│": return "|"
        default: return "?"
        }
    }
}

extension Glyphs {
    /// `text` as this character set writes it: in ASCII, the symbols that need two characters
    /// (`±` as `+-`, `≤` as `<=`, `…` as `...`) spelled out; the grid turns the rest into one each.
    func spelled(_ text: String) -> String {
        guard asciiOnly, text.contains(where: { !$0.isASCII }) else { return text }
        var out = ""
        for c in text {
            switch c {
            case "±": out += "+-"
            case "≤": out += "<="
            case "≥": out += ">="
            case "…": out += "..."
            default: out.append(c)
            }
        }
        return out
    }

    /// The mark of class `index`: the marks in turn, then letters (a–z, A–Z) past the last one.
    func classMark(_ index: Int) -> Character {
        if index < classMarks.count { return classMarks[index] }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return letters[(index - classMarks.count) % letters.count]
    }
}
