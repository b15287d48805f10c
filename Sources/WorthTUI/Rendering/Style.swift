/// A foreground colour of a cell. `.normal` is the terminal's own colour; with `NO_COLOR`
/// every colour is drawn as `.normal`.
public enum Color: UInt8, Sendable, CaseIterable {
    case normal, red, green, yellow, blue, magenta, cyan, gray
}

/// Text attributes of a cell.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
}

/// Colour and attributes, applied together when drawing text.
public struct Style: Sendable, Hashable {
    public var color: Color
    public var attributes: Attributes

    public init(_ color: Color = .normal, _ attributes: Attributes = []) {
        self.color = color
        self.attributes = attributes
    }

    public static let plain = Style()
    public static let bold = Style(.normal, .bold)
    public static let dim = Style(.gray)
    public static let selected = Style(.normal, .reverse)
    public static let title = Style(.cyan, .bold)
    public static let key = Style(.yellow, .bold)
    public static let error = Style(.red, .bold)
    public static let good = Style(.green)
    public static let warn = Style(.yellow)
    public static let flagged = Style(.red)

    /// This style with `attributes` added.
    public func adding(_ extra: Attributes) -> Style { Style(color, attributes.union(extra)) }
}

/// Per-class colours, cycled when there are more classes than colours.
let classColors: [Color] = [.cyan, .yellow, .magenta, .green, .blue, .red]

/// The colour of class `index`.
func classColor(_ index: Int) -> Color { classColors[index % classColors.count] }
