import Foundation
import Testing
@testable import WorthEngine

/// The streaming reader must read every file as the whole-file reader does, whatever its block
/// and chunk sizes (tiny ones put cuts everywhere: inside quoted line breaks, CRLFs, characters).
@Suite struct CSVStreamReaderTests {
    /// Writes `bytes` to a fresh temporary file.
    func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("worth-stream-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every cell as text: missing, a number, or a text.
    func cells(_ c: CSVColumns) -> [[String]] {
        (0..<c.rows).map { r in
            c.columns.map { column in
                switch column.cell(r) {
                case .missing: "∅"
                case .number(let v): "n\(v)"
                case .text(let k): "t" + column.texts.text(k)
                }
            }
        }
    }

    /// The streaming read (or its error) against the table's, for several sizes.
    func expectSameAsTable(_ bytes: [UInt8], label: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try file(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected: Result<CSVColumns, Error> = Result {
            let table = try CSVReader.read(path: path)
            return CSVColumns(table: table, interned: [label ?? table.header.count - 1], keepingRecordBytes: true)
        }
        let sizes: [CSVStreamReader.Sizes] = [.init(), .init(block: 5, chunk: 1), .init(block: 16, chunk: 7), .init(block: 64, chunk: 20)]
        for size in sizes {
            let got = Result {
                try CSVStreamReader.read(path: path, interned: { [label ?? $0.count - 1] }, keepingRecordBytes: true, sizes: size)
            }
            switch (expected, got) {
            case (.success(let e), .success(let g)):
                #expect(g.header == e.header, sourceLocation: sourceLocation)
                #expect(g.lines == e.lines, "block \(size.block)", sourceLocation: sourceLocation)
                #expect(cells(g) == cells(e), "block \(size.block)", sourceLocation: sourceLocation)
                // Where each record lies in the file: the table's own cuts.
                #expect(g.recordBytes != nil && g.recordBytes == e.recordBytes, "block \(size.block)", sourceLocation: sourceLocation)
                #expect(g.headerBytes == e.headerBytes && g.delimiter == e.delimiter, sourceLocation: sourceLocation)
            case (.failure(let e), .failure(let g)):
                #expect("\(g)" == "\(e)", "block \(size.block)", sourceLocation: sourceLocation)
            default:
                Issue.record("table \(expected), stream \(got) (block \(size.block))", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func plainQuotedAndOddFilesReadAsTheTableDoes() throws {
        let texts = [
            "a,b,label\n1,2,x\n3,4,y\n",
            "\u{FEFF}a;b;label\r\n1,5;2;x\r\n\r\n  3 ; 4 ;\"y\"\r\n",
            "a,b,label\n\"1\n2\",3,x\n4,\"5\"\"\",y\n\"multi\r\nline\r\ntext\",6,z",
            "a,b,label\r1,2,x\r3,4,y\r",
            "a,b,label\n1.7e308,1e-300,x\n-1.7e308,NA,y\n,?,z\n",
            "a,b,label\n1,é,ß\n2,日本,ß\n3,é,x\n",
            "x\tlabel\n0x1F\t1\ninf\t2\n  \t2\n",
            "\"a\nb\",label\n1,2\n",
        ]
        for text in texts { try expectSameAsTable(Array(text.utf8)) }
    }

    @Test func errorsNameTheSamePlace() throws {
        let texts = [
            "",
            "\n\n",
            "a,b\n",
            "a,a\n1,2\n",
            "a,b,label\n1,2,x\n3,4\n5,6,z\n",
            "a,b,label\n1,2,x\n3,\"4\n5,6,z\n",
            "a,b,label\n1,2,x\n3,\"4\"x,y\n",
            "a,b,label\n1,2,x\n3,4,y,\n",
        ]
        for text in texts { try expectSameAsTable(Array(text.utf8)) }
        // An encoding problem after a parse error is what the whole-file reader names first.
        try expectSameAsTable(Array("a,b,label\n1,2\n3,4,".utf8) + [0xE9] + Array(",x\n".utf8))
        try expectSameAsTable(Array("a,b,label\n1,2,x\n".utf8) + [0] + Array("\n".utf8))
        try expectSameAsTable([0xFF, 0xFE] + Array("a".utf8))
        try expectSameAsTable(Array("a,b,label\n1,2,x\n".utf8) + [0xE6, 0x97] + Array("\n".utf8))
    }

    @Test func manyRandomRecordsReadAsTheTableDoes() throws {
        var rng = SeededGenerator(seed: 7)
        let cells = ["1", "-2.5", " 3 ", "1e3", "NA", "", "?", "abc", "\"a,b\"", "\"x\ny\"", "\"q\"\"q\"", "1.7e308", "\"\r\n\"", "é"]
        let ends = ["\n", "\r\n", "\n\n"]
        for _ in 0..<20 {
            var text = "a,b,c,label\n"
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                text += (0..<4).map { _ in cells.randomElement(using: &rng)! }.joined(separator: ",")
                text += ends.randomElement(using: &rng)!
            }
            try expectSameAsTable(Array(text.utf8))
        }
    }

    @Test func aFileLoadsAsItsTable() throws {
        let text = "x,y,kind,label\n1,2,a,p\n3,NA,b,q\n5,6,a,p\n7,8,b,q\n9,10,,q\n"
        let path = try file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for missing in MissingPolicy.allCases {
            let options = LoadOptions(missing: missing)
            let streamed = Result { try DatasetLoader.load(path: path, options: options) }
            let table = Result { try DatasetLoader.load(table: CSVReader.read(path: path), path: path, options: options) }
            switch (streamed, table) {
            case (.success(let s), .success(let t)):
                #expect(s.dataset.features == t.dataset.features && s.dataset.labels == t.dataset.labels)
                #expect(s.notes == t.notes && s.droppedRows == t.droppedRows && s.schema == t.schema)
            case (.failure(let s), .failure(let t)):
                #expect("\(s)" == "\(t)")
            default:
                Issue.record("\(missing): stream \(streamed), table \(table)")
            }
        }
    }

    /// The byte ranges are the reader's record boundaries: a record's fields read back from its
    /// bytes are the table's cells, and without asking for them none are kept.
    @Test func recordBytesGiveBackEachRecordsFields() throws {
        let text = "a;b;label\r\n\"x;\r\ny\";2;p\r\r\n 3 ;\"q\"\"\";r\n4;;s"
        let path = try file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(path: path)
        let bytes = Array(text.utf8)
        let streamed = try CSVStreamReader.read(path: path, interned: { [$0.count - 1] }, keepingRecordBytes: true,
                                                sizes: .init(block: 6, chunk: 2))
        let fields = streamed.recordBytes!.map { CSVReader.fields(ofRecord: bytes[$0], delimiter: ";") }
        #expect(fields == table.records)
        #expect(try CSVStreamReader.read(path: path, interned: { [$0.count - 1] }).recordBytes == nil)
    }

    /// A head reads the first records only, as the whole-file reader reads them, and says
    /// whether they are all; an error past them is not its to report.
    @Test func aHeadReadsTheFirstRecordsOnly() throws {
        var text = "x,\"y\",label\r\n"
        for i in 0..<5000 { text += "\(i),\"\(i % 7)\nz\",c\(i % 3)\r\n" }
        text += "1,2\n"   // ragged, far past the head
        let path = try file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let head = try CSVReader.head(path: path, records: 30)
        #expect(head.table.header == ["x", "y", "label"])
        #expect(head.table.records.count == 30 && !head.isWholeFile && head.fileSize == text.utf8.count)
        #expect(head.table.records[29] == ["29", "1\nz", "c2"] && head.table.lineNumbers[1] == 4)
        #expect(head.bytesRead == head.table.recordBytes[29].upperBound && head.bytesRead < 70_000)
        #expect(throws: InputError.self) { try CSVReader.read(path: path) }

        let small = try file(Array("a,b\r1,2\r3,4".utf8))
        defer { try? FileManager.default.removeItem(atPath: small) }
        let whole = try CSVReader.head(path: small, records: 30)
        let all = try CSVReader.read(path: small)
        #expect(whole.isWholeFile && whole.table == all)
        // A header wider than the first bytes read (100 kB), rows as wide (48 kB): the second
        // read ends inside the first row, and reading goes on until the rows come.
        let names = (0..<16_000).map { "f\($0)" }
        let wide = try file(Array((names.joined(separator: ",") + "\n" + (0..<3).map { r in
            names.indices.map { String(($0 + r) % 90 + 10) }.joined(separator: ",") }.joined(separator: "\n") + "\n").utf8))
        defer { try? FileManager.default.removeItem(atPath: wide) }
        let wideHead = try CSVReader.head(path: wide, records: 2)
        #expect(wideHead.table.header.count == 16_000 && wideHead.table.records.count == 2 && !wideHead.isWholeFile)
        #expect(try CSVReader.head(path: wide, records: 30).table.records.count == 3)
        let ragged = try file(Array("a,b\n1,2\n3\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: ragged) }
        #expect(throws: InputError.self) { try CSVReader.head(path: ragged, records: 30) }
        #expect(try CSVReader.head(path: ragged, records: 1).table.records == [["1", "2"]])
    }

    /// `loadFile` is `load(path:)` plus the layout and the summaries of the rows kept.
    @Test func aLoadedFileKeepsItsLayoutAndSummaries() throws {
        let text = "x,kind,label\n1,a,p\n2,NA,q\n3,b,p\n4,a,q\n5,b,p\n6,a,q\n"
        let path = try file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reports: [LoadProgress] = []
        let options = LoadOptions(missing: .drop)
        let file = try DatasetLoader.loadFile(path: path, options: options, progress: { reports.append($0); return true })
        let plain = try DatasetLoader.load(path: path, options: options)
        #expect(file.loaded.dataset.features == plain.dataset.features && file.loaded.droppedRows == [2])
        let table = try CSVReader.read(path: path)
        #expect(file.layout.recordBytes == table.recordBytes)
        #expect(file.columns.map(\.present) == [5, 5, 5] && file.columns[0].maximum == 6 && file.columns[0].mean == 3.8)
        #expect(file.columns[1].topValues == [.init(value: "a", count: 3), .init(value: "b", count: 2)])
        #expect(reports.last == LoadProgress(fraction: 1, rows: 6))
        #expect(throws: CancellationError.self) {
            try DatasetLoader.loadFile(path: path, options: options, progress: { _ in false })
        }
    }

    @Test func progressIsReportedAndCanCancel() throws {
        let text = "a,label\n" + (0..<200).map { "\($0),\($0 % 2)\n" }.joined()
        let path = try file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var fractions: [Double] = []
        _ = try CSVStreamReader.read(path: path, interned: { _ in [1] }, progress: { fraction, _ in fractions.append(fraction); return true },
                                     sizes: .init(block: 256, chunk: 64))
        #expect(fractions.count > 3 && fractions == fractions.sorted() && fractions.allSatisfy { $0 <= 1 })
        // Through a symbolic link too: the file's size, not the link's, is what is read.
        let link = path + ".link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        var linked: [Double] = []
        _ = try CSVStreamReader.read(path: link, interned: { _ in [1] }, progress: { fraction, _ in linked.append(fraction); return true },
                                     sizes: .init(block: 256, chunk: 64))
        #expect(linked == fractions)
        #expect(throws: CancellationError.self) {
            try CSVStreamReader.read(path: path, interned: { _ in [1] }, progress: { _, _ in false }, sizes: .init(block: 256, chunk: 64))
        }
    }
}
