/// The bottom of the screen: a question being asked (always, at any size: it wraps upwards
/// over the screen when the line is too narrow), else the notice of the screen shown, else the
/// key hints of that screen from the key table, as many as fit whole, ending with `? help`.
struct StatusBar {
    let prompt: Prompt?
    let notice: Notice?
    let hints: [(keys: String, what: String)]

    func draw(_ grid: inout Grid) {
        let width = grid.width, bottom = grid.height - 1
        if let p = prompt {
            let typed = p.choices == nil
            let answerStyle = p.fresh && !p.text.isEmpty ? Style(.normal, .reverse) : Style.bold
            if p.title.count + 1 + p.text.count + (typed ? 1 : 0) + (p.error.map { $0.count + 2 } ?? 0) <= width {
                var x = grid.text(p.title + " ", x: 0, y: bottom, .key)
                x += grid.text(p.text, x: x, y: bottom, answerStyle)
                if typed { grid.put("_", x: x, y: bottom, Style(.normal, .reverse)); x += 1 }
                if let e = p.error { grid.text("  " + e, x: x, y: bottom, .error) }
                return
            }
            // Too narrow for one line: the question wraps upwards over the screen, the answer last.
            var lines = wrapWords(p.title, width: width).map { ($0, Style.key) }
            lines += wrapWords(p.error ?? "", width: width).filter { !$0.isEmpty }.map { ($0, Style.error) }
            if typed { lines.append((p.text, answerStyle)) }
            let top = max(0, bottom - lines.count + 1)
            grid.fill(Rect(x: 0, y: top, width: width, height: bottom - top + 1))
            for (k, (line, style)) in lines.suffix(bottom - top + 1).enumerated() {
                let x = grid.text(line, x: 0, y: top + k, style, maxWidth: width - (typed ? 1 : 0))
                if typed && top + k == bottom { grid.put("_", x: x, y: bottom, Style(.normal, .reverse)) }
            }
            return
        }
        if let n = notice {
            let lines = wrapWords(n.text, width: width, lines: 2)
            for (k, line) in lines.enumerated() { grid.text(line, x: 0, y: bottom - lines.count + 1 + k, n.style, maxWidth: width) }
            return
        }
        let help = hints.first { $0.keys == "?" }
        let others = hints.filter { $0.keys != "?" }
        let reserve = help.map { $0.keys.count + $0.what.count + 3 } ?? 0
        var x = 0
        for (keys, what) in others {
            guard x + keys.count + what.count + 3 <= width - reserve else { break }
            x += grid.text(keys, x: x, y: bottom, .key)
            x += grid.text(" " + what + "  ", x: x, y: bottom, .dim)
        }
        if let help, x + reserve <= width {
            x += grid.text(help.keys, x: x, y: bottom, .key)
            grid.text(" " + help.what, x: x, y: bottom, .dim)
        }
    }
}
