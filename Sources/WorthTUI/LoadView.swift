import Foundation
import WorthEngine

extension Workbench {
    func drawLoad(_ grid: inout Grid, _ rect: Rect) {
        var (top, rest) = rect.splitTop(2)
        grid.text("Open a CSV file: a bundled sample, a file of this directory, or press o to type a path.",
                  x: top.x + 1, y: top.y, .plain, maxWidth: top.width - 2)
        if let e = loadError {
            let (errorBox, after) = rest.splitTop(3)
            grid.box(errorBox, title: "Could not open", Style(.red))
            grid.text(e, x: errorBox.x + 2, y: errorBox.y + 1, .error, maxWidth: errorBox.width - 4)
            rest = after
        }
        top = rest
        grid.box(top, title: "Files")
        let inner = top.inset(1)
        guard !entries.isEmpty else {
            grid.text("No CSV files here and no bundled samples found; press o to type a path.", x: inner.x + 1, y: inner.y, .dim)
            return
        }
        let visible = inner.height
        let first = max(0, min(entryCursor - visible / 2, entries.count - visible))
        for (row, i) in (first..<min(entries.count, first + visible)).enumerated() {
            let e = entries[i]
            let y = inner.y + row
            grid.text(e.name, x: inner.x + 2, y: y, .bold, maxWidth: 40)
            grid.text(e.note, x: inner.x + 44, y: y, .dim, maxWidth: inner.width - 45)
            if i == entryCursor { grid.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), .selected) }
        }
    }

    func drawLabel(_ grid: inout Grid, _ rect: Rect) {
        guard let p = preview else { return }
        // The load error (if any) gets two lines under the policy line: it names a place and a key.
        let errorLines = loadError.map { wrapWords($0, width: rect.width - 2, lines: 2) } ?? []
        let (top, rest) = rect.splitTop(3 + max(1, errorLines.count))
        grid.text("\(p.rowCount) rows, \(p.header.count) columns: \(p.path)", x: 1, y: top.y, .bold, maxWidth: top.width - 2)
        grid.text("Which column holds the class label? ←→ to choose, Enter to load.", x: 1, y: top.y + 1, .plain)
        var x = 1 + grid.text("Missing cells (m changes): ", x: 1, y: top.y + 2, .plain)
        for policy in MissingPolicy.allCases {
            let chosen = policy == missingPolicy
            x += grid.text(chosen ? "[\(policy.rawValue)]" : " \(policy.rawValue) ", x: x, y: top.y + 2, chosen ? Style(.yellow, .bold) : .dim)
            x += 1
        }
        grid.text(missingPolicySummary, x: x + 1, y: top.y + 2, .dim, maxWidth: top.width - x - 2)
        for (k, line) in errorLines.enumerated() { grid.text(line, x: 1, y: top.y + 3 + k, .error, maxWidth: top.width - 2) }
        grid.box(rest, title: "Label column: \(p.header.indices.contains(labelCursor) ? p.header[labelCursor] : "")")
        let inner = rest.inset(1)
        let shownRows = p.rows.prefix(max(0, inner.height - 1))
        let layout = LabelPickerLayout(header: p.header, rows: Array(shownRows), width: inner.width, chosen: labelCursor)
        for (c, x0, w) in layout.columns {
            let x = inner.x + x0
            let chosen = c == labelCursor
            grid.text(p.header[c], x: x, y: inner.y, chosen ? Style(.yellow, [.bold, .reverse]) : .bold, maxWidth: w - 1)
            for (r, record) in shownRows.enumerated() where record.indices.contains(c) {
                grid.text(record[c], x: x, y: inner.y + 1 + r, chosen ? Style(.yellow) : .plain, maxWidth: w - 1)
            }
        }
    }

    /// One line on what the chosen missing-cell policy does.
    private var missingPolicySummary: String {
        switch missingPolicy {
        case .error: "a missing cell stops the load"
        case .drop: "rows with a missing cell are left out"
        case .impute: "missing cells get the column mean / most frequent value"
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
        // The first column: the leftmost from which the chosen one still fits.
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

/// `text` broken at spaces into at most `lines` lines of at most `width` characters; the last
/// line keeps the rest (the grid ends it with an ellipsis if it is still too long).
func wrapWords(_ text: String, width: Int, lines: Int) -> [String] {
    var out: [String] = []
    var rest = Substring(text)
    while rest.count > width, out.count < lines - 1,
          let cut = rest.prefix(width + 1).lastIndex(of: " ") {
        out.append(String(rest[..<cut]))
        rest = rest[rest.index(after: cut)...]
    }
    out.append(String(rest))
    return out
}
