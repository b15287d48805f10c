import Foundation
import WorthEngine

/// The user's file as the CSV reader cut it: where each record lies in its bytes, so a row's
/// cells are read back from the file when they are shown, and exports copy rows exactly as
/// they were written (quoting, spacing, line ends and all) instead of re-serialising them, cut
/// where the reader cut them: LF, CRLF, CR only or a mix.
///
/// The file's text is not kept (a million rows of 100 columns is 800 MB): rows are read from
/// the file on demand, after checking that it is still the version that was loaded (same size
/// and modification time); a file changed since is refused with a one-line error rather than
/// read at the wrong places. Tests can hand it the bytes instead.
struct SourceText: Sendable {
    /// Where the bytes are.
    enum Storage: Sendable {
        /// The file at `path`, as it was when it was loaded (`stamp`).
        case file(path: String, stamp: FileStamp)
        case bytes([UInt8])
    }

    let storage: Storage
    /// The header record's bytes, line end excluded (`RecordLayout.headerBytes`).
    let header: Range<Int>
    /// Each data record's bytes, line end excluded (`RecordLayout.recordBytes`).
    let records: [Range<Int>]
    /// A fingerprint of the file's bytes (`Fingerprint`: FNV-1a, 64 bits, as 16 hex digits), to
    /// tell whether saved flags and runs belong to this version of the file.
    let fingerprint: String
    /// The field delimiter the reader found (`,`, `;` or a tab).
    let delimiter: Character
    /// Everything up to the end of the header record (a BOM included), with its line end.
    private(set) var headerWithLineEnd: ArraySlice<UInt8> = []
    /// The file's size in bytes.
    let size: Int

    /// The file at `path` as it was when `layout` was read from it (`stamp`), with its `fingerprint`.
    init(path: String, stamp: FileStamp, layout: RecordLayout, fingerprint: String) throws {
        self.init(storage: .file(path: path, stamp: stamp), size: stamp.size, layout: layout, fingerprint: fingerprint)
        // The header is read now: every export starts with it.
        headerWithLineEnd = try Self.withLineEnd(read(0..<min(size, header.upperBound + 2)), content: 0..<header.upperBound)
    }

    /// The source of `table`, which the CSV reader parsed from exactly these `bytes`.
    init(bytes: [UInt8], table: CSVTable) {
        precondition(table.recordBytes.count == table.records.count && (table.recordBytes.last?.upperBound ?? 0) <= bytes.count,
                     "the table was not parsed from these bytes")
        self.init(storage: .bytes(bytes), size: bytes.count,
                  layout: RecordLayout(delimiter: table.delimiter, headerBytes: table.headerBytes, recordBytes: table.recordBytes),
                  fingerprint: Fingerprint.of(bytes))
        headerWithLineEnd = Self.withLineEnd(bytes[0..<min(size, header.upperBound + 2)], content: 0..<header.upperBound)
    }

    private init(storage: Storage, size: Int, layout: RecordLayout, fingerprint: String) {
        self.storage = storage
        self.size = size
        header = layout.headerBytes
        records = layout.recordBytes
        delimiter = layout.delimiter
        self.fingerprint = fingerprint
    }

    /// The number of data records.
    var recordCount: Int { records.count }

    /// Data row `row` (1-based) as written, with its own line end; the last row of a file that
    /// does not end in a line break gets the header's line end. Empty for a row not in the file.
    func dataRow(_ row: Int) throws -> ArraySlice<UInt8> {
        guard records.indices.contains(row - 1) else { return [] }
        let r = records[row - 1]
        return try Self.withLineEnd(read(r.lowerBound..<min(size, r.upperBound + 2)), content: r, otherwise: headerLineEnd)
    }

    /// The cells of data row `row` (1-based), as the reader split them; nil for a row not in the file.
    func cells(ofRow row: Int) throws -> [String]? {
        guard records.indices.contains(row - 1) else { return nil }
        return CSVReader.fields(ofRecord: try read(records[row - 1]), delimiter: delimiter)
    }

    /// Calls `body` with each data row of `rows` (1-based, ascending) as `dataRow` gives it,
    /// reading the file a block at a time rather than a row at a time.
    func forEachRow(_ rows: some Sequence<Int>, _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        var window: ArraySlice<UInt8> = [], start = 0
        for row in rows where records.indices.contains(row - 1) {
            let r = records[row - 1], want = r.lowerBound..<min(size, r.upperBound + 2)
            if want.lowerBound < start || want.upperBound > start + window.count {
                start = want.lowerBound
                window = try read(start..<min(size, max(want.upperBound, start + (4 << 20))))
            }
            let slice = window[(window.startIndex + want.lowerBound - start)..<(window.startIndex + want.upperBound - start)]
            try body(row, Self.withLineEnd(slice, content: r, otherwise: headerLineEnd))
        }
    }

    /// Data row `line` (as `dataRow` gives it) but for field `column`, which holds `text`
    /// instead (quoted when it needs to be); every other byte, line end included, is the
    /// file's. The row as written when it has no such field.
    func replacingField(_ column: Int, in line: ArraySlice<UInt8>, with text: String) -> ArraySlice<UInt8> {
        guard let field = fieldRange(column, in: line) else { return line }
        let cell = CSVText.field(text, delimiter: delimiter)
        return line[line.startIndex..<field.lowerBound] + ArraySlice(Array(cell.utf8)) + line[field.upperBound...]
    }

    /// Data row `row` with field `column` holding `text` (`replacingField`).
    func dataRow(_ row: Int, replacingField column: Int, with text: String) throws -> ArraySlice<UInt8> {
        replacingField(column, in: try dataRow(row), with: text)
    }

    /// Throws unless the file is still the version loaded.
    func checkUnchanged() throws { _ = try read(0..<0) }

    /// The bytes at `range` of the file, once it is known to be the version loaded.
    func read(_ range: Range<Int>) throws -> ArraySlice<UInt8> {
        switch storage {
        case .bytes(let bytes): return bytes[range]
        case .file(let path, let stamp):
            guard FileStamp(path: path) == stamp, let handle = FileHandle(forReadingAtPath: path) else {
                throw InputError(file: path, "changed since it was opened (or cannot be read); open it again")
            }
            defer { try? handle.close() }
            do {
                try handle.seek(toOffset: UInt64(range.lowerBound))
                let data = try handle.read(upToCount: range.count) ?? Data()
                guard data.count == range.count else { throw InputError(file: path, "is shorter than when it was opened; open it again") }
                return ArraySlice(data)
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError(file: path, "cannot be read (check its permissions)")
            }
        }
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
        let end = headerWithLineEnd[header.upperBound...]
        return end.isEmpty ? [UInt8(ascii: "\n")] : end
    }

    /// `bytes` (the file's from `content.lowerBound`, and up to two more) cut after `content`'s
    /// CRLF, CR or LF; with `otherwise` appended when none follows it (the end of the file).
    private static func withLineEnd(_ bytes: ArraySlice<UInt8>, content: Range<Int>,
                                    otherwise: ArraySlice<UInt8> = []) -> ArraySlice<UInt8> {
        let i = bytes.startIndex + content.count
        guard i < bytes.endIndex else { return bytes[bytes.startIndex..<i] + otherwise }
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        if bytes[i] == cr { return bytes[bytes.startIndex..<(i + 1 < bytes.endIndex && bytes[i + 1] == lf ? i + 2 : i + 1)] }
        if bytes[i] == lf { return bytes[bytes.startIndex..<i + 1] }
        return bytes[bytes.startIndex..<i] + otherwise
    }
}

/// A file's size and modification time: what tells that it changed since it was read.
struct FileStamp: Sendable, Equatable {
    let size: Int
    let seconds: Int
    let nanoseconds: Int

    /// The stamp of the file at `path` now; nil when it cannot be looked at.
    init?(path: String) {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        size = Int(s.st_size)
        seconds = s.st_mtim.tv_sec
        nanoseconds = s.st_mtim.tv_nsec
    }
}
