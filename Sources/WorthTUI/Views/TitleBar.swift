import Foundation

/// The top line: the program, the screens (the current one highlighted, those not reachable
/// yet dimmed), then on the right the open file, its flag count (and NOT SAVED) and, when they
/// fit whole, the help and quit keys. Parts that do not fit are left out, never cut; only a file
/// name too long for the line is shortened, in its middle.
struct TitleBar {
    let current: ScreenID
    let reachable: [ScreenID]
    let fileName: String?
    let flagged: Int
    let unsaved: Bool

    func draw(_ grid: inout Grid) {
        let bar = Style(.normal, .reverse)
        grid.fill(Rect(x: 0, y: 0, width: grid.width, height: 1), " ", bar)
        var x = grid.text(" worth ", x: 0, y: 0, Style(.normal, [.reverse, .bold])) + 1
        // The tabs are padded when the file's name and count fit beside them, else one space apart.
        let tabs = [ScreenID.open, .dataset, .method, .runs, .run]
        let padded = tabs.reduce(0) { $0 + $1.title.count + 2 }
        let needed = fileName.map { $0.escapingControlCharacters.count + "\(flagged) flagged".count + (unsaved ? 10 : 0) + 4 } ?? 0
        let compact = x + padded + needed > grid.width
        for s in tabs {
            let active = s == current || (s == .open && (current == .label || current == .loading)) || (s == .runs && current == .compare)
            x += grid.text(compact ? "\(s.title) " : " \(s.title) ", x: x, y: 0,
                           active ? .bold : (reachable.contains(s) ? bar : Style(.normal, [.reverse, .dim])))
        }
        let keys = "?:help  q:quit"
        let room = grid.width - x - 2
        guard let fileName else {
            if keys.count <= room { grid.text(keys, x: grid.width - keys.count - 1, y: 0, bar) }
            return
        }
        let count = "\(flagged) flagged", notSaved = unsaved ? " NOT SAVED" : ""
        var name = fileName.escapingControlCharacters
        let fixed = count.count + notSaved.count + 2
        let withKeys = name.count + fixed + 2 + keys.count <= room
        if name.count + fixed > room { name = Self.shorten(name, to: max(5, room - fixed)) }
        var end = grid.width - 1
        func fromRight(_ text: String, _ style: Style) {
            end -= text.count
            grid.text(text, x: end, y: 0, style, maxWidth: max(0, grid.width - end))
        }
        if withKeys { fromRight(keys, bar); end -= 2 }
        fromRight(notSaved, Style(.red, [.reverse, .bold]))
        fromRight(count, bar)
        end -= 2
        fromRight(name, bar)
    }

    /// `text` at most `width` characters, its middle replaced by an ellipsis.
    static func shorten(_ text: String, to width: Int) -> String {
        guard text.count > width, width >= 3 else { return String(text.prefix(width)) }
        let head = (width - 1) / 2, tail = width - 1 - head
        return String(text.prefix(head)) + "…" + String(text.suffix(tail))
    }
}
