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
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "file does not exist")
        }
        guard !isDirectory.boolValue else {
            throw InputError(file: path, "is a directory, not a CSV file")
        }
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
            var parser = Parser(bytes: bytes, file: file)
            return try parser.table()
        }
    }
}

private let lineFeed = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let quote = UInt8(ascii: "\"")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")

/// A single pass over the UTF-8 bytes of a CSV text.
private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    /// Next byte to read.
    var position = 0
    /// 1-based physical line of `position`.
    var line = 1
    var delimiter = UInt8(ascii: ",")
    /// Holds a quoted field's text while its doubled quotes are undone.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
    }

    mutating func table() throws -> CSVTable {
        if let error = TextDecoding.nulByte(in: bytes, file: file) { throw error }
        while position + 3 <= bytes.count, bytes[position] == 0xEF, bytes[position + 1] == 0xBB,
              bytes[position + 2] == 0xBF {
            position += 3
        }
        skipBlankLines()
        guard position < bytes.count else { throw InputError(file: file, "is empty") }
        delimiter = detectDelimiter()

        let headerLine = line
        let headerStart = position
        let header = try record(expectedCount: 0).map(withoutByteOrderMarks)
        let headerBytes = headerStart..<contentEnd()
        try checkHeader(header, line: headerLine)

        var records: [[String]] = []
        var lineNumbers: [Int] = []
        var recordBytes: [Range<Int>] = []
        while true {
            skipBlankLines()
            guard position < bytes.count else { break }
            let start = line
            let startByte = position
            let fields = try record(expectedCount: header.count)
            guard fields.count == header.count else {
                throw InputError(file: file, line: start,
                                 "\(fields.count) field\(fields.count == 1 ? "" : "s") where the header has \(header.count)")
            }
            records.append(fields)
            lineNumbers.append(start)
            recordBytes.append(startByte..<contentEnd())
        }
        guard !records.isEmpty else { throw InputError(file: file, "has a header but no data rows") }
        return CSVTable(header: header, records: records, lineNumbers: lineNumbers,
                        delimiter: Character(Unicode.Scalar(delimiter)), headerBytes: headerBytes, recordBytes: recordBytes)
    }

    /// Where the record just read ends, its line end excluded: `record` leaves `position` past
    /// its LF, CRLF or CR, and a record's own last byte is never CR or LF (line breaks in a
    /// field are inside its quotes).
    func contentEnd() -> Int {
        var end = position
        if end > 0, bytes[end - 1] == lineFeed { end -= 1 }
        if end > 0, bytes[end - 1] == carriageReturn { end -= 1 }
        return end
    }

    /// Spaces around unquoted fields; a tab only when it is not the delimiter.
    func isPadding(_ byte: UInt8) -> Bool {
        byte == space || (byte == tab && delimiter != tab)
    }

    /// Moves past lines holding nothing but padding.
    mutating func skipBlankLines() {
        while position < bytes.count {
            var j = position
            while j < bytes.count, isPadding(bytes[j]) { j += 1 }
            if j == bytes.count { position = j; return }
            guard bytes[j] == lineFeed || bytes[j] == carriageReturn else { return }
            position = j
            consumeLineEnd()
        }
    }

    /// Consumes LF, CRLF or a lone CR at `position` and counts the line.
    mutating func consumeLineEnd() {
        if bytes[position] == carriageReturn, position + 1 < bytes.count, bytes[position + 1] == lineFeed {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }

    /// The most frequent of comma, semicolon and tab on the header line, outside quotes;
    /// comma on ties or when there is none.
    func detectDelimiter() -> UInt8 {
        var commas = 0, semicolons = 0, tabs = 0
        var inQuotes = false
        var j = position
        while j < bytes.count {
            let b = bytes[j]
            if b == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if b == lineFeed || b == carriageReturn { break }
                if b == UInt8(ascii: ",") { commas += 1 }
                else if b == UInt8(ascii: ";") { semicolons += 1 }
                else if b == tab { tabs += 1 }
            }
            j += 1
        }
        if semicolons > commas, semicolons >= tabs { return UInt8(ascii: ";") }
        if tabs > commas, tabs > semicolons { return tab }
        return UInt8(ascii: ",")
    }

    /// Parses one record starting at `position` and consumes its line end.
    mutating func record(expectedCount: Int) throws -> [String] {
        var fields: [String] = []
        fields.reserveCapacity(expectedCount)
        let end = bytes.count
        while true {
            var j = position
            while j < end, isPadding(bytes[j]) { j += 1 }
            if j < end, bytes[j] == quote {
                fields.append(try quotedField(openingAt: j, column: fields.count + 1))
            } else {
                var k = j
                while k < end {
                    let b = bytes[k]
                    if b == delimiter || b == lineFeed || b == carriageReturn { break }
                    k += 1
                }
                var e = k
                while e > j, isPadding(bytes[e - 1]) { e -= 1 }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<e]), as: UTF8.self))
                position = k
            }
            guard position < end else { return fields }
            if bytes[position] == delimiter {
                position += 1
            } else {
                consumeLineEnd()
                return fields
            }
        }
    }

    /// Parses the quoted field whose opening quote is at `start`; leaves `position` on the
    /// delimiter or line end that follows it.
    mutating func quotedField(openingAt start: Int, column: Int) throws -> String {
        let openedOn = line
        let end = bytes.count
        var j = start + 1
        var segment = j
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        let text: String
        while true {
            guard j < end else {
                throw InputError(file: file, line: openedOn, column: column,
                                 "a quoted field is never closed (missing \")")
            }
            let b = bytes[j]
            if b == quote {
                if j + 1 < end, bytes[j + 1] == quote {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment...j]))
                    j += 2
                    segment = j
                    escaped = true
                    continue
                }
                if escaped {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<j]))
                    text = String(decoding: scratch, as: UTF8.self)
                } else {
                    text = String(decoding: UnsafeBufferPointer(rebasing: bytes[segment..<j]), as: UTF8.self)
                }
                j += 1
                break
            }
            if b == lineFeed || (b == carriageReturn && !(j + 1 < end && bytes[j + 1] == lineFeed)) {
                line += 1
            }
            j += 1
        }
        while j < end, isPadding(bytes[j]) { j += 1 }
        position = j
        if j < end, bytes[j] != delimiter, bytes[j] != lineFeed, bytes[j] != carriageReturn {
            throw InputError(file: file, line: line, column: column,
                             "text after the closing quote of a quoted field (write a quote inside quotes as \"\")")
        }
        return text
    }

    /// `name` without any U+FEFF, and without the spaces the marks stood between and the
    /// delimiter (`a, \u{FEFF} b`).
    func withoutByteOrderMarks(_ name: String) -> String {
        guard name.unicodeScalars.contains("\u{FEFF}") else { return name }
        return String(name.unicodeScalars.filter { $0 != "\u{FEFF}" }).trimmingCharacters(in: .whitespaces)
    }

    func checkHeader(_ header: [String], line: Int) throws {
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else {
                throw InputError(file: file, line: line, column: index + 1, "empty header name")
            }
            if let first = seen[name] {
                throw InputError(file: file, line: line, column: index + 1, columnName: name,
                                 "duplicate header name (also column \(first + 1))")
            }
            seen[name] = index
        }
    }
}
