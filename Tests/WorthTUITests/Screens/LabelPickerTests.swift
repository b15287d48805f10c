import Foundation
import Testing
import WorthEngine
@testable import WorthTUI
import WorthTestSupport

/// The label picker: choosing what to do with missing cells, and laying out the columns.
@Suite struct LabelPickerTests {
    /// Samples/penguins_raw.csv: 344 rows, 8 columns, 11 rows with a missing cell.
    static let penguinsRaw = Repository.sample("penguins_raw.csv")

    func workbench() -> Workbench { emptyWorkbench(directory: NSTemporaryDirectory()) }

    @Test func aMissingCellSaysWhichKeyToPressAndDropLoadsTheRest() async throws {
        let w = workbench()
        w.open(path: Self.penguinsRaw, label: nil)
        #expect(w.label.missingPolicy == .error)
        #expect(render(w, 120, 30).text.contains("Missing cells (m changes): [error]"))
        w.type(.enter)
        #expect(w.current == .loading)
        await waitForLoad(w)
        #expect(w.current == .label)
        let error = try #require(w.label.error)
        #expect(error.hasPrefix("line 5, column 2 (bill_length_mm): missing value: press m"))
        #expect(!error.contains("--missing"))
        #expect(render(w, 80, 24).text.contains("missing value: press m"))
        #expect(render(w, 80, 24).text.contains("impute them, then Enter"))

        w.type(.char("m"))
        #expect(w.label.missingPolicy == .drop)
        #expect(w.label.error == nil)
        #expect(render(w, 120, 30).text.contains("[drop]"))
        w.type(.enter)
        await waitForLoad(w)
        #expect(w.current == .dataset)
        let file = try #require(w.file)
        #expect(file.loaded.dataset.count == 333)
        #expect(file.loaded.droppedRows.count == 11)
        #expect(render(w, 120, 30).text.contains("dropped 11 rows with missing values"))
    }

    @Test func thePolicyCyclesAndIsRememberedPerFile() async throws {
        let other = try FixtureFile()
        defer { other.remove() }
        let w = workbench()
        w.open(path: Self.penguinsRaw, label: nil)
        w.type(.char("m"), .char("m"))
        #expect(w.label.missingPolicy == .impute)
        w.type(.enter)
        await waitForLoad(w)
        #expect(w.file?.loaded.dataset.count == 344)
        // Another file starts at `error`; coming back to the first finds `impute` again.
        w.type(.escape, .char("o")); w.answer(other.path)
        #expect(w.label.missingPolicy == .error)
        w.open(path: Self.penguinsRaw, label: nil)
        #expect(w.label.missingPolicy == .impute)
        w.type(.char("m"))
        #expect(w.label.missingPolicy == .error)
    }

    @Test func typicalFilesShowEveryColumnAt120Columns() {
        let w = workbench()
        w.open(path: Self.penguinsRaw, label: nil)
        let text = render(w, 120, 30).text
        for name in ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year", "label"] {
            #expect(text.contains(name))
        }
        #expect(text.contains("Torgersen") && text.contains("3750.0") && text.contains("Adelie"))
    }

    @Test func columnsAreSizedToContentAndTheChosenOneStaysVisible() {
        let header = ["a", "long_column_name_that_goes_on", "b", "label"]
        let rows = [["1", "x", "12345", "cat"]]
        let wide = LabelPickerLayout(header: header, rows: rows, width: 80, chosen: 3)
        #expect(wide.columns.map(\.index) == [0, 1, 2, 3])
        #expect(wide.columns.map(\.width) == [5, LabelPickerLayout.maxColumnWidth, 7, 7])
        // Too narrow for all: the first columns scroll away so the chosen one fits in full.
        let narrow = LabelPickerLayout(header: header, rows: rows, width: 30, chosen: 3)
        let last = narrow.columns.last!
        #expect(last.index == 3 && last.x + last.width <= 30 && last.width == 7)
        #expect(narrow.columns.first!.index > 0)
        // Choosing the first column shows it first.
        #expect(LabelPickerLayout(header: header, rows: rows, width: 30, chosen: 0).columns.first!.index == 0)
    }
}
