import Testing
@testable import WorthTUI

@Suite struct SourceTextTests {
    @Test func rowsKeepTheirOriginalLinesIncludingQuotedLineBreaks() {
        let text = "a,b\r\n1,\"two\r\nlines\"\r\n\r\n3,4\r\n"
        let s = SourceText(text: text, recordLines: [2, 5])
        #expect(Array(s.headerLines) == ["a,b\r"])
        #expect(Array(s.lines(ofDataRow: 1)) == ["1,\"two\r", "lines\"\r"])
        #expect(Array(s.lines(ofDataRow: 2)) == ["3,4\r"])
        #expect(s.lines(ofDataRow: 3).isEmpty)
    }
}
