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

    /// Unicode drawing.
    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        bar: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        column: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        braille: true, flag: "⚑", flipped: "✗", up: "▲", down: "▼", ellipsis: "…")

    /// ASCII drawing, for terminals without a UTF-8 locale.
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        bar: [" ", "#"], column: [" ", ".", ":", "#"],
        braille: false, flag: "F", flipped: "x", up: "^", down: "v", ellipsis: "~")
}
