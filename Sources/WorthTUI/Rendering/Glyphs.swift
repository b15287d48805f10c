/// The drawing characters of one character set: Unicode box drawing, blocks and braille on a
/// UTF-8 terminal, plain ASCII elsewhere, so nothing turns into mojibake.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Full and partial bar blocks, from empty (index 0) to full (last).
    public var bar: [Character]
    /// Vertical bar heights for histograms, from empty to full.
    public var column: [Character]
    /// Whether dot maps use braille (2×4 dots per cell); otherwise one mark per cell.
    public var braille: Bool
    public var flag: Character
    public var flipped: Character
    public var up: Character
    public var down: Character
    public var ellipsis: Character
    /// Whether text must be transliterated to ASCII before it is drawn.
    public var asciiOnly: Bool

    /// Unicode drawing.
    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        bar: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        column: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        braille: true, flag: "⚑", flipped: "✗", up: "▲", down: "▼", ellipsis: "…", asciiOnly: false)

    /// ASCII drawing, for terminals without a UTF-8 locale.
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        bar: [" ", "#"], column: [" ", ".", ":", "#"],
        braille: false, flag: "F", flipped: "x", up: "^", down: "v", ellipsis: "~", asciiOnly: true)

    /// `c` as one ASCII character: the nearest look-alike for the symbols the views use, `?`
    /// for anything else (text from the user's file included).
    public static func ascii(_ c: Character) -> Character {
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
        case "│": return "|"
        default: return "?"
        }
    }
}
