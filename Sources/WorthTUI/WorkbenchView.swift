import Foundation
import WorthEngine

/// The smallest terminal the workbench lays out for.
let minimumSize = (width: 80, height: 24)

extension Workbench {
    /// Draws the whole screen: title bar, the current screen, any overlay, the status line.
    func draw(into grid: inout Grid) {
        grid.fill(grid.bounds)
        guard grid.width >= minimumSize.width, grid.height >= minimumSize.height else {
            drawTooSmall(&grid)
            return
        }
        drawTitleBar(&grid)
        let body = Rect(x: 0, y: 1, width: grid.width, height: grid.height - 2)
        switch screen {
        case .load: drawLoad(&grid, body)
        case .label: drawLabel(&grid, body)
        case .dataset: drawDataset(&grid, body)
        case .method: drawMethod(&grid, body)
        case .run: drawRun(&grid, body)
        }
        switch overlay {
        case .help: drawHelp(&grid, body)
        case .detail: drawDetail(&grid, body)
        case .whatIf: drawWhatIf(&grid, body)
        case nil: break
        }
        drawStatusLine(&grid)
    }

    private func drawTooSmall(_ grid: inout Grid) {
        let lines = ["Enlarge the terminal", "worth needs at least \(minimumSize.width)×\(minimumSize.height);",
                     "this one is \(grid.width)×\(grid.height).", "q quits"]
        let top = max(0, grid.height / 2 - 2)
        for (k, l) in lines.enumerated() {
            grid.text(l, x: max(0, (grid.width - l.count) / 2), y: top + k, k == 0 ? .error : .plain)
        }
    }

    private func drawTitleBar(_ grid: inout Grid) {
        grid.fill(Rect(x: 0, y: 0, width: grid.width, height: 1), " ", Style(.normal, .reverse))
        var x = grid.text(" worth ", x: 0, y: 0, Style(.normal, [.reverse, .bold])) + 1
        let reachable = reachableScreens
        for s in Screen.allCases where s != .label {
            let active = s == screen || (s == .load && screen == .label)
            let style: Style = active ? Style(.normal, .bold) : (reachable.contains(s) ? Style(.normal, .reverse) : Style(.normal, [.reverse, .dim]))
            x += grid.text(" \(s.title) ", x: x, y: 0, style)
        }
        // Right-aligned: the file and its flags (saved or not), then the keys if they fit too.
        let keys = "?:help  q:quit "
        var end = grid.width
        func fromRight(_ text: String, _ style: Style) {
            let text = text.escapingControlCharacters
            let n = min(text.count, max(0, end - x))
            grid.rightText(text, x: end - n, y: 0, width: n, style)
            end -= n
        }
        guard let f = file else { return fromRight(keys, Style(.normal, .reverse)) }
        let name = "\(URL(fileURLWithPath: f.path).lastPathComponent)  \(flags.count) flagged"
        let unsaved = flagsUnsaved ? " NOT SAVED" : ""
        if grid.width - x >= name.count + unsaved.count + 2 + keys.count { fromRight("  " + keys, Style(.normal, .reverse)) } else { end -= 1 }
        fromRight(unsaved, Style(.red, [.reverse, .bold]))
        fromRight(name, Style(.normal, .reverse))
    }

    private func drawStatusLine(_ grid: inout Grid) {
        let y = grid.height - 1
        if let p = prompt {
            var x = grid.text(p.title + " ", x: 0, y: y, .key)
            // A proposed value shows selected: the first key typed replaces it.
            x += grid.text(p.text, x: x, y: y, p.fresh && !p.text.isEmpty ? Style(.normal, .reverse) : .bold)
            grid.put("_", x: x, y: y, Style(.normal, .reverse))
            if let e = p.error { grid.text("  " + e, x: x + 1, y: y, .error) }
            return
        }
        if let s = status {
            grid.text(s.text, x: 0, y: y, s.style)
            return
        }
        var x = 0
        for (k, what) in hints {
            guard x + k.count + what.count + 3 < grid.width else { break }
            x += grid.text(k, x: x, y: y, .key)
            x += grid.text(" " + what + "  ", x: x, y: y, .dim)
        }
    }

    /// Key hints for the status line of the current screen.
    private var hints: [(String, String)] {
        if overlay != nil { return [("Esc", "close")] }
        switch screen {
        case .load: return [("↑↓", "choose"), ("Enter", "open"), ("o", "type a path"), ("Tab", "screens"), ("?", "help"), ("q", "quit")]
        case .label: return [("←→", "label column"), ("m", "missing cells"), ("Enter", "load"), ("Esc", "back")]
        case .dataset: return [("Enter", "choose a method"), ("Tab", "screens"), ("Esc", "open another"), ("?", "help")]
        case .method:
            return focusOnFields ? [("↑↓", "field"), ("Enter", "edit"), ("←", "methods"), ("R", "run"), ("Esc", "back")]
                                 : [("↑↓", "method"), ("Enter", "run"), ("→", "parameters"), ("Tab", "screens"), ("?", "help")]
        case .run:
            return [("↑↓", "move"), ("Space", "flag"), ("f", "flag lowest"), ("s", "sort"), ("F", "flagged only"), ("/", "row"),
                    ("Enter", "details"), ("r", "what-if"), ("e", "export"), ("x", "cancel"), ("?", "help")]
        }
    }
}
