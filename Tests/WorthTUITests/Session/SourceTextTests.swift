import Foundation
import Testing
import WorthEngine
@testable import WorthTUI
import WorthTestSupport

@Suite struct SourceTextTests {
    func source(_ text: String) throws -> SourceText {
        SourceText(bytes: Array(text.utf8), table: try CSVReader.parse(text, file: "t.csv"))
    }

    func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func rowsKeepTheirOriginalBytesIncludingQuotedLineBreaks() throws {
        let s = try source("a,b\r\n1,\"two\r\nlines\"\r\n\r\n3,4\r\n")
        #expect(text(s.headerWithLineEnd) == "a,b\r\n")
        #expect(text(try s.dataRow(1)) == "1,\"two\r\nlines\"\r\n")
        #expect(text(try s.dataRow(2)) == "3,4\r\n")
        #expect(try s.dataRow(3).isEmpty && s.dataRow(0).isEmpty)
    }

    /// Rows are cut where the CSV reader cut them, whatever the line ends: a split on "\n"
    /// made a CR-only file one line (every export held the whole file) and joined neighbours
    /// in a mixed one.
    @Test func crOnlyAndMixedLineEndsGiveOneRowEach() throws {
        let cr = try source("x,y\r1,a\r2,b\r3,c\r")
        #expect(text(cr.headerWithLineEnd) == "x,y\r")
        #expect(try (1...3).map { text(try cr.dataRow($0)) } == ["1,a\r", "2,b\r", "3,c\r"])

        let mixed = try source("\u{FEFF}x,y\n1,a\r2,b\r\n3,\"c\rd\"\r4,e")
        #expect(text(mixed.headerWithLineEnd) == "\u{FEFF}x,y\n")
        // Each row keeps its own line end; the last one, which has none, gets the header's.
        #expect(try (1...4).map { text(try mixed.dataRow($0)) } == ["1,a\r", "2,b\r\n", "3,\"c\rd\"\r", "4,e\n"])
    }

    /// A loaded file's rows are read back from the file itself: cells and rows as written,
    /// a block at a time for many rows; a file changed since it was opened is refused, not
    /// read at the wrong places.
    @Test func rowsAreReadFromTheFileUntilItChanges() throws {
        let csv = "x;label\r\n1;\"a;\r\nb\"\r\n\r\n2; c \r\n3;d"
        let folder = TemporaryDirectory(prefix: "worth-source")
        defer { folder.remove() }
        let path = try folder.write(csv, to: "data.csv")
        let table = try CSVReader.read(path: path)
        let layout = RecordLayout(delimiter: table.delimiter, headerBytes: table.headerBytes, recordBytes: table.recordBytes)
        let s = try SourceText(path: path, stamp: try #require(FileStamp(path: path)), layout: layout, fingerprint: "f")
        let inMemory = try source(csv)
        #expect(s.headerWithLineEnd == inMemory.headerWithLineEnd && text(s.headerWithLineEnd) == "x;label\r\n")
        #expect(try (1...3).map { try s.cells(ofRow: $0) } == table.records)
        #expect(try s.cells(ofRow: 4) == nil)
        var rows: [String] = []
        try s.forEachRow([1, 3]) { rows.append("\($0):" + text($1)) }
        #expect(rows == ["1:1;\"a;\r\nb\"\r\n", "3:3;d\r\n"])
        #expect(try text(s.dataRow(2)) == text(inMemory.dataRow(2)))

        try (csv + "\n4;e\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: InputError.self) { try s.cells(ofRow: 1) }
        #expect(throws: InputError.self) { try s.forEachRow([1]) { _, _ in } }
    }

    @Test func theFingerprintChangesWithTheBytes() throws {
        let a = try source("x,y\n1,2\n"), b = try source("x,y\n1,3\n")
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.fingerprint.count == 16)
    }
}
