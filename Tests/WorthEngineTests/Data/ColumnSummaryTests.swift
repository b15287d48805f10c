import Testing
@testable import WorthEngine
import WorthTestSupport

@Suite struct ColumnSummaryTests {
    @Test func summarizesEachKindOfColumn() throws {
        let table = try CSVReader.parse("""
            x,c,y
            1,u,a
            NA,v,b
            4,,a
            -2,u,b
            4,w,a
            """, file: "t.csv")
        let s = ColumnSummary.summarize(table, labelColumn: 2, top: 2)
        #expect(s.map(\.name) == ["x", "c", "y"])
        #expect(s.map(\.kind) == [.numeric, .text, .label])
        #expect(s.map(\.column) == [0, 1, 2])

        #expect(s[0].present == 4 && s[0].missing == 1 && s[0].nonNumeric == 0)
        #expect(s[0].minimum == -2 && s[0].maximum == 4 && s[0].mean == 7.0 / 4)
        #expect(s[0].distinct == 3)
        #expect(s[0].topValues.isEmpty)

        #expect(s[1].present == 4 && s[1].missing == 1)
        #expect(s[1].minimum == nil && s[1].mean == nil && s[1].maximum == nil)
        #expect(s[1].distinct == 3)
        // u twice, then v and w once: the tie goes to the first in string order.
        #expect(s[1].topValues == [.init(value: "u", count: 2), .init(value: "v", count: 1)])

        #expect(s[2].present == 5 && s[2].missing == 0 && s[2].distinct == 2)
        #expect(s[2].topValues == [.init(value: "a", count: 3), .init(value: "b", count: 2)])
    }

    @Test func kindFollowsTheLoadersRule() throws {
        // w is numeric (3 of 4 cells are numbers) with one bad cell; z is text (half numbers);
        // the label column is a label even when numeric.
        let table = try CSVReader.parse("w,z,y\n1,1,0\n2,a,1\n3,2,0\nabc,b,1\n", file: "t.csv")
        let s = ColumnSummary.summarize(table, labelColumn: 2)
        #expect(s.map(\.kind) == [.numeric, .text, .label])
        #expect(s[0].nonNumeric == 1 && s[0].mean == 2)
        #expect(s[2].topValues == [.init(value: "0", count: 2), .init(value: "1", count: 2)])
    }

    @Test func anAllMissingColumnIsTextWithNothingPresent() throws {
        let table = try CSVReader.parse("w,y\n,a\n?,b\n", file: "t.csv")
        let s = ColumnSummary.summarize(table, labelColumn: 1)
        #expect(s[0].kind == .text && s[0].present == 0 && s[0].missing == 2 && s[0].distinct == 0)
        #expect(s[0].topValues.isEmpty)
    }

    @Test func rawPenguins() throws {
        let table = try CSVReader.read(path: Repository.sample("penguins_raw.csv"))
        let s = ColumnSummary.summarize(table, labelColumn: 7)
        #expect(s.map(\.kind) == [.text, .numeric, .numeric, .numeric, .numeric, .text, .numeric, .label])
        #expect(s.map(\.missing) == [0, 2, 2, 2, 2, 11, 0, 0])
        #expect(s[5].topValues == [.init(value: "male", count: 168), .init(value: "female", count: 165)])
        #expect(s[6].minimum == 2007 && s[6].maximum == 2009 && s[6].distinct == 3)
        #expect(s[7].topValues.map(\.count) == [152, 124, 68])
    }

    @Test func distinctCountsEachValueOnceAndBothZerosAsOne() {
        #expect(ColumnSummary.distinctCount([]) == 0)
        #expect(ColumnSummary.distinctCount([1, 1, 2, -0.0, 0, 3.5, 2]) == 4)
        // Values a 32-bit float holds differ only in their high bits: the hash must still spread them.
        let floats = (0..<5000).map { Double(Float($0) / 7) }
        #expect(ColumnSummary.distinctCount(floats + floats) == Set(floats).count)
    }
}
