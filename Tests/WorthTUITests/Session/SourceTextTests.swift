import Foundation
import Testing
import WorthEngine
@testable import WorthTUI

@Suite struct SourceTextTests {
    func source(_ text: String) throws -> SourceText {
        SourceText(bytes: Array(text.utf8), table: try CSVReader.parse(text, file: "t.csv"))
    }

    func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func rowsKeepTheirOriginalBytesIncludingQuotedLineBreaks() throws {
        let s = try source("a,b\r\n1,\"two\r\nlines\"\r\n\r\n3,4\r\n")
        #expect(text(s.headerWithLineEnd) == "a,b\r\n")
        #expect(text(s.dataRow(1)) == "1,\"two\r\nlines\"\r\n")
        #expect(text(s.dataRow(2)) == "3,4\r\n")
        #expect(s.dataRow(3).isEmpty && s.dataRow(0).isEmpty)
    }

    /// Rows are cut where the CSV reader cut them, whatever the line ends: a split on "\n"
    /// made a CR-only file one line (every export held the whole file) and joined neighbours
    /// in a mixed one.
    @Test func crOnlyAndMixedLineEndsGiveOneRowEach() throws {
        let cr = try source("x,y\r1,a\r2,b\r3,c\r")
        #expect(text(cr.headerWithLineEnd) == "x,y\r")
        #expect((1...3).map { text(cr.dataRow($0)) } == ["1,a\r", "2,b\r", "3,c\r"])

        let mixed = try source("\u{FEFF}x,y\n1,a\r2,b\r\n3,\"c\rd\"\r4,e")
        #expect(text(mixed.headerWithLineEnd) == "\u{FEFF}x,y\n")
        // Each row keeps its own line end; the last one, which has none, gets the header's.
        #expect((1...4).map { text(mixed.dataRow($0)) } == ["1,a\r", "2,b\r\n", "3,\"c\rd\"\r", "4,e\n"])
    }

    @Test func theFingerprintChangesWithTheBytes() throws {
        let a = try source("x,y\n1,2\n"), b = try source("x,y\n1,3\n")
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.fingerprint.count == 16)
    }
}
