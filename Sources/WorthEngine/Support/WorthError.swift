/// A problem with what the user gave us: a file, a flag, a column. Shown as one line.
///
/// The description names the file, and the line and column where there is one, so the user
/// can go straight to the cell: `data.csv, line 12, column 3 (bill_length_mm): "abc" is not a
/// number`.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file concerned, as the user named it; nil for problems with flags.
    public var file: String?
    /// 1-based physical line in the file, when the problem is at one place.
    public var line: Int?
    /// 1-based column number, when the problem is in one column.
    public var column: Int?
    /// The column's header name, when known.
    public var columnName: String?
    /// What is wrong and, where it helps, what to do about it.
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil,
                columnName: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    /// The error as one line of text safe for a terminal: file, line and column, then the
    /// message, with the control characters of file names, header names and cell text written
    /// out (`escapingControlCharacters`).
    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        if let line { place.append("line \(line)") }
        if let column {
            if let columnName { place.append("column \(column) (\(columnName))") } else { place.append("column \(column)") }
        } else if let columnName {
            place.append("column \(columnName)")
        }
        let text = place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
        return text.escapingControlCharacters
    }
}
