import WorthEngine

/// The ranked table of the run view as state: every valued row with its value, a sort order,
/// an optional "flagged only" filter, a cursor and a scroll position.
///
/// The cursor follows its row, not its position: when a live update re-sorts the table, the
/// row under the cursor stays under the cursor (and at the same height on screen when it can).
/// Drawing only ever touches `visibleRange`, so 100,000 rows cost no more than 20.
struct RankedTable: Sendable {
    /// Orders the table can be sorted in; `s` cycles through them.
    enum Sort: Int, Sendable, CaseIterable {
        case valueAscending, valueDescending, row, stderr

        /// Shown in the table's title.
        var title: String {
            switch self {
            case .valueAscending: "value ↑ (lowest first)"
            case .valueDescending: "value ↓ (highest first)"
            case .row: "row number"
            case .stderr: "± stderr ↓"
            }
        }

        /// The next order in the cycle.
        var next: Sort { Sort(rawValue: (rawValue + 1) % Sort.allCases.count)! }
    }

    /// The 1-based data-row number in the file of each valued row (its identity for flags).
    let sourceRows: [Int]
    /// Value of each valued row; NaN when the method has none for it yet.
    private(set) var values: [Double]
    /// Standard error of each valued row, when the method reports one.
    private(set) var standardErrors: [Double]?
    /// Rank of each valued row by value, 1 = lowest (the most suspect); 0 for rows without a value.
    private(set) var ranks: [Int]
    /// Valued-row indices in display order (filtered when `flaggedOnly`).
    private(set) var order: [Int]
    private(set) var sort: Sort = .valueAscending
    /// Whether only flagged rows are listed.
    private(set) var flaggedOnly = false
    /// Position of the cursor in `order`.
    private(set) var cursor = 0
    /// Position in `order` of the first row on screen.
    private(set) var top = 0
    /// Rows on screen, set by the view from the space it has (≥ 1).
    private(set) var pageSize = 10
    /// Lowest and highest value, once any row has one (for the value bars).
    private(set) var valueRange: ClosedRange<Double>?
    /// Whether each valued row is flagged, how many are, and the highest value among them;
    /// kept current by `update` and `flagsChanged` so drawing a frame never walks the flags.
    private(set) var flagged: [Bool]
    private(set) var flaggedCount = 0
    private(set) var flagThreshold: Double?
    /// Whether the flagged rows are the lowest of the run (every row valued below
    /// `flagThreshold` is flagged, as after `f`): only then does the histogram mark a cut
    /// "flag ≤ x".
    private(set) var flagsAreLowest = false
    /// Whether the person has put the cursor somewhere; until then it stays on the first row
    /// (the most suspect) through re-sorts instead of following a row it never chose.
    private var cursorChosen = false

    /// A table of `count` rows without values yet, in file order.
    init(sourceRows: [Int]) {
        self.sourceRows = sourceRows
        self.values = Array(repeating: .nan, count: sourceRows.count)
        self.ranks = Array(repeating: 0, count: sourceRows.count)
        self.order = Array(sourceRows.indices)
        self.flagged = Array(repeating: false, count: sourceRows.count)
    }

    /// Number of listed rows.
    var count: Int { order.count }

    /// The valued-row index under the cursor, if any row is listed.
    var selected: Int? { order.indices.contains(cursor) ? order[cursor] : nil }

    /// Positions in `order` that are on screen.
    var visibleRange: Range<Int> { top..<min(order.count, top + pageSize) }

    /// Takes a new estimate, re-sorting and re-ranking, keeping the cursor on its row.
    ///
    /// One sort per update (the ranks); the value orders are read off the ranks in O(n), since
    /// this runs on the UI thread about ten times a second while the engine works.
    mutating func update(values: [Double], standardErrors: [Double]?, flags: Set<Int>) {
        precondition(values.count == sourceRows.count)
        self.values = values
        self.standardErrors = standardErrors
        ranks = ascendingRanks(values).map { $0 ?? 0 }
        let up = ascendingOrder
        valueRange = up.first.map { values[$0]...values[up[up.count - 1]] }
        summarizeFlags(flags)
        reorder(flags: flags)
    }

    /// Sets the sort order (keeping the cursor on its row).
    mutating func setSort(_ sort: Sort, flags: Set<Int>) {
        self.sort = sort
        reorder(flags: flags)
    }

    /// Lists only flagged rows, or all rows.
    mutating func setFlaggedOnly(_ on: Bool, flags: Set<Int>) {
        flaggedOnly = on
        reorder(flags: flags)
    }

    /// Re-applies the filter and the flag summary after flags changed.
    mutating func flagsChanged(_ flags: Set<Int>) {
        summarizeFlags(flags)
        if flaggedOnly { reorder(flags: flags) }
    }

    /// Sets how many rows fit on screen, keeping the cursor visible.
    mutating func setPageSize(_ rows: Int) {
        pageSize = max(1, rows)
        scrollToCursor()
    }

    /// Moves the cursor by `delta` rows (clamped).
    mutating func move(_ delta: Int) {
        guard !order.isEmpty else { return }
        cursorChosen = true
        cursor = min(order.count - 1, max(0, cursor + delta))
        scrollToCursor()
    }

    /// Moves the cursor to the first listed row.
    mutating func moveToTop() { cursor = 0; top = 0 }

    /// Moves the cursor to the last listed row.
    mutating func moveToBottom() { move(order.count) }

    /// Puts the cursor on the row with data-row number `row`; false when it is not listed.
    @discardableResult
    mutating func jump(toSourceRow row: Int) -> Bool {
        guard let i = sourceRows.firstIndex(of: row), let p = order.firstIndex(of: i) else { return false }
        cursorChosen = true
        cursor = p
        top = max(0, min(p - pageSize / 2, order.count - pageSize))
        return true
    }

    /// The `percent`% lowest-valued rows (rows without a value excluded), as data-row numbers:
    /// `ceil(count × percent / 100)` rows.
    func lowest(percent: Double) -> [Int] {
        let valued = values.indices.filter { !values[$0].isNaN }.sorted { values[$0] < values[$1] }
        let n = Int((Double(valued.count) * percent / 100).rounded(.up))
        return valued.prefix(max(0, min(valued.count, n))).map { sourceRows[$0] }
    }

    /// Rows whose value is below `threshold`, as data-row numbers.
    func below(_ threshold: Double) -> [Int] {
        values.indices.filter { values[$0] < threshold }.map { sourceRows[$0] }
    }

    private mutating func summarizeFlags(_ flags: Set<Int>) {
        var count = 0
        var threshold: Double?
        for (i, row) in sourceRows.enumerated() {
            flagged[i] = !flags.isEmpty && flags.contains(row)
            guard flagged[i] else { continue }
            count += 1
            if values[i].isFinite { threshold = max(threshold ?? values[i], values[i]) }
        }
        flaggedCount = count
        flagThreshold = threshold
        flagsAreLowest = threshold.map { t in !values.indices.contains { !flagged[$0] && values[$0] < t } } ?? false
    }

    /// Valued-row indices by value, lowest first, ties in file order: the ranks inverted.
    private var ascendingOrder: [Int] {
        var out = [Int](repeating: 0, count: ranks.count)
        var valued = 0
        for (i, r) in ranks.enumerated() where r > 0 {
            out[r - 1] = i
            valued += 1
        }
        out.removeLast(ranks.count - valued)
        return out
    }

    private mutating func reorder(flags: Set<Int>) {
        let anchor = selected
        let offset = cursor - top
        // NaN (no value yet) always sorts last; ties keep file order so the table is stable.
        let unvalued = ranks.indices.filter { ranks[$0] == 0 }
        var rows: [Int]
        switch sort {
        case .valueAscending:
            rows = ascendingOrder + unvalued
        case .valueDescending:
            // The ascending order read backwards, one run of equal values at a time so that
            // ties stay in file order.
            let up = ascendingOrder
            rows = []
            rows.reserveCapacity(ranks.count)
            var end = up.count
            while end > 0 {
                var start = end - 1
                while start > 0 && values[up[start - 1]] == values[up[end - 1]] { start -= 1 }
                rows += up[start..<end]
                end = start
            }
            rows += unvalued
        case .row:
            rows = Array(sourceRows.indices)
        case .stderr:
            rows = Array(sourceRows.indices)
            if let se = standardErrors {
                func key(_ x: Double) -> Double { x.isNaN ? .infinity : -x }
                rows.sort { (key(se[$0]), $0) < (key(se[$1]), $1) }
            }
        }
        if flaggedOnly { rows = rows.filter { flags.contains(sourceRows[$0]) } }
        order = rows
        if cursorChosen, let anchor, let p = order.firstIndex(of: anchor) {
            cursor = p
            top = max(0, p - offset)
        } else {
            cursor = min(cursor, max(0, order.count - 1))
        }
        scrollToCursor()
    }

    private mutating func scrollToCursor() {
        if cursor < top { top = cursor }
        if cursor >= top + pageSize { top = cursor - pageSize + 1 }
        top = max(0, min(top, max(0, order.count - pageSize)))
    }
}
