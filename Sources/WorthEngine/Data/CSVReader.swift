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
