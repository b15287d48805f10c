/// A foreground colour of a cell. `.normal` is the terminal's own colour; with `NO_COLOR`
/// every colour is drawn as `.normal`.
enum Color: UInt8, Sendable, CaseIterable {
    case normal, red, green, yellow, blue, magenta, cyan, gray
}

/// Text attributes of a cell.
struct Attributes: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let bold = Attributes(rawValue: 1 << 0)
    static let dim = Attributes(rawValue: 1 << 1)
    static let reverse = Attributes(rawValue: 1 << 2)
    static let underline = Attributes(rawValue: 1 << 3)
}

/// Colour and attributes, applied together when drawing text.
struct Style: Sendable, Hashable {
    var color: Color
    var attributes: Attributes

    init(_ color: Color = .normal, _ attributes: Attributes = []) {
        self.color = color
        self.attributes = attributes
    }

    static let plain = Style()
    static let bold = Style(.normal, .bold)
    static let dim = Style(.gray)
    static let selected = Style(.normal, .reverse)
    static let title = Style(.cyan, .bold)
    static let key = Style(.yellow, .bold)
    static let error = Style(.red, .bold)
    static let good = Style(.green)
    static let warn = Style(.yellow)
    static let flagged = Style(.red)

    /// This style with `attributes` added.
    func adding(_ extra: Attributes) -> Style { Style(color, attributes.union(extra)) }
}

/// Per-class colours, cycled when there are more classes than colours.
let classColors: [Color] = [.cyan, .yellow, .magenta, .green, .blue, .red]

/// The colour of class `index`.
func classColor(_ index: Int) -> Color { classColors[index % classColors.count] }
