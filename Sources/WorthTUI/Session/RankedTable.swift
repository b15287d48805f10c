import WorthEngine

/// What the ranked table's filter and label column depend on besides the run: the flagged rows
/// and the relabeled ones (data row → class index), both by data-row number.
struct RowMarks: Sendable, Equatable {
    var flags: Set<Int> = []
    var relabels: [Int: Int] = [:]

    init(flags: Set<Int> = [], relabels: [Int: Int] = [:]) {
        self.flags = flags
        self.relabels = relabels
    }

    /// `marks` with each new label as its class index in `classNames` (a label not among them
    /// is left out).
    init(_ marks: Marks, classNames: [String]) {
        let index = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.init(flags: marks.flags, relabels: marks.relabels.compactMapValues { index[$0] })
    }
}

/// The ranked table of a run as state: every valued row with its value, label and predicted
/// label, a sort order (any column, either way), a filter, a cursor and a scroll position.
///
/// The cursor follows its row, not its position: when a live update re-sorts the table, the
/// row under the cursor stays under the cursor (and at the same height on screen when it can).
///
/// A frame costs the rows on screen, whatever the number of rows: drawing only ever touches
/// `visibleRange`, moving the cursor is O(1), the histogram is cached per width, and flagging
/// costs the flags (a binary search each), not the rows. Work over every row happens only when
/// the values, the sort or the filter change (`fullPasses` counts it); the ranking of new values
/// (a sort) can be computed off the key loop (`Ranking`) and handed to `update`.
struct RankedTable: Sendable {
    /// The values' order: what a new estimate costs a sort to find, computed where the engine's
    /// updates arrive (off the key loop) and handed to `update`.
    struct Ranking: Sendable {
        /// Rank of each valued row by value, 1 = lowest; 0 for rows without a value.
        let ranks: [Int]
        /// Valued-row indices by value, lowest first, ties in file order (rows without a value left out).
        let ascending: [Int]
        /// Row indices by standard error, lowest first (`RankedTable.standardErrorOrder`), when asked for.
        private(set) var byStandardError: [Int]?

        /// The ranking of `values`, and the order of `standardErrors` when they are given.
        init(_ values: [Double], standardErrors: [Double]? = nil) {
            let ranks = ascendingRanks(values).map { $0 ?? 0 }
            var up = [Int](repeating: 0, count: ranks.count)
            var valued = 0
            for (i, r) in ranks.enumerated() where r > 0 {
                up[r - 1] = i
                valued += 1
            }
            up.removeLast(ranks.count - valued)
            self.ranks = ranks
            ascending = up
            byStandardError = standardErrors.map { RankedTable.standardErrorOrder($0, ranks: ranks, ascending: up) }
        }
    }

    /// Row indices by standard error, lowest first; among equal ones by value rank, rows
    /// without a value last in file order; rows without a standard error last, in that order.
    /// A sort of contiguous pairs.
    static func standardErrorOrder(_ standardErrors: [Double], ranks: [Int], ascending: [Int]) -> [Int] {
        let n = ranks.count
        var pairs = ranks.indices.map { i -> (key: Double, tie: Int) in
            (standardErrors[i].isNaN ? .infinity : standardErrors[i], ranks[i] == 0 ? Int.max - n + i : ranks[i])
        }
        pairs.sort { $0.key < $1.key || ($0.key == $1.key && $0.tie < $1.tie) }
        return pairs.map { $0.tie > n ? $0.tie - (Int.max - n) : ascending[$0.tie - 1] }
    }

    /// Rows per bar of the values' histogram, and how many of them are flagged.
    struct Histogram: Sendable, Equatable {
        var counts: [Int]
        var flagged: [Int]
    }

    /// The columns the table can be sorted by (`<` and `>` choose one, `s` reverses).
    enum SortColumn: Int, Sendable, CaseIterable {
        case value, row, label, predicted, stderr

        var title: String {
            switch self {
            case .value: "value"
            case .row: "row"
            case .label: "label"
            case .predicted: "predicted"
            case .stderr: "± stderr"
            }
        }
    }

    /// A sort order: a column and a direction. Rows without a value (or without what is
    /// sorted on) always come last; ties keep file order.
    struct Sort: Sendable, Equatable {
        var column: SortColumn
        var descending: Bool

        static let valueAscending = Sort(column: .value, descending: false)
        static let valueDescending = Sort(column: .value, descending: true)

        /// Shown in the table's title.
        var title: String {
            let arrow = descending ? "↓" : "↑"
            if column == .value { return "value \(arrow) (\(descending ? "highest" : "lowest") first)" }
            return "\(column.title) \(arrow)" + (column == .label || column == .predicted ? ", then value" : "")
        }
    }

    /// Which rows are listed.
    enum Filter: Sendable, Equatable {
        case all, flagged, relabeled
        /// Rows whose label (their new one when relabeled) differs from their suggested label.
        case disagreeing
        /// Rows whose label (their new one when relabeled) is this class.
        case label(Int)

        /// Shown in the table's title; nil for all rows.
        func title(_ names: [String]) -> String? {
            switch self {
            case .all: nil
            case .flagged: "flagged only"
            case .relabeled: "relabeled only"
            case .disagreeing: "label ≠ suggested"
            case .label(let c): "label \(names.indices.contains(c) ? names[c] : "?")"
            }
        }
    }

    /// The 1-based data-row number in the file of each valued row (its identity for flags).
    let sourceRows: [Int]
    /// The class index of each valued row as the run valued it (flips included).
    let labels: [Int]
    /// Value of each valued row; NaN when the method has none for it yet.
    private(set) var values: [Double]
    /// Standard error of each valued row, when the method reports one.
    private(set) var standardErrors: [Double]?
    /// Each valued row's suggested label (a model that did not see it), once known.
    private(set) var predicted: [Int]?
    /// Rank of each valued row by value, 1 = lowest (the most suspect); 0 for rows without a value.
    private(set) var ranks: [Int]
    /// Valued-row indices by value, lowest first, ties in file order (rows without a value left out).
    private(set) var ascending: [Int] = []
    /// Row indices by standard error (`standardErrorOrder`), once the stderr sort needed it.
    private var byStandardError: [Int]?
    /// Valued-row indices in display order (filtered).
    private(set) var order: [Int]
    private(set) var sort: Sort = .valueAscending
    private(set) var filter: Filter = .all
    /// Position of the cursor in `order`.
    private(set) var cursor = 0
    /// Position in `order` of the first row on screen.
    private(set) var top = 0
    /// Rows on screen, set by the view from the space it has (≥ 1).
    private(set) var pageSize = 10
    /// Lowest and highest value, once any row has one (for the value bars).
    private(set) var valueRange: ClosedRange<Double>?
    /// Whether each valued row is flagged, how many are, and the highest value among them;
    /// kept current by `update` and `marksChanged` so drawing a frame never walks the flags.
    private(set) var flagged: [Bool]
    /// The valued rows flagged (indices, ascending).
    private var flaggedRows: [Int] = []
    private(set) var flaggedCount = 0
    private(set) var flagThreshold: Double?
    /// Whether the flagged rows are the lowest of the run (every row valued below
    /// `flagThreshold` is flagged, as after `f`): only then does the histogram mark a cut
    /// "flag ≤ x".
    private(set) var flagsAreLowest = false
    /// The histogram of the values for the width it was last asked for (`prepareHistogram`).
    private(set) var histogram: (bins: Int, bars: Histogram)?
    /// Passes over every row so far (re-sorting, filtering, counting): what a frame must not add to.
    private(set) var fullPasses = 0
    /// Whether the person has put the cursor somewhere; until then it stays on the first row
    /// (the most suspect) through re-sorts instead of following a row it never chose.
    private var cursorChosen = false

    /// A table of `sourceRows` without values yet, in file order, with each row's class
    /// (all 0 when not given).
    init(sourceRows: [Int], labels: [Int]? = nil) {
        precondition(labels == nil || labels!.count == sourceRows.count)
        self.sourceRows = sourceRows
        self.labels = labels ?? Array(repeating: 0, count: sourceRows.count)
        self.values = Array(repeating: .nan, count: sourceRows.count)
        self.ranks = Array(repeating: 0, count: sourceRows.count)
        self.order = Array(sourceRows.indices)
        self.flagged = Array(repeating: false, count: sourceRows.count)
    }

    /// Number of listed rows.
    var count: Int { order.count }

    /// Number of rows with a value.
    var valuedCount: Int { ascending.count }

    /// The valued-row index under the cursor, if any row is listed.
    var selected: Int? { order.indices.contains(cursor) ? order[cursor] : nil }

    /// Positions in `order` that are on screen.
    var visibleRange: Range<Int> { top..<min(order.count, top + pageSize) }

    /// The valued-row index of data row `row`, if the run values it (binary search: the rows
    /// are ascending).
    func index(ofSourceRow row: Int) -> Int? {
        var lo = 0, hi = sourceRows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sourceRows[mid] < row { lo = mid + 1 } else { hi = mid }
        }
        return lo < sourceRows.count && sourceRows[lo] == row ? lo : nil
    }

    /// The class of valued row `i` now: its new one when relabeled.
    func label(_ i: Int, _ marks: RowMarks) -> Int { marks.relabels[sourceRows[i]] ?? labels[i] }

    /// Takes a new estimate, re-ranking (with `ranking` of these values when it was computed
    /// elsewhere, else here: a sort) and re-listing, keeping the cursor on its row.
    ///
    /// Past the ranking, the value orders are read off the ranks in O(n): this runs on the key
    /// loop at each update of the engine.
    mutating func update(values: [Double], standardErrors: [Double]?, ranking: Ranking? = nil, marks: RowMarks) {
        precondition(values.count == sourceRows.count)
        let ranking = ranking ?? Ranking(values)
        precondition(ranking.ranks.count == values.count)
        self.values = values
        self.standardErrors = standardErrors
        ranks = ranking.ranks
        ascending = ranking.ascending
        byStandardError = standardErrors == nil ? nil : ranking.byStandardError
        valueRange = ascending.first.map { values[$0]...values[ascending[ascending.count - 1]] }
        histogram = nil
        summarizeFlags(marks.flags)
        reorder(marks)
    }

    /// Makes `histogram` the values' histogram in `bins` bars (recounted only when the values,
    /// the flags or the width changed since).
    mutating func prepareHistogram(bins: Int) {
        guard bins > 0, histogram?.bins != bins else { return }
        fullPasses += 1
        var bars = Histogram(counts: Array(repeating: 0, count: bins), flagged: Array(repeating: 0, count: bins))
        if let range = valueRange {
            let (lo, hi) = Charts.histogramRange(range)
            for (i, v) in values.enumerated() where v.isFinite {
                let b = Charts.histogramBin(v, lo: lo, hi: hi, bins: bins)
                bars.counts[b] += 1
                if flagged[i] { bars.flagged[b] += 1 }
            }
        }
        histogram = (bins, bars)
    }

    /// Takes each row's suggested label.
    mutating func setPredicted(_ predicted: [Int], marks: RowMarks) {
        precondition(predicted.count == sourceRows.count)
        self.predicted = predicted
        if sort.column == .predicted || filter == .disagreeing { reorder(marks) }
    }

    /// Sets the sort order (keeping the cursor on its row).
    mutating func setSort(_ sort: Sort, marks: RowMarks) {
        self.sort = sort
        reorder(marks)
    }

    /// Lists only the rows `filter` keeps.
    mutating func setFilter(_ filter: Filter, marks: RowMarks) {
        self.filter = filter
        reorder(marks)
    }

    /// Re-applies the filter, the order and the flag summary after flags or labels changed.
    mutating func marksChanged(_ marks: RowMarks) {
        summarizeFlags(marks.flags)
        if filter != .all || sort.column == .label { reorder(marks) }
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

    /// Puts the cursor on listed position `p`, scrolling it to the middle of the page if it is off it.
    private mutating func moveCursor(to p: Int) {
        cursorChosen = true
        cursor = p
        if !visibleRange.contains(p) { top = max(0, min(p - pageSize / 2, order.count - pageSize)) }
    }

    /// Moves the cursor to the next listed row (the previous one when `forward` is false),
    /// wrapping around, whose data-row number is `query` or whose label (its new one when
    /// relabeled) contains `query`, ignoring case; false when no listed row matches.
    @discardableResult
    mutating func find(_ query: String, forward: Bool, names: [String], marks: RowMarks) -> Bool {
        let q = query.trimmingCharacters(in: .whitespaces).lowercased()
        guard !q.isEmpty, !order.isEmpty else { return false }
        let number = Int(q)
        let matches = names.map { $0.lowercased().contains(q) }
        let n = order.count
        for step in 1...n {
            let p = ((cursor + (forward ? step : -step)) % n + n) % n
            let i = order[p]
            if number == sourceRows[i] || matches[label(i, marks)] {
                moveCursor(to: p)
                return true
            }
        }
        return false
    }

    /// The `percent`% lowest-valued rows (rows without a value excluded), as data-row numbers:
    /// `ceil(count × percent / 100)` rows.
    func lowest(percent: Double) -> [Int] {
        let n = Int((Double(ascending.count) * percent / 100).rounded(.up))
        return ascending.prefix(max(0, min(ascending.count, n))).map { sourceRows[$0] }
    }

    /// Rows whose value is below `threshold`, as data-row numbers (lowest first).
    func below(_ threshold: Double) -> [Int] {
        ascending.prefix(countBelow(threshold)).map { sourceRows[$0] }
    }

    /// How many rows are valued below `threshold` (a binary search of the value order).
    private func countBelow(_ threshold: Double) -> Int {
        var lo = 0, hi = ascending.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[ascending[mid]] < threshold { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Marks the flagged rows and sums them up: the cost of the flags (a binary search each),
    /// not of the rows.
    private mutating func summarizeFlags(_ flags: Set<Int>) {
        // The histogram's flagged counts follow: minus the rows flagged before, plus those now.
        var bars = histogram
        histogram = nil
        func count(_ i: Int, _ delta: Int) {
            guard bars != nil, let range = valueRange, values[i].isFinite else { return }
            let (lo, hi) = Charts.histogramRange(range)
            bars!.bars.flagged[Charts.histogramBin(values[i], lo: lo, hi: hi, bins: bars!.bins)] += delta
        }
        for i in flaggedRows {
            flagged[i] = false
            count(i, -1)
        }
        flaggedRows = flags.compactMap(index(ofSourceRow:)).sorted()
        var threshold: Double?
        for i in flaggedRows {
            flagged[i] = true
            count(i, 1)
            if values[i].isFinite { threshold = max(threshold ?? values[i], values[i]) }
        }
        histogram = bars
        flaggedCount = flaggedRows.count
        flagThreshold = threshold
        // The flagged rows are the lowest when every row valued below the threshold is flagged.
        flagsAreLowest = threshold.map { t in countBelow(t) == flaggedRows.count(where: { values[$0] < t }) } ?? false
    }

    /// Valued-row indices in `sort`'s order, before filtering.
    private func sorted(_ marks: RowMarks) -> [Int] {
        let unvalued = ranks.indices.filter { ranks[$0] == 0 }
        switch sort.column {
        case .value where !sort.descending:
            return ascending + unvalued
        case .value:
            // The ascending order read backwards, one run of equal values at a time so that
            // ties stay in file order.
            let up = ascending
            var rows: [Int] = []
            rows.reserveCapacity(ranks.count)
            var end = up.count
            while end > 0 {
                var start = end - 1
                while start > 0 && values[up[start - 1]] == values[up[end - 1]] { start -= 1 }
                rows += up[start..<end]
                end = start
            }
            return rows + unvalued
        case .row:
            return sort.descending ? Array(sourceRows.indices.reversed()) : Array(sourceRows.indices)
        case .label, .predicted:
            // By class, then by value: the rows in value order (rows without a value last, in
            // file order), put in their class's bucket in that order: O(rows), no sort.
            let byValue = ascending + unvalued
            guard sort.column == .label || predicted != nil else { return byValue }
            let classes = sort.column == .label ? byValue.map { label($0, marks) } : byValue.map { predicted![$0] }
            var buckets = [[Int]](repeating: [], count: (classes.max() ?? -1) + 1)
            for (i, c) in zip(byValue, classes) { buckets[c].append(i) }
            return Array((sort.descending ? buckets.reversed() : buckets).joined())
        case .stderr:
            // Ascending: the order kept. Descending: its runs of equal standard errors in
            // reverse, each run kept in value order; rows without one stay last.
            guard let up = byStandardError, let se = standardErrors else { return ascending + unvalued }
            guard sort.descending else { return up }
            let keyed = up.firstIndex { se[$0].isNaN } ?? up.count
            var rows: [Int] = []
            rows.reserveCapacity(up.count)
            var end = keyed
            while end > 0 {
                var start = end - 1
                while start > 0 && se[up[start - 1]] == se[up[end - 1]] { start -= 1 }
                rows += up[start..<end]
                end = start
            }
            return rows + up[keyed...]
        }
    }

    private mutating func reorder(_ marks: RowMarks) {
        fullPasses += 1
        if sort.column == .stderr, byStandardError == nil, let se = standardErrors {
            byStandardError = Self.standardErrorOrder(se, ranks: ranks, ascending: ascending)
        }
        let anchor = selected
        let offset = cursor - top
        var rows = sorted(marks)
        switch filter {
        case .all: break
        case .flagged: rows = rows.filter { marks.flags.contains(sourceRows[$0]) }
        case .relabeled: rows = rows.filter { marks.relabels[sourceRows[$0]] != nil }
        case .disagreeing:
            if let p = predicted { rows = rows.filter { label($0, marks) != p[$0] } } else { rows = [] }
        case .label(let c): rows = rows.filter { label($0, marks) == c }
        }
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
