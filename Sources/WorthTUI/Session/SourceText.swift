import Foundation
import WorthEngine

/// The user's file as bytes, with where the CSV reader found each record, so exports can copy
/// rows exactly as they were written (quoting, spacing, line ends and all) instead of
/// re-serialising them, and cut them where the reader did: LF, CRLF, CR only or a mix.
struct SourceText: Sendable {
    /// The file's bytes.
    let bytes: [UInt8]
    /// The header record's bytes, line end excluded (`CSVTable.headerBytes`).
    let header: Range<Int>
    /// Each data record's bytes, line end excluded (`CSVTable.recordBytes`).
    let records: [Range<Int>]
    /// A fingerprint of the file's bytes (FNV-1a, 64 bits, as 16 hex digits), to tell whether
    /// saved flags belong to this version of the file.
    let fingerprint: String
    /// The field delimiter the reader found (`,`, `;` or a tab).
    let delimiter: Character

    /// The source of `table`, which the CSV reader parsed from exactly these `bytes`.
    init(bytes: [UInt8], table: CSVTable) {
        precondition(table.recordBytes.count == table.records.count && (table.recordBytes.last?.upperBound ?? 0) <= bytes.count,
                     "the table was not parsed from these bytes")
        self.bytes = bytes
        self.header = table.headerBytes
        self.records = table.recordBytes
        self.fingerprint = Fingerprint.of(bytes)
        self.delimiter = table.delimiter
    }

    /// The number of data records.
    var recordCount: Int { records.count }

    /// Everything up to the end of the header record (a BOM included), with its line end.
    var headerWithLineEnd: ArraySlice<UInt8> {
        bytes[0..<header.upperBound + lineEndLength(after: header)]
    }

    /// Data row `row` (1-based) as written, with its own line end; the last row of a file that
    /// does not end in a line break gets the header's line end. Empty for a row not in the file.
    func dataRow(_ row: Int) -> ArraySlice<UInt8> {
        guard records.indices.contains(row - 1) else { return [] }
        let r = records[row - 1]
        let n = lineEndLength(after: r)
        if n == 0 { return bytes[r] + headerLineEnd }
        return bytes[r.lowerBound..<r.upperBound + n]
    }

    /// Data row `row` as written, but for field `column`, which holds `text` instead (quoted
    /// when it needs to be); every other byte, line end included, is the file's. The row as
    /// written when it has no such field.
    func dataRow(_ row: Int, replacingField column: Int, with text: String) -> ArraySlice<UInt8> {
        let line = dataRow(row)
        guard let field = fieldRange(column, in: line) else { return line }
        let cell = CSVText.field(text, delimiter: delimiter)
        return line[line.startIndex..<field.lowerBound] + ArraySlice(Array(cell.utf8)) + line[field.upperBound...]
    }

    /// The bytes of field `column` (0-based, quotes included) of the record at the start of
    /// `line`, split as the reader splits: at delimiters outside double quotes.
    private func fieldRange(_ column: Int, in line: ArraySlice<UInt8>) -> Range<Int>? {
        let d = delimiter.asciiValue ?? UInt8(ascii: ","), quote = UInt8(ascii: "\"")
        var start = line.startIndex, field = 0, quoted = false, i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            if b == quote { quoted.toggle() } else if !quoted && (b == d || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")) {
                if field == column { return start..<i }
                if b != d { return nil }
                field += 1
                start = i + 1
            }
            i += 1
        }
        return field == column ? start..<i : nil
    }

    /// The header's line end (a header is always followed by a data record, so it has one).
    private var headerLineEnd: ArraySlice<UInt8> {
        let n = lineEndLength(after: header)
        return n == 0 ? [UInt8(ascii: "\n")] : bytes[header.upperBound..<header.upperBound + n]
    }

    /// The length of the CRLF, CR or LF right after `range`, or 0 at the end of the file.
    private func lineEndLength(after range: Range<Int>) -> Int {
        let i = range.upperBound
        guard i < bytes.count else { return 0 }
        if bytes[i] == UInt8(ascii: "\r") { return i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") ? 2 : 1 }
        return bytes[i] == UInt8(ascii: "\n") ? 1 : 0
    }
}
