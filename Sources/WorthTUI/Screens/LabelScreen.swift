import Foundation
import WorthEngine

/// The label picker: the header and first rows of the file being opened; the person chooses
/// the label column and what to do with missing cells (remembered per file for the session).
struct LabelScreen: Screen {
    private(set) var cursor = 0
    /// The missing-cell policy chosen for each file this session, by standardized path; a file
    /// not in it loads with `.error`.
    private var policies: [String: MissingPolicy] = [:]
    /// Why the last load failed, in the picker's words.
    private(set) var error: String?
    private var path = ""

    var scope: KeyScope { .label }

    mutating func appear(_ session: inout Session) {
        guard let p = session.preview, p.path != path else { return }
        path = p.path
        cursor = max(0, p.header.count - 1)
        error = nil
    }

    /// The policy for the file being opened.
    var missingPolicy: MissingPolicy { policies[Self.key(path)] ?? .error }

    private static func key(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// Puts the cursor on column `column` (0-based), if the file has it.
    mutating func choose(column: Int, _ session: Session) {
        if let p = session.preview, p.header.indices.contains(column) { cursor = column }
    }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        guard let p = session.preview else { return .show(.open) }
        switch action {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(p.header.count - 1, cursor + 1)
        case .cycleMissing:
            let all = MissingPolicy.allCases
            policies[Self.key(path)] = all[((all.firstIndex(of: missingPolicy) ?? 0) + 1) % all.count]
            error = nil
        case .activate:
            let name = URL(fileURLWithPath: p.path).lastPathComponent
            if let question = session.discardQuestion("Open \(name)") { return .ask(.question(.replaceFile, question)) }
            return load(&session)
        case .back: return .show(.open)
        default: break
        }
        return nil
    }

    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        prompt.purpose == .replaceFile && prompt.text == "y" ? load(&session) : nil
    }

    /// Starts loading the file with the label column under the cursor (the load screen shows it).
    mutating func load(_ session: inout Session) -> Navigation? {
        session.load(labelColumn: cursor, missing: missingPolicy)
        error = nil
        return .show(.loading)
    }

    /// The load started here failed: shows why.
    mutating func loadFailed(_ message: String) { error = message }

    /// One line on what the chosen missing-cell policy does.
    private var policySummary: String {
        switch missingPolicy {
        case .error: "a missing cell stops the load"
        case .drop: "rows with a missing cell are left out"
        case .impute: "missing cells get the column mean / most frequent value"
        }
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        guard let p = session.preview else { return }
        let width = rect.width - 2
        let errorLines = error.map { wrapWords($0, width: width, lines: 3) } ?? []
        let (top, rest) = rect.splitTop(3 + max(1, errorLines.count))
        grid.text("\(p.rowCountText), \(p.header.count) columns: \(p.path)", x: 1, y: top.y, .bold, maxWidth: width)
        grid.paragraph("Which column holds the class label? ←→ to choose, Enter to load.", in: Rect(x: 1, y: top.y + 1, width: width, height: 1))
        var x = 1 + grid.text("Missing cells (m changes): ", x: 1, y: top.y + 2, .plain)
        for policy in MissingPolicy.allCases {
            let chosen = policy == missingPolicy
            x += grid.text(chosen ? "[\(policy.rawValue)]" : " \(policy.rawValue) ", x: x, y: top.y + 2, chosen ? Style(.yellow, .bold) : .dim)
            x += 1
        }
        if policySummary.count <= rect.maxX - x - 2 { grid.text(policySummary, x: x + 1, y: top.y + 2, .dim) }
        for (k, line) in errorLines.enumerated() { grid.text(line, x: 1, y: top.y + 3 + k, .error, maxWidth: width) }
        grid.box(rest, title: "Label column: \(p.header.indices.contains(cursor) ? p.header[cursor] : "")")
        let inner = rest.inset(1)
        let shownRows = p.rows.prefix(max(0, inner.height - 1))
        let layout = LabelPickerLayout(header: p.header, rows: Array(shownRows), width: inner.width, chosen: cursor)
        for (c, x0, w) in layout.columns {
            let x = inner.x + x0
            let chosen = c == cursor
            grid.text(p.header[c], x: x, y: inner.y, chosen ? Style(.yellow, [.bold, .reverse]) : .bold, maxWidth: w - 1)
            for (r, record) in shownRows.enumerated() where record.indices.contains(c) {
                grid.text(record[c], x: x, y: inner.y + 1 + r, chosen ? Style(.yellow) : .plain, maxWidth: w - 1)
            }
        }
    }
}

/// Where the label picker puts each column: as wide as its widest shown cell (capped), left to
/// right from the first column that still lets the chosen one be seen in full.
struct LabelPickerLayout {
    /// Widest a column gets, gap included; longer cells end with an ellipsis.
    static let maxColumnWidth = 20
    /// (column index, x offset in the table, width including the one-cell gap), left to right.
    let columns: [(index: Int, x: Int, width: Int)]

    /// Measures only the columns it shows (and those between the first shown and the chosen
    /// one), so a file of 10,000 columns costs no more per frame than one of 10.
    init(header: [String], rows: [[String]], width: Int, chosen: Int) {
        func columnWidth(_ c: Int) -> Int {
            let widest = rows.reduce(header[c].count) { max($0, $1.indices.contains(c) ? $1[c].count : 0) }
            return min(Self.maxColumnWidth, max(3, widest) + 2)
        }
        var first = 0
        if header.indices.contains(chosen) {
            first = chosen
            var used = columnWidth(chosen)
            while first > 0 {
                let w = columnWidth(first - 1)
                guard used + w <= width else { break }
                used += w
                first -= 1
            }
        }
        var out: [(Int, Int, Int)] = []
        var x = 0
        var c = first
        while c < header.count && x < width {
            let w = columnWidth(c)
            out.append((c, x, min(w, width - x)))
            x += w
            c += 1
        }
        columns = out
    }
}
