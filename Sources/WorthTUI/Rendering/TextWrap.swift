/// `text` broken at spaces into at most `lines` lines of at most `width` characters; the last
/// line keeps the rest (the grid ends it with an ellipsis if it is still too long).
func wrapWords(_ text: String, width: Int, lines: Int = .max) -> [String] {
    var out: [String] = []
    var rest = Substring(text)
    while rest.count > width, out.count < lines - 1,
          let cut = rest.prefix(width + 1).lastIndex(of: " ") {
        out.append(String(rest[..<cut]))
        rest = rest[rest.index(after: cut)...]
        while rest.first == " " { rest = rest.dropFirst() }
    }
    out.append(String(rest))
    return out
}

/// `items` laid out in lines of at most `width` characters, `separator` between items on a line;
/// an item is never split (one wider than `width` gets a line of its own).
func wrapItems(_ items: [String], width: Int, separator: String = "  ") -> [String] {
    var lines: [String] = []
    for item in items {
        if let last = lines.last, last.count + separator.count + item.count <= width {
            lines[lines.count - 1] += separator + item
        } else {
            lines.append(item)
        }
    }
    return lines
}

extension Grid {
    /// Writes `text` wrapped at spaces into `rect` from its top line; returns the lines used.
    /// Words are never cut, unless one is wider than the rectangle.
    @discardableResult
    mutating func paragraph(_ text: String, in rect: Rect, _ style: Style = .plain) -> Int {
        let lines = wrapWords(text, width: rect.width, lines: max(1, rect.height))
        for (k, line) in lines.enumerated() where k < rect.height {
            self.text(line, x: rect.x, y: rect.y + k, style, maxWidth: rect.width)
        }
        return min(lines.count, rect.height)
    }
}
