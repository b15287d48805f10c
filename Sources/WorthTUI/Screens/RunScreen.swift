import Foundation
import WorthEngine

/// The Run screen: the run's header (what, how far, its state), a convergence chart and the
/// values' histogram, then the ranked rows, which update live while the person scrolls, flags,
/// pauses the run or cancels it.
struct RunScreen: Screen {
    /// The convergence figure charted, by index into the run's series; nil: the default one.
    private(set) var chartChoice: Int?
    /// The run the choice belongs to.
    private var shownRun: ObjectIdentifier?

    var scope: KeyScope { .run }

    /// The last search, for n and N.
    private(set) var query = ""

    mutating func appear(_ session: inout Session) {
        let id = session.run.map { ObjectIdentifier($0.control) }
        if id != shownRun { chartChoice = nil; shownRun = id }
        // A reopened run has no engine job to end and start the fit: start it now (a run going
        // starts it when it ends, so as not to take a core from the engine).
        if session.run?.isRunning == false { session.run?.fitReferenceModel() }
    }

    /// The figure charted: the one chosen with `c`, else the one with a target (the stop rule),
    /// else the first that is not R-hat (R-hat without a stop rule says little: Banzhaf's
    /// samples are independent and it falls below 1.05 long before the ranking settles).
    static func chartedSeries(_ series: [ConvergenceSeries], choice: Int?) -> Int? {
        guard !series.isEmpty else { return nil }
        if let choice { return choice % series.count }
        return series.firstIndex { $0.target != nil } ?? series.firstIndex { $0.name != "R-hat" } ?? 0
    }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        guard let r = session.run else { return .show(.method) }
        let page = r.table.pageSize, flags = session.flags, marks = session.rowMarks
        switch action {
        case .up: session.run?.table.move(-1)
        case .down: session.run?.table.move(1)
        case .pageUp: session.run?.table.move(-page)
        case .pageDown: session.run?.table.move(page)
        case .first: session.run?.table.moveToTop()
        case .last: session.run?.table.moveToBottom()
        case .sort: session.run?.table.setSort(.init(column: r.table.sort.column, descending: !r.table.sort.descending), marks: marks)
        case .sortNext, .sortPrevious:
            let all = RankedTable.SortColumn.allCases, step = action == .sortNext ? 1 : all.count - 1
            let column = all[(r.table.sort.column.rawValue + step) % all.count]
            session.run?.table.setSort(.init(column: column, descending: false), marks: marks)
        case .flaggedOnly: session.run?.table.setFilter(r.table.filter == .flagged ? .all : .flagged, marks: marks)
        case .filter:
            let next = Self.filters(classes: r.experiment.classNames.count).drop { $0 != r.table.filter }.dropFirst().first ?? .all
            session.run?.table.setFilter(next, marks: marks)
            if next == .disagreeing && r.reference == nil { session.say("the suggested labels are still being fitted", .warn) }
        case .find: return .ask(.typed(.find, "Search row numbers and labels:", text: query))
        case .findNext, .findPrevious:
            guard !query.isEmpty else { return .ask(.typed(.find, "Search row numbers and labels:")) }
            if session.run?.table.find(query, forward: action == .findNext, names: r.experiment.classNames, marks: marks) != true {
                session.say("no listed row matches '\(query)'", .warn)
            }
        case .relabel: return RelabelQuestion.ask(&session)
        case .undo: session.undo()
        case .redo: session.redo()
        case .flag:
            guard let i = r.table.selected else { return nil }
            let row = r.table.sourceRows[i]
            session.setFlags([row], on: !flags.contains(row))
            session.run?.table.move(1)
        case .unflagAll: session.unflagAll()
        case .flagLowest: return .ask(.typed(.flagLowest, "Flag the lowest N% (or '<0' for all below 0):", text: "10"))
        case .export: return .ask(.typed(.export, "Export files starting with:", text: session.defaultExportPrefix))
        case .pause:
            guard r.isRunning else { session.say("the run has ended: there is nothing to pause", .warn); return nil }
            if r.isPaused { r.control.resume(); session.say("resumed", .plain) } else {
                r.control.pause()
                session.say("paused: the engine waits; p resumes, x cancels", .warn)
            }
        case .cancel:
            guard r.isRunning else { session.say("the run has ended: there is nothing to cancel", .warn); return nil }
            r.cancel()
            session.say("cancelling…", .warn)
        case .whatIf: return session.startWhatIf() ? .show(.whatIf) : nil
        case .activate: return r.table.selected == nil ? nil : .show(.detail)
        case .nextFigure:
            let series = r.series
            guard series.count > 1 else { session.say("this method reports \(series.isEmpty ? "no" : "one") convergence figure", .plain); return nil }
            chartChoice = ((Self.chartedSeries(series, choice: chartChoice) ?? 0) + 1) % series.count
        case .back: return .show(.runs)
        default: break
        }
        return nil
    }

    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        guard let r = session.run else { return nil }
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        switch prompt.purpose {
        case .find:
            guard !text.isEmpty else { return .ask(prompt.refused("type a row number or part of a label")) }
            let marks = session.rowMarks
            guard session.run?.table.find(text, forward: true, names: r.experiment.classNames, marks: marks) == true else {
                return .ask(prompt.refused("no listed row matches (held out, dropped, filtered, or past the end?)"))
            }
            query = text
        case .relabel: return RelabelQuestion.answer(prompt, &session)
        case .flagLowest:
            let rows: [Int]
            if text.hasPrefix("<") || text.lowercased().hasPrefix("below") {
                guard let t = Double(text.drop { !($0.isNumber || $0 == "-" || $0 == ".") }) else {
                    return .ask(prompt.refused("type '<0' or '<' and a number"))
                }
                rows = r.table.below(t)
            } else {
                guard let pct = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "% "))), pct > 0, pct <= 100 else {
                    return .ask(prompt.refused("type a percentage in (0, 100], or '<0'"))
                }
                rows = r.table.lowest(percent: pct)
            }
            session.setFlags(rows, on: true) { "flagged \(rows.count) row\(rows.count == 1 ? "" : "s"); \($0.summary) in all" }
        case .export:
            guard !text.isEmpty else { return .ask(prompt.refused("type a file prefix")) }
            session.export(prefix: text)
        default: break
        }
        return nil
    }

    /// The filters `\\` steps through, in order.
    static func filters(classes: Int) -> [RankedTable.Filter] {
        [.all, .disagreeing, .flagged, .relabeled] + (0..<classes).map { .label($0) }
    }

    /// Where the header, the charts and the table go.
    static func parts(_ rect: Rect) -> (header: Rect, convergence: Rect, histogram: Rect, table: Rect) {
        let (header, rest) = rect.splitTop(3)
        let (charts, table) = rest.splitTop(max(6, min(12, rest.height / 3)))
        let (convergence, histogram) = charts.splitLeft(charts.width / 2)
        return (header, convergence, histogram, table)
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        let parts = Self.parts(rect)
        session.run?.table.setPageSize(parts.table.height - 3)
        session.run?.table.prepareHistogram(bins: parts.histogram.inset(1).width)
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let r = session.run else { return }
        let (header, convergence, histogram, table) = Self.parts(rect)
        let name = session.file.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? ""
        RunHeaderView(run: r, fileName: name, flags: session.flagCounts, flagsUnsaved: session.flagsUnsaved).draw(&grid, header)

        let series = r.series, charted = Self.chartedSeries(series, choice: chartChoice)
        var title = "Convergence"
        if let k = charted {
            // The longest form that fits the box's edge.
            let s = series[k]
            let figure = s.name + (s.current.map { " = \(formatNumber($0))" } ?? "")
            let stop = s.target.map { ", stop < \(formatNumber($0, digits: 3))" } ?? ""
            let next = series.count > 1 ? " · c: next" : ""
            let forms = ["Convergence: " + figure + stop + next, "Convergence: " + figure + stop, figure + stop + next, figure + stop, figure]
            title = forms.first { $0.count <= convergence.width - 6 } ?? s.name
        }
        grid.box(convergence, title: title)
        let inner = convergence.inset(1)
        if let k = charted {
            Charts.line(&grid, rect: inner, points: series[k].history.map { ConvergencePointValue(x: Double($0.done), y: $0.value) },
                        target: series[k].target, color: .cyan)
        } else {
            grid.paragraph(r.latest == nil ? "starting…" : "this method reports no convergence figure",
                           in: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 2), .dim)
        }
        grid.box(histogram, title: "Values" + (r.table.flaggedCount == 0 ? "" : grid.colors ? " · flagged in red" : " · \(grid.glyphs.shade) flagged"))
        let t = r.table
        Charts.histogram(&grid, rect: histogram.inset(1), bars: t.histogram?.bars, range: t.valueRange,
                         cut: t.flagsAreLowest ? t.flagThreshold : nil)
        RankedTableView(run: r, marks: session.rowMarks).draw(&grid, table)
    }
}
