import Testing
import WorthEngine
@testable import WorthTUI

@Suite struct RankedTableTests {
    /// Rows 1…5 with values 0.3, nan, -0.2, 0.9, 0.1.
    func table() -> RankedTable {
        var t = RankedTable(sourceRows: [1, 2, 3, 4, 5])
        t.update(values: [0.3, .nan, -0.2, 0.9, 0.1], standardErrors: [0.01, 0.5, 0.02, 0.2, 0.03], marks: RowMarks())
        return t
    }

    func rows(_ t: RankedTable) -> [Int] { t.order.map { t.sourceRows[$0] } }

    @Test func sortsByAnyColumnEitherWayAndRowsWithoutValueComeLast() {
        var t = table()
        #expect(rows(t) == [3, 5, 1, 4, 2])
        #expect(t.ranks == [3, 0, 1, 4, 2])
        t.setSort(.valueDescending, marks: RowMarks())
        #expect(rows(t) == [4, 1, 5, 3, 2])
        t.setSort(.init(column: .row, descending: false), marks: RowMarks())
        #expect(rows(t) == [1, 2, 3, 4, 5])
        t.setSort(.init(column: .row, descending: true), marks: RowMarks())
        #expect(rows(t) == [5, 4, 3, 2, 1])
        t.setSort(.init(column: .stderr, descending: true), marks: RowMarks())
        #expect(rows(t) == [2, 4, 5, 3, 1])
    }

    /// Rows 1…5 with labels 0 1 0 1 0 and suggested 0 0 1 1 0: the label column sorts by the
    /// label as relabeled, then by value; the filters keep what they say.
    @Test func labelSortAndFiltersFollowRelabelsAndSuggestions() {
        var t = RankedTable(sourceRows: [1, 2, 3, 4, 5], labels: [0, 1, 0, 1, 0])
        var marks = RowMarks()
        t.update(values: [0.3, .nan, -0.2, 0.9, 0.1], standardErrors: nil, marks: marks)
        t.setSort(.init(column: .label, descending: false), marks: marks)
        #expect(rows(t) == [3, 5, 1, 4, 2])
        marks.relabels[3] = 1
        t.marksChanged(marks)
        #expect(rows(t) == [5, 1, 3, 4, 2])
        t.setFilter(.disagreeing, marks: marks)
        #expect(rows(t) == [])                     // no suggestions yet
        t.setPredicted([0, 0, 1, 1, 0], marks: marks)
        #expect(rows(t) == [2])                    // row 3 relabeled to its suggestion agrees now
        t.setFilter(.relabeled, marks: marks)
        #expect(rows(t) == [3])
        t.setFilter(.label(0), marks: marks)
        #expect(rows(t) == [5, 1])
        marks.flags = [4]
        t.setFilter(.flagged, marks: marks)
        #expect(rows(t) == [4])
    }

    func find(_ t: inout RankedTable, _ q: String, forward: Bool, names: [String], marks: RowMarks) -> Bool {
        t.find(q, forward: forward, names: names, marks: marks)
    }

    /// `/` finds row numbers exactly and label text in part, from the cursor on, wrapping.
    @Test func findMatchesRowNumbersAndLabelTextAndWraps() {
        var t = RankedTable(sourceRows: [1, 2, 3, 4, 5], labels: [0, 1, 0, 1, 0])
        let names = ["setosa", "virginica"], marks = RowMarks(relabels: [5: 1])
        t.update(values: [0.3, 0.5, -0.2, 0.9, 0.1], standardErrors: nil, marks: marks)
        // Order: 3 5 1 2 4; cursor on row 3.
        #expect(find(&t, "4", forward: true, names: names, marks: marks))
        #expect(t.selected.map { t.sourceRows[$0] } == 4)
        #expect(find(&t, "VIRG", forward: true, names: names, marks: marks))
        #expect(t.selected.map { t.sourceRows[$0] } == 5)   // wrapped; row 5 is virginica as relabeled
        #expect(find(&t, "virg", forward: false, names: names, marks: marks))
        #expect(t.selected.map { t.sourceRows[$0] } == 4)
        #expect(!find(&t, "versicolor", forward: true, names: names, marks: marks))
        #expect(!find(&t, "6", forward: true, names: names, marks: marks))
    }

    @Test func untouchedCursorStaysOnTopThroughUpdates() {
        var t = table()
        t.update(values: [-1, 0, 0, 0, 0], standardErrors: nil, marks: RowMarks())
        #expect(t.cursor == 0 && t.selected == 0)
    }

    @Test func chosenCursorFollowsItsRowWhenValuesChange() {
        var t = table()
        t.move(2)
        #expect(t.selected.map { t.sourceRows[$0] } == 1)
        t.update(values: [-5, 0, 1, 2, 3], standardErrors: nil, marks: RowMarks())
        #expect(t.selected.map { t.sourceRows[$0] } == 1)
        #expect(t.cursor == 0)
    }

    @Test func scrollingKeepsTheCursorOnScreen() {
        var t = RankedTable(sourceRows: Array(1...100))
        t.setPageSize(10)
        t.move(25)
        #expect(t.visibleRange == 16..<26)
        t.move(-20)
        #expect(t.visibleRange == 5..<15)
        t.moveToBottom()
        #expect(t.cursor == 99 && t.visibleRange == 90..<100)
        t.moveToTop()
        #expect(t.cursor == 0 && t.visibleRange == 0..<10)
    }

    @Test func findScrollsARowNumberIntoViewAndRefusesOneNotListed() {
        var t = RankedTable(sourceRows: Array(stride(from: 2, through: 200, by: 2)))
        t.setPageSize(10)
        #expect(find(&t, "120", forward: true, names: ["a"], marks: RowMarks()))
        #expect(t.selected.map { t.sourceRows[$0] } == 120)
        #expect(t.visibleRange.contains(t.cursor))
        #expect(!find(&t, "121", forward: true, names: ["a"], marks: RowMarks()))
    }

    @Test func flaggedOnlyFiltersAndFollowsFlagChanges() {
        var t = table()
        t.setFilter(.flagged, marks: RowMarks(flags: [4, 3]))
        #expect(rows(t) == [3, 4])
        t.marksChanged(RowMarks(flags: [4]))
        #expect(rows(t) == [4])
        t.setFilter(.all, marks: RowMarks(flags: [4]))
        #expect(t.count == 5)
    }

    @Test func lowestPercentAndBelowThreshold() {
        let t = table()
        #expect(t.lowest(percent: 10) == [3])
        #expect(t.lowest(percent: 50) == [3, 5])
        #expect(t.lowest(percent: 100) == [3, 5, 1, 4])
        #expect(t.below(0) == [3])
    }

    @Test func aHundredThousandRowsScrollWithoutTouchingMoreThanAPage() {
        let n = 100_000
        var t = RankedTable(sourceRows: Array(1...n))
        t.update(values: (0..<n).map { Double(($0 * 7919) % n) }, standardErrors: nil, marks: RowMarks())
        t.setPageSize(40)
        t.move(n / 2)
        #expect(t.visibleRange.count == 40)
        #expect(t.values[t.order[t.cursor]] == Double(n / 2))
    }

    /// Each value order against a plain sort by (key, file order), on data full of ties (the
    /// ratios Data-OOB produces) with rows not valued yet.
    @Test func valueOrdersMatchAPlainSortWithTiesInFileOrder() {
        let n = 200
        var generator = SeededGenerator(seed: 3)
        let values = (0..<n).map { _ in generator.nextInt(below: 9) == 0 ? Double.nan : Double(generator.nextInt(below: 6)) / 5 }
        var t = RankedTable(sourceRows: Array(1...n))
        t.update(values: values, standardErrors: nil, marks: RowMarks())
        func expected(_ key: (Double) -> Double) -> [Int] {
            let valued = values.indices.filter { !values[$0].isNaN }.sorted { (key(values[$0]), $0) < (key(values[$1]), $1) }
            return valued + values.indices.filter { values[$0].isNaN }
        }
        #expect(t.order == expected { $0 })
        for (r, i) in expected({ $0 }).filter({ !values[$0].isNaN }).enumerated() { #expect(t.ranks[i] == r + 1) }
        #expect(t.ranks.filter { $0 == 0 }.count == values.filter(\.isNaN).count)
        t.setSort(.valueDescending, marks: RowMarks())
        #expect(t.order == expected { -$0 })
        let finite = values.filter { !$0.isNaN }
        #expect(t.valueRange == finite.min()!...finite.max()!)
    }

    @Test func flagSummaryFollowsValuesAndFlags() {
        var t = table()
        #expect(t.flaggedCount == 0 && t.flagThreshold == nil)
        t.marksChanged(RowMarks(flags: [3, 5, 2, 99]))        // row 2 has no value; row 99 is not in the table
        #expect(t.flaggedCount == 3)
        #expect(t.flagThreshold == 0.1)
        t.update(values: [0.3, 0.7, -0.2, 0.9, 0.1], standardErrors: nil, marks: RowMarks(flags: [3, 5, 2, 99]))
        #expect(t.flagThreshold == 0.7)
        t.marksChanged(RowMarks(flags: []))
        #expect(t.flaggedCount == 0 && t.flagThreshold == nil)
    }
}

@Suite struct RankedTableScaleTests {
    /// A table of `n` rows valued in a scrambled order, rows 3 and 5 flagged.
    func table(_ n: Int) -> RankedTable {
        var t = RankedTable(sourceRows: Array(1...n), labels: (0..<n).map { $0 % 3 })
        t.update(values: (0..<n).map { Double(($0 &* 7919) % n) / Double(n) - 0.25 }, standardErrors: nil,
                 marks: RowMarks(flags: [3, 5]))
        t.setPageSize(30)
        t.prepareHistogram(bins: 50)
        return t
    }

    /// What a frame and the keys that move or flag do costs the rows shown and the flags, not
    /// the rows: a table of 50,000 rows makes no more passes over its rows than one of 100
    /// (only new values, a new sort or a new filter do).
    @Test(arguments: [100, 50_000])
    func framesAndKeysDoNotWalkTheRows(n: Int) {
        var t = table(n)
        let passes = t.fullPasses
        var marks = RowMarks(flags: [3, 5])
        for k in 0..<200 {
            // A frame: the page and the histogram for the space there is; then a key.
            t.setPageSize(30)
            t.prepareHistogram(bins: 50)
            switch k % 5 {
            case 0: t.move(1)
            case 1: t.move(30)
            case 2: t.moveToBottom()
            case 3: t.moveToTop()
            default:
                marks.flags.insert(t.sourceRows[t.selected!])
                t.marksChanged(marks)
            }
        }
        #expect(t.fullPasses == passes)
        #expect(t.flaggedCount == marks.flags.count)
        // The counts kept up by the flags are those a recount finds.
        var fresh = t
        fresh.update(values: t.values, standardErrors: nil, marks: marks)
        fresh.prepareHistogram(bins: 50)
        #expect(fresh.histogram?.bars == t.histogram?.bars)
        #expect(t.histogram?.bars.counts.reduce(0, +) == n)
        #expect(fresh.fullPasses == t.fullPasses + 2)   // new values: a re-listing and a recount
    }

    /// The ranking found off the key loop is the one the table finds itself.
    @Test func aRankingFoundElsewhereListsTheSame() {
        let values = [0.3, .nan, -0.2, 0.9, 0.1, 0.3]
        var a = RankedTable(sourceRows: Array(1...6)), b = a
        a.update(values: values, standardErrors: nil, marks: RowMarks())
        b.update(values: values, standardErrors: nil, ranking: RankedTable.Ranking(values), marks: RowMarks())
        #expect(a.order == b.order && a.ranks == b.ranks && a.ranks == [3, 0, 1, 5, 2, 4])
        #expect(a.ascending == [2, 4, 0, 5, 3] && a.valuedCount == 5)
        #expect(a.lowest(percent: 40) == [3, 5] && a.below(0.3) == [3, 5])
    }

    /// The standard-error order, found with the ranking or by the table, either way: ties by
    /// value, rows without a value then rows without a standard error last.
    @Test func theStandardErrorOrderIsTheSameWhereverItIsFound() {
        let values = [0.3, .nan, -0.2, 0.9, 0.1, 0.3], se = [0.1, 0.2, 0.1, .nan, 0.1, 0.2]
        var here = RankedTable(sourceRows: Array(1...6)), found = here
        here.update(values: values, standardErrors: se, marks: RowMarks())
        found.update(values: values, standardErrors: se, ranking: RankedTable.Ranking(values, standardErrors: se), marks: RowMarks())
        for descending in [false, true] {
            here.setSort(.init(column: .stderr, descending: descending), marks: RowMarks())
            found.setSort(.init(column: .stderr, descending: descending), marks: RowMarks())
            #expect(found.order == here.order)
            #expect(here.order.map { $0 + 1 } == (descending ? [6, 2, 3, 5, 1, 4] : [3, 5, 1, 6, 2, 4]))
        }
    }
}
