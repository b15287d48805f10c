import Foundation

/// A CSV file as text cells: the header and the data records, each cell exactly as written
/// (quotes removed, surrounding spaces of unquoted cells trimmed).
public struct CSVTable: Sendable, Equatable {
    /// Column names from the header row, in file order; unique and non-empty.
    public var header: [String]
    /// Data records, each with exactly `header.count` cells.
    public var records: [[String]]
    /// For each record, the 1-based physical line of the file where it starts (a quoted cell
    /// may span lines, so this is not the record's index plus 2).
    public var lineNumbers: [Int]
    /// The field delimiter found in the header: `,`, `;` or a tab.
    public var delimiter: Character
    /// Where the header record lies in the parsed text's UTF-8 bytes (the file's bytes): from
    /// its first byte to the end of its last field, line end excluded.
    public var headerBytes: Range<Int>
    /// Where each record lies in the parsed text's UTF-8 bytes, as `headerBytes`: the reader's
    /// own record boundaries (a quoted line break stays inside; CR, LF and CRLF all end a
    /// record), so a record can be copied out of the file exactly as written.
    public var recordBytes: [Range<Int>]

    /// A table; `headerBytes` and `recordBytes` are empty for a table not parsed from text.
    public init(header: [String], records: [[String]], lineNumbers: [Int], delimiter: Character,
                headerBytes: Range<Int> = 0..<0, recordBytes: [Range<Int>] = []) {
        precondition(records.count == lineNumbers.count)
        precondition(recordBytes.isEmpty || recordBytes.count == records.count)
        self.header = header
        self.records = records
        self.lineNumbers = lineNumbers
        self.delimiter = delimiter
        self.headerBytes = headerBytes
        self.recordBytes = recordBytes
    }
}

/// Reads delimited text files (RFC 4180 quoting, CRLF or LF line ends, optional UTF-8 BOM).
///
/// The delimiter is the most frequent of comma, semicolon and tab in the header line (outside
/// quotes; comma wins ties). Blank lines are skipped. Every problem is an `InputError` naming
/// the file and, where there is one, the line and column.
public enum CSVReader {
    /// Reads and parses the file at `path`.
    ///
    /// - Throws: `InputError` when the file does not exist, is a directory, cannot be read, or
    ///   does not decode or parse (see `parse(_:file:)`).
    public static func read(path: String) throws -> CSVTable {
        try checkReadable(path: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read (check its permissions)")
        }
        return try parse(data, file: path)
    }

    /// Parses the bytes of a CSV file; `file` names it in errors.
    ///
    /// - Throws: `InputError` when the bytes are not UTF-8 text: UTF-16 or UTF-32, a binary
    ///   file (NUL bytes), or invalid UTF-8, which names the line and byte offset of the first
    ///   bad byte, the encoding the file looks like and the `iconv` command that converts it;
    ///   then as `parse(_:file:)` for text.
    public static func parse(_ data: Data, file: String) throws -> CSVTable {
        try parse(TextDecoding.utf8Text(data, file: file), file: file)
    }

    /// Parses CSV `text`; `file` names it in errors.
    ///
    /// Byte-order marks (U+FEFF) at the start of the text, however many, and in header names
    /// are dropped: an editor or a concatenation may add a second one, and a name must match
    /// what the user types.
    ///
    /// - Throws: `InputError` for an empty text, a header with no data rows, an empty or
    ///   repeated header name, a row whose field count differs from the header's, an
    ///   unterminated quoted field, text after a closing quote, or a NUL character.
    public static func parse(_ text: String, file: String) throws -> CSVTable {
        var text = text
        return try text.withUTF8 { bytes in
            if let error = TextDecoding.nulByte(in: bytes, file: file) { throw error }
            var scanner = CSVScanner(bytes: bytes, file: file)
            let (header, headerBytes) = try scanner.header()
            var sink = TableRecords()
            try scanner.records(expectedCount: header.count, into: &sink)
            guard !sink.records.isEmpty else { throw InputError(file: file, "has a header but no data rows") }
            return CSVTable(header: header, records: sink.records, lineNumbers: sink.lineNumbers,
                            delimiter: Character(Unicode.Scalar(scanner.delimiter)), headerBytes: headerBytes,
                            recordBytes: sink.recordBytes)
        }
    }

    /// The first records of a CSV file, and where it ends: what a preview shows, read from as
    /// few of the file's first bytes as hold them (64 KiB, doubled as needed), not the whole file.
    public struct Head: Sendable {
        /// The header and at most the records asked for (all of them for a short file), with
        /// their lines and bytes as `read(path:)` gives them.
        public var table: CSVTable
        /// Whether `table` holds every record of the file.
        public var isWholeFile: Bool
        /// The file's size in bytes.
        public var fileSize: Int
        /// Bytes from the file's start to the end of the last record of `table`.
        public var bytesRead: Int
    }

    /// The header and the first `count` records of the file at `path`.
    ///
    /// - Throws: `InputError` as `read(path:)` does for what lies in those records (an empty
    ///   file, a bad header, a ragged or badly quoted record, bytes that are not UTF-8 text);
    ///   what lies after them is not looked at.
    public static func head(path: String, records count: Int) throws -> Head {
        try checkReadable(path: path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "cannot be read (check its permissions)")
        }
        defer { try? handle.close() }
        let size = fileSize(path)
        var data = Data()
        var wanted = 64 << 10
        while true {
            let more: Data?
            do { more = try handle.read(upToCount: wanted - data.count) } catch {
                throw InputError(file: path, "cannot be read (check its permissions)")
            }
            let atEnd = (more?.count ?? 0) < wanted - data.count
            if let more { data.append(more) }
            // Whole lines only, so no character is cut; the scanner tells a record the cut splits.
            let end = atEnd ? data.count : (data.lastIndex { $0 == lineFeed || $0 == carriageReturn }.map { $0 + 1 } ?? 0)
            if end > 0 || atEnd, let head = try head(data.prefix(end), file: path, records: count, atEndOfFile: atEnd) {
                return Head(table: head.table, isWholeFile: atEnd && head.complete, fileSize: size ?? data.count,
                            bytesRead: head.table.recordBytes.last?.upperBound ?? 0)
            }
            wanted *= 2
        }
    }

    /// The first `count` records of `data`, a prefix of a file cut after a line feed (or the
    /// whole file when `atEndOfFile`); nil when the prefix is too short to tell them.
    private static func head(_ data: Data, file: String, records count: Int,
                             atEndOfFile: Bool) throws -> (table: CSVTable, complete: Bool)? {
        var text = try TextDecoding.utf8Text(data, file: file)
        return try text.withUTF8 { bytes -> (CSVTable, Bool)? in
            if let error = TextDecoding.nulByte(in: bytes, file: file) { throw error }
            var scanner = CSVScanner(bytes: bytes, file: file, atEndOfFile: atEndOfFile)
            let header: (names: [String], bytes: Range<Int>)
            do { header = try scanner.header() } catch is CSVScanner.Truncated { return nil }
            var sink = TableRecords()
            var complete = true
            do {
                try scanner.records(expectedCount: header.names.count, into: &sink)
            } catch is CSVScanner.Truncated {
                complete = false
            } catch where sink.records.count >= count {
                complete = false   // an error past the records wanted is the load's to report
            }
            // Fewer records than asked: more bytes may hold more, unless this is the whole file.
            if sink.records.count < count && !(complete && atEndOfFile) { return nil }
            guard !sink.records.isEmpty else { throw InputError(file: file, "has a header but no data rows") }
            let n = min(count, sink.records.count)
            let table = CSVTable(header: header.names, records: Array(sink.records.prefix(n)),
                                 lineNumbers: Array(sink.lineNumbers.prefix(n)),
                                 delimiter: Character(Unicode.Scalar(scanner.delimiter)), headerBytes: header.bytes,
                                 recordBytes: Array(sink.recordBytes.prefix(n)))
            return (table, complete && n == sink.records.count)
        }
    }

    /// The fields of one record's bytes, cut where the reader cuts records (`CSVTable.recordBytes`),
    /// split and unquoted as the reader does: a row's cells read back from the file on demand.
    public static func fields(ofRecord bytes: some Collection<UInt8>, delimiter: Character) -> [String] {
        var copy = Array(bytes)
        guard !copy.isEmpty else { return [""] }
        return copy.withUnsafeMutableBufferPointer { buffer in
            var scanner = CSVScanner(bytes: UnsafeBufferPointer(buffer), file: "", delimiter: delimiter.asciiValue ?? UInt8(ascii: ","))
            var fields = StringFields()
            _ = try? scanner.record(into: &fields)
            return fields.fields
        }
    }

    /// The size in bytes of the file at `path`, links followed (the size of a link itself would
    /// make a load's progress jump to the end); nil when it cannot be looked at.
    static func fileSize(_ path: String) -> Int? {
        var s = stat()
        return stat(path, &s) == 0 ? Int(s.st_size) : nil
    }

    /// The checks before a file is read: it exists and is not a directory.
    static func checkReadable(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "file does not exist")
        }
        guard !isDirectory.boolValue else {
            throw InputError(file: path, "is a directory, not a CSV file")
        }
    }
}

/// Records as strings, with their lines and byte ranges.
private struct TableRecords: CSVFieldSink {
    var current: [String] = []
    var records: [[String]] = []
    var lineNumbers: [Int] = []
    var recordBytes: [Range<Int>] = []

    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) {
        current.append(String(decoding: bytes, as: UTF8.self))
    }

    mutating func endRecord(line: Int, bytes: Range<Int>) {
        records.append(current)
        current.removeAll(keepingCapacity: true)
        lineNumbers.append(line)
        recordBytes.append(bytes)
    }
}
