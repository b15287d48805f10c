/// Receives the records a `CSVScanner` finds, a field at a time, without a `String` per cell.
protocol CSVFieldSink {
    /// Field `column` (0-based) of the record being read: its bytes, quotes removed and doubled
    /// quotes undone, surrounding padding of an unquoted field trimmed. Valid during the call.
    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>, column: Int)
    /// The record whose fields were just given is complete: it starts on physical `line` and
    /// spans `bytes` of the scanned text (its line end excluded).
    mutating func endRecord(line: Int, bytes: Range<Int>)
}

/// The one pass over the UTF-8 bytes of delimited text that both readers share: `CSVReader`
/// (a table of strings) and `CSVStreamReader` (columns of numbers, in parallel chunks).
///
/// RFC 4180 quoting; LF, CRLF or a lone CR end a record; blank lines are skipped; spaces (and
/// tabs when the delimiter is not a tab) around unquoted fields are padding. The bytes may be a
/// chunk of a file that starts at a record boundary: lines are then counted from the chunk's
/// first line, and when `atEndOfFile` is false a quoted field still open at the chunk's end is
/// `Truncated`, not an error (the record continues in the next chunk).
struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    /// Next byte to read.
    var position: Int
    /// 1-based physical line of `position`.
    var line: Int
    var delimiter: UInt8
    /// Whether `bytes` end where the file ends.
    let atEndOfFile: Bool
    /// Holds a quoted field's bytes while its doubled quotes are undone.
    private var scratch: [UInt8] = []

    /// A quoted field reaches the end of bytes that are not the end of the file: the record that
    /// holds it starts at byte `recordStart`, on line `line`, and must be read again with more
    /// bytes.
    struct Truncated: Error {
        let recordStart: Int
        let line: Int
    }

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, position: Int = 0, line: Int = 1,
         delimiter: UInt8 = UInt8(ascii: ","), atEndOfFile: Bool = true) {
        self.bytes = bytes
        self.file = file
        self.position = position
        self.line = line
        self.delimiter = delimiter
        self.atEndOfFile = atEndOfFile
    }

    /// The header: byte-order marks at the start skipped (however many), blank lines skipped,
    /// the delimiter detected, the names read (without byte-order marks) and checked.
    ///
    /// - Throws: `InputError` for a text with no record, an empty or repeated name, or a
    ///   quoting error; `Truncated` when the header record may continue past the bytes.
    mutating func header() throws -> (names: [String], bytes: Range<Int>) {
        while position + 3 <= bytes.count, bytes[position] == 0xEF, bytes[position + 1] == 0xBB,
              bytes[position + 2] == 0xBF {
            position += 3
        }
        skipBlankLines()
        guard position < bytes.count else {
            if !atEndOfFile { throw Truncated(recordStart: position, line: line) }
            throw InputError(file: file, "is empty")
        }
        delimiter = detectDelimiter()
        let headerLine = line
        let headerStart = position
        var names = StringFields()
        _ = try record(into: &names)
        // More bytes may continue the record, or turn its final CR into a CRLF.
        if !atEndOfFile, position == bytes.count, bytes[position - 1] != lineFeed {
            throw Truncated(recordStart: headerStart, line: headerLine)
        }
        let header = names.fields.map(Self.withoutByteOrderMarks)
        try checkHeader(header, line: headerLine)
        return (header, headerStart..<contentEnd())
    }

    /// Reads records until the end of the bytes, handing their fields to `sink`.
    ///
    /// - Throws: `InputError` for a record whose field count is not `expectedCount` or a
    ///   quoting error; `Truncated` (see the type).
    mutating func records<Sink: CSVFieldSink>(expectedCount: Int, into sink: inout Sink) throws {
        while true {
            skipBlankLines()
            guard position < bytes.count else { return }
            let start = line
            let startByte = position
            let count: Int
            do {
                count = try record(into: &sink)
            } catch is Truncated {
                throw Truncated(recordStart: startByte, line: start)
            }
            guard count == expectedCount else {
                throw InputError(file: file, line: start,
                                 "\(count) field\(count == 1 ? "" : "s") where the header has \(expectedCount)")
            }
            sink.endRecord(line: start, bytes: startByte..<contentEnd())
        }
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
    @inline(__always)
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

    /// Reads one record starting at `position`, hands its fields to `sink` and consumes its
    /// line end; returns its field count.
    @inline(__always)
    mutating func record<Sink: CSVFieldSink>(into sink: inout Sink) throws -> Int {
        var column = 0
        let end = bytes.count
        let base = bytes.baseAddress!
        while true {
            var j = position
            while j < end, isPadding(base[j]) { j += 1 }
            if j < end, base[j] == quote {
                try quotedField(openingAt: j, column: column, into: &sink)
            } else {
                var k = j
                while k < end {
                    let b = base[k]
                    if b == delimiter || b == lineFeed || b == carriageReturn { break }
                    k += 1
                }
                var e = k
                while e > j, isPadding(base[e - 1]) { e -= 1 }
                sink.field(UnsafeBufferPointer(start: base + j, count: e - j), column: column)
                position = k
            }
            column += 1
            guard position < end else { return column }
            if base[position] == delimiter {
                position += 1
            } else {
                consumeLineEnd()
                return column
            }
        }
    }

    /// Reads the quoted field whose opening quote is at `start` into `sink`; leaves `position`
    /// on the delimiter or line end that follows it.
    mutating func quotedField<Sink: CSVFieldSink>(openingAt start: Int, column: Int, into sink: inout Sink) throws {
        let openedOn = line
        let end = bytes.count
        var j = start + 1
        var segment = j
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard j < end else {
                if !atEndOfFile { throw Truncated(recordStart: start, line: openedOn) }
                throw InputError(file: file, line: openedOn, column: column + 1,
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
                if !atEndOfFile, j + 1 == end { throw Truncated(recordStart: start, line: openedOn) }
                if escaped {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<j]))
                    scratch.withUnsafeBufferPointer { sink.field($0, column: column) }
                } else {
                    sink.field(UnsafeBufferPointer(rebasing: bytes[segment..<j]), column: column)
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
            throw InputError(file: file, line: line, column: column + 1,
                             "text after the closing quote of a quoted field (write a quote inside quotes as \"\")")
        }
    }

    /// `name` without any U+FEFF, and without the spaces the marks stood between and the
    /// delimiter (`a, \u{FEFF} b`).
    static func withoutByteOrderMarks(_ name: String) -> String {
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

/// The fields of records as strings (the header; `CSVReader`'s table).
struct StringFields: CSVFieldSink {
    var fields: [String] = []

    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) {
        fields.append(String(decoding: bytes, as: UTF8.self))
    }

    mutating func endRecord(line: Int, bytes: Range<Int>) {}
}

let lineFeed = UInt8(ascii: "\n")
let carriageReturn = UInt8(ascii: "\r")
private let quote = UInt8(ascii: "\"")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
