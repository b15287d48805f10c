import Foundation
@testable import WorthEngine

/// libFuzzer entry point: the bytes are a CSV file. Reads them as `worth` reads a file, then
/// loads the table under every missing-value policy, and again with its own schema (as a
/// `--valid` file). Any input must give a table and datasets that keep the documented
/// promises, or an `InputError`; anything else (a trap, another error, a broken promise)
/// stops the fuzzer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    checkStreamed(data)
    let table: CSVTable
    do { table = try CSVReader.parse(data, file: "fuzz.csv") } catch { return expectInputError(error) }
    check(table)
    checkRecordBytes(table, data)
    _ = ColumnSummary.summarize(table, labelColumn: table.header.count - 1)
    for policy in MissingPolicy.allCases {
        let options = LoadOptions(missing: policy)
        let loaded: LoadedDataset
        do { loaded = try DatasetLoader.load(table: table, path: "fuzz.csv", options: options) } catch {
            _ = expectInputError(error)
            continue
        }
        check(loaded, of: table)
        // The same file encoded with its own schema must give the same dataset.
        do {
            let again = try DatasetLoader.load(table: table, path: "fuzz.csv", options: options, matching: loaded.schema)
            require(again.dataset.features == loaded.dataset.features && again.dataset.labels == loaded.dataset.labels,
                    "the file loaded with its own schema differs")
        } catch {
            fatalError("the file does not load with its own schema: \(error)")
        }
    }
    return 0
}

/// `error` must be an `InputError` whose message is one line, safe for a terminal.
func expectInputError(_ error: any Error) -> CInt {
    guard let error = error as? InputError else { fatalError("not an InputError: \(error)") }
    require(error.description == error.description.escapingControlCharacters, "a message with control characters")
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// `CSVTable`'s documented promises.
func check(_ table: CSVTable) {
    require(!table.header.isEmpty && Set(table.header).count == table.header.count, "header names not unique")
    require(table.header.allSatisfy { !$0.isEmpty && !$0.unicodeScalars.contains("\u{FEFF}") }, "empty name or a BOM in one")
    require(!table.records.isEmpty && table.records.allSatisfy { $0.count == table.header.count }, "ragged records")
    require(table.records.count == table.lineNumbers.count, "a line number per record")
    require(zip(table.lineNumbers, table.lineNumbers.dropFirst()).allSatisfy(<) && table.lineNumbers.first.map { $0 >= 2 } ?? false,
            "line numbers increase from 2")
}

/// The header's and records' byte ranges (what the workbench's exports copy) hold them exactly:
/// those bytes, one record a line, read back as the same table.
func checkRecordBytes(_ table: CSVTable, _ data: Data) {
    require(table.recordBytes.count == table.records.count, "a byte range per record")
    let ranges = [table.headerBytes] + table.recordBytes
    require(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound }
            && ranges.last.map { $0.upperBound <= data.count } ?? false, "byte ranges in order and inside the file")
    let lines = ranges.map { data[data.startIndex + $0.lowerBound ..< data.startIndex + $0.upperBound] }
    let copy = Data(lines.joined(separator: [UInt8(ascii: "\n")]))
    guard let again = try? CSVReader.parse(copy, file: "copy.csv") else { fatalError("the records' bytes do not parse") }
    require(again.header == table.header && again.records == table.records, "the records' bytes read differently")
}

/// `LoadedDataset`'s documented promises.
func check(_ loaded: LoadedDataset, of table: CSVTable) {
    let d = loaded.dataset
    require(loaded.totalRows == table.records.count, "totalRows")
    require(d.count + loaded.droppedRows.count == table.records.count, "every row kept or dropped")
    require(d.features.storage.allSatisfy(\.isFinite), "a feature is not finite")
    require(d.featureNames.count == d.featureCount && d.featureCount > 0, "feature names")
    require(d.classCount >= 2 && d.labels.allSatisfy { (0..<d.classCount).contains($0) }, "labels out of range")
    require(d.classCounts.allSatisfy { $0 >= 2 }, "a class with fewer than 2 rows")
    require(zip(d.sourceRows, d.sourceRows.dropFirst()).allSatisfy(<)
            && d.sourceRows.allSatisfy { (1...loaded.totalRows).contains($0) }, "source rows")
}

/// The streaming reader (`worth value FILE`), with blocks and chunks of a few bytes so that its
/// cuts fall everywhere, must read the bytes as the whole-file reader does: the same cells and
/// lines, or the same error.
func checkStreamed(_ data: Data) {
    let path = "/dev/shm/worth-fuzz-\(getpid()).csv"
    guard FileManager.default.createFile(atPath: path, contents: data) else { fatalError("cannot write \(path)") }
    defer { try? FileManager.default.removeItem(atPath: path) }
    let whole = Result { () throws -> CSVColumns in
        let table = try CSVReader.read(path: path)
        return CSVColumns(table: table, interned: [table.header.count - 1])
    }
    let streamed = Result { try CSVStreamReader.read(path: path, interned: { [$0.count - 1] }, sizes: .init(block: 7, chunk: 3)) }
    switch (whole, streamed) {
    case (.success(let w), .success(let s)):
        require(w.header == s.header && w.rows == s.rows && w.lines == s.lines, "the streamed file has other rows or lines")
        for (a, b) in zip(w.columns, s.columns) {
            for r in 0..<w.rows {
                let same: Bool
                switch (a.cell(r), b.cell(r)) {
                case (.text(let x), .text(let y)): same = a.texts.text(x) == b.texts.text(y)
                case (let x, let y): same = x == y || (x.number?.isNaN == true && y.number?.isNaN == true)
                }
                require(same, "the streamed file has another cell in row \(r)")
            }
        }
    case (.failure(let w), .failure(let s)):
        require("\(w)" == "\(s)", "the streamed file fails otherwise: \(s) instead of \(w)")
    default:
        fatalError("one reader fails and not the other: \(whole) vs \(streamed)")
    }
}

extension CSVColumns.Cell {
    var number: Double? {
        if case .number(let v) = self { return v }
        return nil
    }
}
