import Foundation
import WorthEngine

/// The user's file as physical lines, with where each data row starts, so exports can copy
/// rows exactly as they were written (quoting, spacing and all) instead of re-serialising them.
public struct SourceText: Sendable {
    /// Physical lines without their `\n` (a `\r` of a CRLF file stays, so it is written back).
    public let lines: [String]
    /// For each data row (index = data-row number − 1), the 0-based index of its first line.
    public let rowStarts: [Int]
    /// A fingerprint of the file's bytes (FNV-1a, 64 bits, as 16 hex digits), to tell whether
    /// saved flags belong to this version of the file.
    public let fingerprint: String

    /// Splits `text`; `recordLines` are the 1-based physical line numbers at which each data
    /// record starts (as the CSV reader reports them).
    public init(text: String, recordLines: [Int]) {
        // Split on the byte: a Swift `Character` holds "\r\n" as one, so splitting characters
        // would never cut a CRLF line.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        self.rowStarts = recordLines.map { $0 - 1 }
        self.fingerprint = Fingerprint.of(text.utf8)
    }

    /// Reads `path`.
    public init(path: String, recordLines: [Int]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read")
        }
        self.init(text: String(decoding: data, as: UTF8.self), recordLines: recordLines)
    }

    /// The lines before the first data row (the header), trailing blank lines dropped.
    public var headerLines: ArraySlice<String> {
        trimmed(0..<min(lines.count, rowStarts.first ?? lines.count))
    }

    /// The lines of data row `row` (1-based), trailing blank lines dropped.
    public func lines(ofDataRow row: Int) -> ArraySlice<String> {
        let i = row - 1
        guard rowStarts.indices.contains(i) else { return [] }
        let start = min(rowStarts[i], lines.count)
        let end = i + 1 < rowStarts.count ? rowStarts[i + 1] : lines.count
        return trimmed(start..<max(start, min(end, lines.count)))
    }

    private func trimmed(_ range: Range<Int>) -> ArraySlice<String> {
        let r = range.clamped(to: lines.indices)
        var slice = lines[r]
        while let last = slice.last, last.unicodeScalars.allSatisfy({ $0 == "\r" || $0 == " " }) { slice.removeLast() }
        return slice
    }
}
