import Foundation
import Testing
@testable import WorthTUI

/// The Dataset screen: every class, every column, rows as loaded, classes told apart without colour.
@Suite struct DatasetScreenTests {
    /// Defect 1: a 10-class file drew "… 2 more classes" over class 7's bar and never showed
    /// classes 8 and 9. Every class is shown, with its count.
    @Test(arguments: [(80, 24), (120, 40), (160, 50)])
    func everyClassIsShown(width: Int, height: Int) async throws {
        let file = try FixtureFile(classes: 10, features: 64, rows: 200)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        let g = render(w, width, height)
        for c in 0..<10 {
            #expect(g.text.contains("c\(c)") && g.text.range(of: "c\(c) +[█▉▊▋▌▍▎▏ ]+ 20", options: .regularExpression) != nil, "class c\(c)")
        }
        #expect(!g.text.contains("more classes"))
    }

    /// More classes than fit scroll, once the classes are highlighted.
    @Test func manyClassesScroll() async throws {
        let file = try FixtureFile(classes: 40, features: 3, rows: 80)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        #expect(!render(w, 80, 24).text.contains("c39 "))
        w.type(.left, .char("G"))
        let g = render(w, 80, 24)
        #expect(g.text.contains("c39 "))
        #expect(g.line(1).contains("rows") && g.line(1).contains("of"))
    }

    /// Defect 2: the columns list stopped at "… 44 more columns". It scrolls.
    @Test func theColumnsListScrolls() async throws {
        let file = try FixtureFile(classes: 10, features: 64, rows: 60)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        var g = render(w, 80, 24)
        #expect(g.text.contains("Columns 1–9 of 65"))
        #expect(!g.text.contains("f63 ") && !g.text.contains("more columns"))
        w.type(.char("j"))
        #expect(render(w, 80, 24).text.contains("Columns 2–10 of 65"))
        w.type(.char("G"))
        g = render(w, 80, 24)
        #expect(g.text.contains("Columns 57–65 of 65"))
        #expect(g.text.contains("f63 ") && g.text.contains("class "))
        w.type(.pageUp, .char("g"))
        #expect(render(w, 80, 24).text.contains("Columns 1–9 of 65"))
    }

    /// Defect 12: after dropping the rows with missing cells (penguins_raw, `m` → drop) the
    /// screen said 344 rows, and label and missing counts were those before the drop.
    @Test func droppedRowsCountNowhere() async throws {
        let w = emptyWorkbench(directory: NSTemporaryDirectory())
        w.open(path: LabelPickerTests.penguinsRaw, label: nil)
        w.type(.char("m"), .enter)
        await waitForLoad(w)
        let f = try #require(w.file)
        #expect(f.columns.allSatisfy { $0.missing == 0 })
        let label = try #require(f.columns.first { $0.kind == .label })
        #expect(label.topValues.map(\.count).reduce(0, +) == 333)
        let text = render(w, 120, 40).text
        #expect(text.contains("333 rows (11 of 344 dropped)"))
        #expect(!text.contains("344 rows,"))
        #expect(f.loaded.dataset.classCounts.reduce(0, +) == 333)
    }

    /// Defect 13: without colour the map said "colour = class" while every class looked the
    /// same, and the six colours repeated at ten classes. Each class has its own mark, in the
    /// map and in a legend, in ASCII too.
    @Test(arguments: [Glyphs.unicode, Glyphs.ascii])
    func classesHaveTheirOwnMarksAndALegend(glyphs: Glyphs) async throws {
        let file = try FixtureFile(classes: 10, features: 4, rows: 300)
        defer { file.remove() }
        let w = await makeWorkbench(file)
        await waitForMap(w)
        let g = render(w, 160, 50, glyphs: glyphs)
        let marks = (0..<10).map { glyphs.classMark($0) }
        #expect(Set(marks).count == 10)
        // The map is the right half: its legend names every class with its mark, and the
        // points above the legend show the classes apart (most marks appear).
        let mapBox = (2..<48).map { String(g.line($0).dropFirst(80)) }
        let legend = mapBox.suffix(4).joined(separator: "\n")
        for (c, mark) in marks.enumerated() { #expect(legend.contains("\(mark) c\(c)"), "legend of c\(c)") }
        #expect(legend.contains("\(glyphs.flag) flagged"))
        #expect(!g.text.contains("colour = class"))
        let points = mapBox.dropLast(4).joined()
        #expect(marks.filter { points.contains($0) }.count >= 8)
    }
}
