import Foundation
import WorthEngine

/// The Runs screen: every run of the open file, one line each (method, the parameters changed
/// from their defaults, seed, flip fraction, rows valued, elapsed time, how it stopped or how
/// far it is, the detection AUROC in a flip experiment), then the saved runs that cannot be
/// shown (stale: saved for another version of the file; unreadable); under the list, the chosen
/// run in full. Enter opens a run's ranked rows, a run going included, while the others go on.
struct RunsScreen: Screen {
    /// Position in the list: the runs, then the others.
    private(set) var cursor = 0
    /// The first line of the list on screen.
    private var top = 0

    var scope: KeyScope { .runs }

    mutating func appear(_ session: inout Session) {
        session.retryRunSaves()
        if let shown = session.shelf?.shown { cursor = shown }
        clamp(session)
    }

    private mutating func clamp(_ session: Session) {
        let n = session.runs.count + (session.shelf?.others.count ?? 0)
        cursor = max(0, min(cursor, n - 1))
    }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        let runs = session.runs, others = session.shelf?.others ?? []
        switch action {
        case .up: cursor -= 1
        case .down: cursor += 1
        case .first: cursor = 0
        case .last: cursor = runs.count + others.count - 1
        case .activate:
            guard runs.indices.contains(cursor) else {
                if !others.isEmpty { session.say("a stale or unreadable run cannot be opened: run the method again on this file", .warn) }
                return nil
            }
            session.show(run: cursor)
            return .show(.run)
        case .delete:
            if runs.indices.contains(cursor) {
                let r = runs[cursor]
                let place = if case .saved(let path) = r.saved { " and \(URL(fileURLWithPath: path).lastPathComponent)" } else { "" }
                return .ask(.question(.deleteRun(id: r.id), "Delete the \(r.methodTitle) run\(r.isRunning ? " (going: it is cancelled)" : "")\(place)? (y/n)"))
            }
            let k = cursor - runs.count
            guard others.indices.contains(k) else { return nil }
            guard case .stale(let saved, let path, _) = others[k] else {
                session.say("an unreadable run file is left as it is: remove it by hand", .warn)
                return nil
            }
            return .ask(.question(.deleteStale(path: path), "Delete the stale \(saved.methodTitle) run (\(URL(fileURLWithPath: path).lastPathComponent))? (y/n)"))
        case .choose:
            guard runs.indices.contains(cursor) else { return nil }
            let id = runs[cursor].id
            if session.chosenRuns.contains(id) { session.chosenRuns.remove(id) } else { session.chosenRuns.insert(id) }
            cursor += 1
        case .compare:
            guard runs.count >= 2 else { session.say("two runs or more are needed to compare: m starts another", .warn); return nil }
            return .show(.compare)
        case .consensus:
            guard runs.count >= 2 else { session.say("two runs or more are needed for a consensus: m starts another", .warn); return nil }
            let members = session.comparedRuns
            guard !members.contains(where: \.isRunning) else { session.say("wait for the runs to end (or choose ended ones with Space)", .warn); return nil }
            session.addConsensus(of: members)
            return .show(.run)
        case .newRun, .back: return .show(.method)
        default: break
        }
        clamp(session)
        return nil
    }

    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        guard prompt.text == "y" else { return nil }
        switch prompt.purpose {
        case .deleteRun(let id):
            if let i = session.runs.firstIndex(where: { $0.id == id }) { session.deleteRun(i) }
        case .deleteStale(let path):
            let others = session.shelf?.others ?? []
            if let k = others.firstIndex(where: { if case .stale(_, let p, _) = $0 { p == path } else { false } }) { session.deleteOtherRun(k) }
        default: break
        }
        clamp(session)
        return nil
    }

    /// Where the list and the chosen run's details go.
    static func parts(_ rect: Rect) -> (list: Rect, details: Rect) {
        let detailHeight = min(8, max(5, rect.height / 3))
        return rect.splitTop(rect.height - detailHeight)
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        let page = max(1, Self.parts(rect).list.height - 3)
        if cursor < top { top = cursor }
        if cursor >= top + page { top = cursor - page + 1 }
        top = max(0, top)
    }

    /// One run's line's cells: method, parameters, seed, flip, rows, elapsed, state, AUROC.
    static func cells(_ r: Run) -> [String] {
        let o = r.experiment.options
        let params = r.changedParameters.isEmpty ? "defaults" : r.changedParameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        var state: String
        if let failure = r.failure { state = "failed: \(failure)" } else if let stop = r.stop { state = "\(stop)" } else {
            state = (r.isPaused ? "paused" : "running") + (r.progress.fraction.map { " " + NumberFormat.percent($0) } ?? "")
        }
        if case .failed = r.saved { state += ", NOT SAVED" }
        return [r.methodTitle, params, String(o.seed), formatNumber(o.flipFraction, digits: 3), String(r.experiment.problem.count),
                r.latest.map { formatDuration($0.elapsed) } ?? "–", state, r.auroc.map { NumberFormat.fixed($0, decimals: 3) } ?? "–"]
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        let (list, details) = Self.parts(rect)
        let runs = session.runs, others = session.shelf?.others ?? []
        let name = session.file.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? ""
        grid.box(list, title: "Runs of \(name.escapingControlCharacters) · \(runs.count) run\(runs.count == 1 ? "" : "s")"
                 + (others.isEmpty ? "" : " · \(others.count) not shown"))
        let inner = list.inset(1)
        guard inner.height >= 2 else { return }
        if runs.isEmpty && others.isEmpty {
            grid.paragraph("No runs of this file yet: m (or Esc) chooses a method; every run is kept here and saved beside the file.",
                           in: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 2), .dim)
            return
        }
        // Fixed columns, then the parameters and the state share what is left (the state first).
        // Narrow: no parameters column (the details below list them), so the stop reason stays whole.
        let titles = ["method", "parameters", "seed", "flip", "rows", "elapsed", "stop reason / state", "AUROC"]
        let fixed = [14, 0, 5, 5, 6, 8, 0, 6]
        let rest = max(10, inner.width - 3 - fixed.reduce(0, +))
        let stateWidth = rest < 50 ? rest : min(40, max(30, rest / 2)), paramWidth = rest - stateWidth
        var widths = fixed
        widths[1] = paramWidth
        widths[6] = stateWidth
        let right = [false, false, true, true, true, true, false, true]
        // Column 0: ▸ the run shown; column 1: ✓ chosen for Compare.
        func row(_ cells: [String], y: Int, _ styles: [Style]) {
            var x = inner.x + 2
            for (k, c) in cells.enumerated() where widths[k] > 0 {
                let w = widths[k]
                if right[k] { grid.rightText(String(c.prefix(w - 1)), x: x, y: y, width: w - 1, styles[k]) } else {
                    grid.text(c.count < w ? c : String(c.prefix(w - 2)) + "…", x: x, y: y, styles[k], maxWidth: w - 1)
                }
                x += w
            }
        }
        row(titles, y: inner.y, Array(repeating: .bold, count: titles.count))
        let page = inner.height - 1
        for line in 0..<page {
            let k = top + line, y = inner.y + 1 + line
            if k < runs.count {
                let r = runs[k]
                let stateStyle: Style = r.failure != nil ? .error : (r.isRunning ? .warn : (r.stop == .cancelled ? .warn : .good))
                var styles = Array(repeating: Style.plain, count: 8)
                styles[0] = .bold; styles[1] = .dim; styles[6] = stateStyle
                row(Self.cells(r), y: y, styles)
                if session.shelf?.shown == k { grid.put(grid.glyphs.asciiOnly ? ">" : "▸", x: inner.x, y: y, .title) }
                if session.chosenRuns.contains(r.id) { grid.put(grid.glyphs.asciiOnly ? "*" : "✓", x: inner.x + 1, y: y, Style(.green, .bold)) }
            } else if k - runs.count < others.count {
                switch others[k - runs.count] {
                case .stale(let s, _, _):
                    row([s.methodTitle, "stale", String(s.settings.seed), formatNumber(s.settings.flipFraction, digits: 3),
                         "", formatDuration(s.elapsed), "\(s.stop)", s.auroc.map { NumberFormat.fixed($0, decimals: 3) } ?? "–"],
                        y: y, Array(repeating: .dim, count: 8))
                case .unreadable(_, let reason):
                    grid.text("unreadable: " + reason.escapingControlCharacters, x: inner.x + 1, y: y, .warn, maxWidth: inner.width - 2)
                }
            } else { break }
            if k == cursor { grid.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), .selected) }
        }
        drawDetails(&grid, details, session)
    }

    /// The chosen run in full: every changed parameter, the split, when it started, where it is saved.
    private func drawDetails(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        let runs = session.runs
        guard runs.indices.contains(cursor) else {
            let others = session.shelf?.others ?? []
            guard others.indices.contains(cursor - runs.count) else { return }
            grid.box(rect, title: "Not shown")
            let text: String
            switch others[cursor - runs.count] {
            case .stale(let s, let path, let why):
                text = "stale: \(why) (\(path)), so its values are not shown nor used for flags; d deletes it. \(s.methodTitle), \(s.stop)."
            case .unreadable(let path, let reason): text = "\(path): \(reason). It is left as it is."
            }
            grid.paragraph(text.escapingControlCharacters, in: rect.inset(1), .dim)
            return
        }
        let r = runs[cursor]
        grid.box(rect, title: r.methodTitle)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        var parts = ["started " + Self.timestamp(r.created), "seed \(r.experiment.options.seed), validation \(NumberFormat.percent(r.experiment.options.validationFraction)), test \(NumberFormat.percent(r.experiment.options.testFraction)), flip \(NumberFormat.percent(r.experiment.options.flipFraction))",
                     "parameters: " + (r.changedParameters.isEmpty ? "the method's defaults" : r.changedParameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))]
        switch r.saved {
        case .saved(let path): parts.append("saved in \(path)")
        case .failed(let why): parts.append("NOT SAVED: \(why)")
        case .notYet: parts.append(r.isConsensus ? "not saved (C makes it again)" : (r.isRunning ? "saved when it ends" : "not saved"))
        }
        if let stop = r.stop { parts.append("stopped: \(stop)") }
        grid.paragraph(parts.joined(separator: " · ").escapingControlCharacters, in: inner)
    }

    /// `date` as `2026-11-29 23:50 UTC`.
    static func timestamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970), parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min))
    }
}
