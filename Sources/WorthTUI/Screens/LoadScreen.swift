import Foundation
import WorthEngine

/// The load screen: the file being loaded in the background, with a bar of the bytes read, the
/// rows read so far and the time taken. The keys stay answered meanwhile (help, quit); Esc or x
/// stops the load and goes back to the Open screen, the file still chosen there. When the load
/// ends the workbench shows the Dataset screen, or the label picker with the error.
struct LoadScreen: Screen {
    var scope: KeyScope { .loading }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        switch action {
        case .cancel, .back:
            if let l = session.loading {
                session.cancelLoad()
                session.say("stopped loading \(URL(fileURLWithPath: l.path).lastPathComponent): Enter loads it again", .warn)
            }
            return .show(.open)
        default: return nil
        }
    }

    /// The lines under the bar: what is being done, and how far.
    static func lines(_ loading: Session.Loading, now: ContinuousClock.Instant) -> [String] {
        let s = loading.status
        let elapsed = formatDuration(Double((now - loading.started).milliseconds) / 1000)
        let rows = "\(NumberFormat.grouped(s.rows)) rows"
        let size = loading.size.map { " of \(Self.megabytes($0))" } ?? ""
        let what: String
        switch s.stage {
        case .reading: what = "reading: \(rows) so far, \(NumberFormat.percent(s.fraction))\(size)"
        case .summarizing: what = "\(rows) read; encoding the features and summarising the columns"
        case .fingerprinting: what = "\(rows) read; fingerprinting the file to find its saved flags and runs"
        }
        return [what, "\(elapsed) so far"]
    }

    /// `bytes` as megabytes (`751 MB`), or kilobytes below one.
    static func megabytes(_ bytes: Int) -> String {
        bytes < 1_000_000 ? "\(max(1, bytes / 1000)) kB" : "\(NumberFormat.grouped(bytes / 1_000_000)) MB"
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let l = session.loading else { return }
        let width = min(rect.width - 4, 90)
        let inner = grid.panel(in: rect, width: width, height: 9, title: "Loading " + URL(fileURLWithPath: l.path).lastPathComponent)
        let x = inner.x + 1, w = inner.width - 2
        grid.text(l.path, x: x, y: inner.y, .dim, maxWidth: w)
        let fraction = l.status.stage == .reading ? l.status.fraction : 1
        let percent = NumberFormat.percent(fraction)
        grid.bar(fraction: fraction, x: x, y: inner.y + 2, width: w - 5, Style(.cyan))
        grid.rightText(percent, x: x + w - 4, y: inner.y + 2, width: 4, .bold)
        for (k, line) in Self.lines(l, now: session.now()).enumerated() {
            grid.text(line, x: x, y: inner.y + 4 + k, k == 0 ? .plain : .dim, maxWidth: w)
        }
        grid.text("Esc or x stops the load; ? help; q quits", x: x, y: inner.maxY - 1, .dim, maxWidth: w)
    }
}
