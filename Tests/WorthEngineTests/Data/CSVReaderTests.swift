import Foundation
import Testing
@testable import WorthEngine

@Suite struct CSVReaderTests {
    /// The `InputError` that `body` throws, or nil.
    func inputError(_ body: () throws -> Void) -> InputError? {
        do { try body() } catch let error as InputError { return error } catch { return nil }
        return nil
    }

    func parseError(_ text: String) -> InputError? {
        inputError { _ = try CSVReader.parse(text, file: "t.csv") }
    }

    /// A fresh temporary directory, removed by the caller.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("worth-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func plainFileKeepsCellsAndLines() throws {
        let t = try CSVReader.parse("a,b,c\n1,2,x\n 3 , 4 ,y z \n", file: "t.csv")
        #expect(t.header == ["a", "b", "c"])
        #expect(t.records == [["1", "2", "x"], ["3", "4", "y z"]])
        #expect(t.lineNumbers == [2, 3])
        #expect(t.delimiter == ",")
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndNewlines() throws {
        let text = "name,note,y\n\"Smith, J\",\"said \"\"hi\"\"\",1\n\"two\nlines\",\" padded \",2\nlast,\"\",3"
        let t = try CSVReader.parse(text, file: "t.csv")
        #expect(t.records == [["Smith, J", "said \"hi\"", "1"], ["two\nlines", " padded ", "2"], ["last", "", "3"]])
        #expect(t.lineNumbers == [2, 3, 5])
    }

    @Test func crlfAndBomAndBlankLines() throws {
        let text = "\u{FEFF}a,b\r\n\r\n1,2\r\n   \r\n3,\"x\r\ny\"\r\n\r\n"
        let t = try CSVReader.parse(text, file: "t.csv")
        #expect(t.header == ["a", "b"])
        #expect(t.records == [["1", "2"], ["3", "x\r\ny"]])
        #expect(t.lineNumbers == [3, 5])
    }

    /// The text of each record cut out of the bytes at the reader's own boundaries.
    func recordTexts(_ text: String) throws -> (header: String, records: [String]) {
        let t = try CSVReader.parse(text, file: "t.csv")
        let bytes = Array(text.utf8)
        func cut(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
        return (cut(t.headerBytes), t.recordBytes.map(cut))
    }

    @Test func recordBytesFollowEveryKindOfLineEnd() throws {
        // LF, CRLF, CR only, and all three mixed: each record is its own bytes, line end excluded.
        #expect(try recordTexts("a,b\n1,2\n3,4\n") == ("a,b", ["1,2", "3,4"]))
        #expect(try recordTexts("a,b\r\n1,2\r\n3,4\r\n") == ("a,b", ["1,2", "3,4"]))
        #expect(try recordTexts("a,b\r1,2\r3,4\r") == ("a,b", ["1,2", "3,4"]))
        #expect(try recordTexts("a,b\r1,2\n3,4\r\n5,6\r7,8") == ("a,b", ["1,2", "3,4", "5,6", "7,8"]))
    }

    @Test func recordBytesKeepQuotedLineBreaksPaddingAndSkipBlankLines() throws {
        let text = "\u{FEFF}a,b\r\n\r\n 1 ,\"two\r\nlines\"\r  \r3,\"x\ry\"  \n\n"
        let (header, records) = try recordTexts(text)
        #expect(header == "a,b")                       // the BOM is not part of the header record
        #expect(records == [" 1 ,\"two\r\nlines\"", "3,\"x\ry\"  "])
        let t = try CSVReader.parse(text, file: "t.csv")
        #expect(t.headerBytes.lowerBound == 3)
        #expect(t.records == [["1", "two\r\nlines"], ["3", "x\ry"]])
    }

    @Test func lastLineWithoutNewlineAndTrailingEmptyField() throws {
        let t = try CSVReader.parse("a,b\n1,", file: "t.csv")
        #expect(t.records == [["1", ""]])
    }

    @Test func detectsSemicolonAndTab() throws {
        let semi = try CSVReader.parse("a;b;\"c,d\"\n1,5;2;3\n", file: "t.csv")
        #expect(semi.delimiter == ";")
        #expect(semi.header == ["a", "b", "c,d"])
        #expect(semi.records == [["1,5", "2", "3"]])

        let tabbed = try CSVReader.parse("a\tb\tc\n 1 \t\t3\n", file: "t.csv")
        #expect(tabbed.delimiter == "\t")
        #expect(tabbed.records == [["1", "", "3"]])

        // Commas in quotes do not count; a tie goes to the comma.
        #expect(try CSVReader.parse("\"a,b,c\";d\n1;2\n", file: "t.csv").delimiter == ";")
        #expect(try CSVReader.parse("a,b;c\n1,2;3\n", file: "t.csv").delimiter == ",")
    }

    @Test func singleColumn() throws {
        let t = try CSVReader.parse("y\nA\nB\n", file: "t.csv")
        #expect(t.header == ["y"])
        #expect(t.records == [["A"], ["B"]])
    }

    @Test func emptyAndHeaderOnly() {
        #expect(parseError("")?.description == "t.csv: is empty")
        #expect(parseError("\u{FEFF}\n  \n")?.description == "t.csv: is empty")
        #expect(parseError("a,b,c\n\n")?.description == "t.csv: has a header but no data rows")
    }

    @Test func raggedRowNamesItsLine() {
        #expect(parseError("a,b,c\n1,2,3\n\n1,2\n")?.description == "t.csv, line 4: 2 fields where the header has 3")
        #expect(parseError("a,b\n1,2,3\n")?.description == "t.csv, line 2: 3 fields where the header has 2")
        // The line is where the record starts, even after a multi-line quoted cell.
        #expect(parseError("a,b\n\"x\ny\",2\n1\n")?.description == "t.csv, line 4: 1 field where the header has 2")
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() {
        #expect(parseError("a,b\n1,2\n3,\"open\n4,5\n6,7\n")?.description
            == "t.csv, line 3, column 2: a quoted field is never closed (missing \")")
    }

    @Test func textAfterClosingQuote() {
        #expect(parseError("a,b\n1,\"x\"y\n")?.description
            == "t.csv, line 2, column 2: text after the closing quote of a quoted field (write a quote inside quotes as \"\")")
    }

    @Test func badHeaderNames() {
        #expect(parseError("a,,c\n1,2,3\n")?.description == "t.csv, line 1, column 2: empty header name")
        #expect(parseError("a,b,a\n1,2,3\n")?.description == "t.csv, line 1, column 3 (a): duplicate header name (also column 1)")
    }

    @Test func nulBytesAreNotText() {
        #expect(parseError("a,b\n1,\u{0}\n")?.description == "t.csv, line 2: is not a text file (a NUL byte at byte offset 6)")
        #expect(bytesError([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
            == "t.csv, line 3: is not a text file (a NUL byte at byte offset 8)")
    }

    func bytesError(_ bytes: [UInt8], file: String = "t.csv") -> String? {
        inputError { _ = try CSVReader.parse(Data(bytes), file: file) }?.description
    }

    @Test func eightBitFilesNameTheFirstBadByteAndTheConversion() {
        // Latin-1: "café" on line 3, after a CRLF and a lone CR (each one line end).
        let latin1: [UInt8] = Array("name,x\r\nb,1\ra,".utf8) + [0x63, 0x61, 0x66, 0xE9] + Array(",2\n".utf8)
        #expect(bytesError(latin1, file: "data.csv") == "data.csv, line 3: byte 0xE9 at byte offset 17 is not valid UTF-8; "
            + "the file looks like Latin-1 (ISO-8859-1): convert it with iconv -f LATIN1 -t UTF-8 data.csv > data.utf8.csv")
        // Curly quotes of Windows-1252 are C1 controls in Latin-1.
        let cp1252: [UInt8] = Array("x,y\n".utf8) + [0x93, 0x71, 0x94] + Array(",1\n".utf8)
        #expect(bytesError(cp1252, file: "my data.tsv") == "my data.tsv, line 2: byte 0x93 at byte offset 4 is not valid UTF-8; "
            + "the file looks like Windows-1252: convert it with iconv -f WINDOWS-1252 -t UTF-8 'my data.tsv' > 'my data.tsv.utf8.csv'")
        // Bad bytes beside good UTF-8: no single conversion fixes the file.
        #expect(bytesError(Array("x,y\n1,é\n2,".utf8) + [0xE9, 0x0A])
            == "t.csv, line 3: byte 0xE9 at byte offset 11 is not valid UTF-8, but other lines are UTF-8: the file mixes encodings or is damaged; fix this line")
        // A UTF-8 file cut inside its last character.
        #expect(bytesError(Array("x,y\n1,é\n2,".utf8) + [0xE2, 0x82])
            == "t.csv, line 3: byte 0xE2 at byte offset 11 is not valid UTF-8: the file ends inside a character (was it cut short?)")
    }

    @Test func wideEncodingsAreToldByTheirMarkOrTheirZeros() {
        func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
            ((bom ? [0xFEFF] : []) + Array(text.utf16)).flatMap { (unit: UInt16) -> [UInt8] in
                let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
                return bigEndian ? [high, low] : [low, high]
            }
        }
        let text = "x,y\n1,a\n2,b\n"
        let convert = "convert it with iconv -f UTF-16 -t UTF-8 t.csv > t.utf8.csv"
        #expect(bytesError(utf16(text, bigEndian: false, bom: true))
            == "t.csv: is UTF-16 LE text, not UTF-8 (it starts with the byte-order mark FF FE); " + convert)
        #expect(bytesError(utf16(text, bigEndian: true, bom: true))
            == "t.csv: is UTF-16 BE text, not UTF-8 (it starts with the byte-order mark FE FF); " + convert)
        #expect(bytesError(utf16(text, bigEndian: false, bom: false))
            == "t.csv: is UTF-16 LE text, not UTF-8 (every other byte is zero); convert it with iconv -f UTF-16LE -t UTF-8 t.csv > t.utf8.csv")
        #expect(bytesError(utf16(text, bigEndian: true, bom: false))
            == "t.csv: is UTF-16 BE text, not UTF-8 (every other byte is zero); convert it with iconv -f UTF-16BE -t UTF-8 t.csv > t.utf8.csv")
        #expect(bytesError([0xFF, 0xFE, 0, 0, 0x78, 0, 0, 0])
            == "t.csv: is UTF-32 LE text, not UTF-8 (it starts with the byte-order mark FF FE 00 00); convert it with iconv -f UTF-32 -t UTF-8 t.csv > t.utf8.csv")
    }

    @Test func conversionCommandKeepsThePathOnOneLineAndQuoted() {
        #expect(TextDecoding.conversion(from: "LATIN1", file: "it's\nhere.csv")
            == "convert it with iconv -f LATIN1 -t UTF-8 'it'\\''s\\nhere.csv' > 'it'\\''s\\nhere.utf8.csv'")
    }

    @Test func extraByteOrderMarksStayOutOfHeaderNames() throws {
        let t = try CSVReader.parse(Data("\u{FEFF}\u{FEFF}x,\"\u{FEFF}y\", \u{FEFF} z\n1,2,3\n".utf8), file: "t.csv")
        #expect(t.header == ["x", "y", "z"])
        #expect(t.records == [["1", "2", "3"]])
        #expect(parseError("x,\u{FEFF}\n1,2\n")?.description == "t.csv, line 1, column 2: empty header name")
    }

    @Test func fileErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }

        let missing = dir.appendingPathComponent("nope.csv").path
        #expect(inputError { _ = try CSVReader.read(path: missing) }?.description == "\(missing): file does not exist")
        #expect(inputError { _ = try CSVReader.read(path: dir.path) }?.description == "\(dir.path): is a directory, not a CSV file")

        let binary = dir.appendingPathComponent("b.csv")
        try Data([0x61, 0x2C, 0x62, 0x0A, 0xFF, 0xFE, 0x2C, 0x31, 0x0A]).write(to: binary)
        #expect(inputError { _ = try CSVReader.read(path: binary.path) }?.description.hasPrefix(
            "\(binary.path), line 2: byte 0xFF at byte offset 4 is not valid UTF-8; the file looks like Latin-1") == true)

        let good = dir.appendingPathComponent("g.csv")
        try Data("x;y\n1;é\n".utf8).write(to: good)
        let t = try CSVReader.read(path: good.path)
        #expect(t.records == [["1", "é"]])
        #expect(t.delimiter == ";")
    }
}
